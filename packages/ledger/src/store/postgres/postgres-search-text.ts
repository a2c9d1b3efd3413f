// Full-text words on PostgreSQL, split and folded as SQLite's FTS5 unicode61
// tokenizer (remove_diacritics 2) does (protocol's textWords), so a free-text
// filter matches the same entries on both stores. Lexemes are built here, not by a text search
// configuration: PostgreSQL's parser keeps "lead@example.com" or "usr_ada"
// whole, where unicode61 splits them, and neither store stems.
import { searchWords, textWords } from "@trailproof/protocol";

/** A lexeme quoted for tsvector and tsquery input (words never hold quotes; escaped all the same). */
const quote = (word: string) => `'${word.replaceAll("\\", "\\\\").replaceAll("'", "''")}'`;

/**
 * The tsvector input of a message: each word with its position (1-based),
 * which phrase matching needs. Messages are at most 512 characters, well
 * under tsvector's 16,383 positions. An empty string when it has no words.
 */
export function messageWordsOf(message: string): string {
  return textWords(message)
    .map((w, k) => `${quote(w)}:${k + 1}`)
    .join(" ");
}

/**
 * The tsquery of a free-text filter (untrusted), or undefined when no word
 * remains. As on SQLite each whitespace-separated word is one phrase (its
 * parts adjacent, in order: "usr_ada" is usr then ada) and phrases are
 * AND-ed; operators and quotes in user text are separators, never syntax.
 */
export function textQueryOf(text: string): string | undefined {
  const phrases = searchWords(text)
    .map((w) => textWords(w).map(quote).join(" <-> "))
    .filter((p) => p !== "");
  return phrases.length === 0 ? undefined : phrases.map((p) => `(${p})`).join(" & ");
}
