// appended_by (log format v2): stamped from the context into every committed
// event, never taken from the event as sent.
import { describe, expect, it } from "vitest";
import { hasErrorCode } from "../errors.js";
import type { AppendedBy } from "./appended-by.js";
import { prepareEvent } from "./prepare-event.js";
import { context, pageEvent, thrown } from "./test-fixtures.js";

describe("appended_by", () => {
  it.each<AppendedBy>([
    { type: "api_key", id: "0123456789abcdef" },
    { type: "person", id: "ada.lovelace" },
    { type: "service", id: "meta-audit" },
    { type: "cli", id: "ingest" },
  ])("names $type $id in the leaf, beside schema_version 2", (appendedBy) => {
    const prepared = prepareEvent(pageEvent(), context({ appendedBy }));
    expect(prepared.committed.appended_by).toEqual(appendedBy);
    expect(prepared.committed.schema_version).toBe(2);
    expect(new TextDecoder().decode(prepared.leafData)).toMatch(
      new RegExp(
        `^\\{"action":"app\\.page\\.update","action_version":1,"actor":\\{[^}]*\\},"appended_by":\\{"id":"${appendedBy.id}","type":"${appendedBy.type}"\\},`,
      ),
    );
  });

  it("is refused when the event sends it: the envelope has no such field", () => {
    const err = thrown(() =>
      prepareEvent(pageEvent({ appended_by: { type: "api_key", id: "someone-else" } }), context()),
    );
    expect(hasErrorCode(err, "EVENT_INVALID")).toBe(true);
    expect(err.problems.map((p) => p.pointer)).toEqual(["/appended_by"]);
  });

  it.each([
    { type: "root", id: "x" },
    { type: "api_key", id: "" },
    { type: "api_key", id: "has space" },
    { type: "api_key", id: "x".repeat(129) },
    { type: "api_key", id: "k", extra: 1 },
    null,
  ])("a malformed appender (%j) is the caller's bug: EVENT_CONTEXT_INVALID", (appendedBy) => {
    const err = thrown(() => prepareEvent(pageEvent(), context({ appendedBy: appendedBy as AppendedBy })));
    expect(hasErrorCode(err, "EVENT_CONTEXT_INVALID")).toBe(true);
  });
});
