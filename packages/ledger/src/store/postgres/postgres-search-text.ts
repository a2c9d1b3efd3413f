// Full-text words on PostgreSQL, split and folded as SQLite's FTS5 unicode61
// tokenizer (remove_diacritics 2) does, so a free-text filter matches the
// same entries on both stores. Lexemes are built here, not by a text search
// configuration: PostgreSQL's parser keeps "lead@example.com" or "usr_ada"
// whole, where unicode61 splits them, and neither store stems.
import { searchWords } from "@trailproof/protocol";

/** Word characters of unicode61's default categories (L* N* Co); anything else separates words. */
const WORD = /[\p{L}\p{N}\p{Co}]+/gu;
/**
 * The combining marks unicode61 drops as diacritics (those of precomposed
 * Latin letters); any other mark separates words there, and so here.
 */
const DIACRITIC = /[\u0300-\u0304\u0306-\u030c\u030f\u0311\u031b\u0323-\u0328\u032d\u032e\u0330\u0331]/gu;
const LATIN = /\p{Script=Latin}/gu;

/**
 * The words of `text`, in order, repeats kept: lower case, and Latin
 * letters without their diacritics (café is cafe) while other scripts keep
 * theirs (й stays й), as unicode61 folds them. Measured against FTS5 over
 * every code point, this differs only where SQLite's Unicode 6.1 tables
 * predate a character, and for a few letters it folds specially (µ, ſ).
 */
export function textWords(text: string): string[] {
  const folded = text
    .toLowerCase()
    .replace(LATIN, (c) => c.normalize("NFD"))
    .replace(DIACRITIC, "")
    .normalize("NFC");
  return folded.match(WORD) ?? [];
}

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
