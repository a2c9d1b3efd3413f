// The words of a text as the full-text indexes see them: split and folded
// as SQLite's FTS5 unicode61 tokenizer (remove_diacritics 2) does. The
// PostgreSQL store builds its lexemes with it, and eventMatchesFilter, the
// reference meaning of a filter, matches free text with it, so all three
// agree on what a word is.

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
