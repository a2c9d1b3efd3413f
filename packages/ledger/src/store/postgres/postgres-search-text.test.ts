// The PostgreSQL full-text words against the SQLite store's own FTS5 index:
// the same messages and searches must match the same way on both, since the
// conformance suite holds both stores to one oracle only for its fixture.

import { textWords } from "@trailproof/protocol";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ftsQuery } from "../sqlite/sqlite-search-sql.js";
import { openPostgres, type PgSql } from "./postgres-client.js";
import { messageWordsOf, textQueryOf } from "./postgres-search-text.js";
import { TEST_POSTGRES_URL } from "./postgres-test-database.fixture.js";

const MESSAGES = [
  "Ada signed in from lead@example.com via https://acme.example/login?x=1",
  "usr_ada renamed page-42 to Pay_v2.1",
  "Ada tidied the café checkout page; ÉCOLE naïve Ærø",
  "Grace ran a 3.14 second job at 10:45:00Z (id 0xFF)",
  "Übergrößenträger straße Straße",
  "注文 を 更新 しました 订单已更新",
  "Ελληνικά ΚΕΙΜΕΝΟ, русский ТЕКСТ",
  "e\u0301cole composed and decomposed",
  "tabs\tand\nnewlines, quotes 'single' \"double\" and back\\slash",
  "emoji 🎉 party 🎉 and symbols ^ $ € + = ~",
  "नमस्ते दुनिया, مرحبا بالعالم, שָׁלוֹם עולם, Tiếng Việt có dấu, ภาษาไทย",
];

const SEARCHES = [
  "ada",
  "lead example",
  "lead@example.com",
  "usr_ada",
  "ada_usr",
  "page-42",
  "page 42",
  "pay_v2",
  "v2.1",
  "cafe",
  "CAFÉ checkout",
  "ecole",
  "naive aerø",
  "3.14",
  "14 second",
  "10:45:00z",
  "ubergroßentrager",
  "strasse",
  "straße",
  "注文",
  "订单已更新",
  "ελληνικα",
  "кеимено",
  "русский текст",
  "'single'",
  '"double"',
  "back\\slash",
  "🎉 party",
  "symbols ^ $",
  "NEAR(ada checkout)",
  "col:x OR ada",
  "नमस्ते",
  "दुनिया",
  "بالعالم",
  "שלום",
  "tieng viet",
  "dau",
  "ภาษาไทย",
];

describe("full-text words on PostgreSQL", () => {
  let pg: PgSql;
  let fts: Database.Database;
  beforeAll(() => {
    pg = openPostgres(TEST_POSTGRES_URL, { max: 1 });
    fts = new Database(":memory:");
    fts.exec("CREATE VIRTUAL TABLE t USING fts5 (message, tokenize = 'unicode61 remove_diacritics 2')");
    const insert = fts.prepare("INSERT INTO t (rowid, message) VALUES (?, ?)");
    MESSAGES.forEach((m, k) => {
      insert.run(k, m);
    });
  });
  afterAll(async () => {
    fts.close();
    await pg.end({ timeout: 5 });
  });

  it("split words at what unicode61 separates, folding case and diacritics", () => {
    expect(textWords("usr_ada lead@example.com Café-CRÈME v2.1")).toEqual([
      "usr",
      "ada",
      "lead",
      "example",
      "com",
      "cafe",
      "creme",
      "v2",
      "1",
    ]);
    // Other scripts keep their marks, as unicode61 keeps them: й is not и.
    expect(textWords("Ελληνικά русский Ǿ")).toEqual(["ελληνικά", "русский", "ø"]);
    expect(messageWordsOf("Ada met ada")).toBe("'ada':1 'met':2 'ada':3");
    expect(textQueryOf("usr_ada NEAR(")).toBe("('usr' <-> 'ada') & ('near')");
  });

  it("match the same messages as SQLite's FTS5 index for every search", async () => {
    const vectors = MESSAGES.map((m) => messageWordsOf(m));
    let matched = 0;
    for (const search of SEARCHES) {
      const sqlite = (
        fts.prepare("SELECT rowid FROM t WHERE t MATCH ? ORDER BY rowid").all(ftsQuery(search)) as {
          rowid: number;
        }[]
      ).map((r) => r.rowid);
      const query = textQueryOf(search);
      const rows = await pg<{ k: number }[]>`
        SELECT k - 1 AS k FROM unnest(${vectors}::text[]) WITH ORDINALITY AS v (words, k)
        WHERE v.words::tsvector @@ ${query ?? ""}::tsquery ORDER BY k`;
      expect(
        rows.map((r) => r.k),
        search,
      ).toEqual(sqlite);
      matched += sqlite.length;
    }
    // Most searches find something, so agreeing is not agreeing on nothing.
    expect(matched).toBeGreaterThan(SEARCHES.length / 2);
  });
});
