// verifyReport against reports built here over an in-memory log: a correct
// one verifies, and each way of changing one (a listed event, a leaf, a
// tile, the range, a row, a violation, the summary, the signature) fails
// with a typed code. The matcher is a tiny `action:` / `actor:` one: core
// cannot import protocol's search syntax, and the rules of the report, not
// of the syntax, are under test here.
import { describe, expect, it } from "vitest";
import { toBase64, utf8 } from "../bytes.js";
import { encodeCanonicalJson, type JsonObject } from "../canonical-json.js";
import { TrailproofError } from "../errors.js";
import { portableHasher } from "../hasher.js";
import { inclusionProofRanges } from "../merkle/proof-plan.js";
import { hashLeaf, rootFromLeafHashes } from "../merkle/rfc6962.js";
import { decomposeRange } from "../merkle/tree-math.js";
import { signCheckpoint } from "../note/checkpoint.js";
import { buildEd25519Signer } from "../note/ed25519-signer.js";
import { evaluateReport, listedIndexes } from "./report-evaluate.js";
import {
  REPORT_FORMAT,
  type ReportArtifact,
  type ReportDefinition,
  type ReportQueryMatcher,
  type ReportRange,
  reportLookbackSeconds,
} from "./report-format.js";
import { parseReportFile, verifyReport } from "./report-verifier.js";

const hasher = portableHasher;
const origin = "example.com/log/reports";
const signer = buildEd25519Signer(hasher, origin, new Uint8Array(32).fill(3));
const other = buildEd25519Signer(hasher, origin, new Uint8Array(32).fill(4));

/** `action:a actor:b` terms, all of which must hold. */
const matcher: ReportQueryMatcher = (query) => {
  const terms = query.split(" ").map((t) => t.split(":") as [string, string]);
  return (e) => terms.every(([k, v]) => (k === "action" ? e.action === v : (e.actor as JsonObject).id === v));
};

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 6, 1);
const at = (h: number) => new Date(T0 + h * HOUR).toISOString();

/** 40 entries an hour apart from T0 - 10 h: approvals, deploys, grants, uses and noise in turn. */
function buildLog(): JsonObject[] {
  return Array.from({ length: 40 }, (_, i) => {
    const h = i - 10;
    const kind = i % 5;
    const action = ["approve", "deploy", "grant", "use", "noise"][kind] as string;
    // Every other approval is by the deployer (usr_1) itself: not an approval.
    const actor = kind === 0 && i % 10 === 0 ? "usr_1" : `usr_${kind}`;
    return {
      id: `e${i}`,
      action,
      actor: { type: "user", id: kind === 3 && i === 23 ? "usr_2" : actor },
      target: { type: "template", id: `t${Math.floor(i / 5)}` },
      occurred_at: at(h),
      received_at: at(h),
      ...(kind === 2 && i !== 12 ? { tags: ["ticket:1"] } : {}),
    };
  });
}

const DEF: ReportDefinition = {
  name: "unit",
  period: { from: at(0), to: at(20) },
  sections: [
    { type: "config_changes", query: "action:deploy", approval: { query: "action:approve", within_seconds: 7200 } },
  ],
  checks: [
    {
      type: "approval_before",
      name: "approved",
      query: "action:deploy",
      approval_query: "action:approve",
      within_seconds: 7200,
    },
    { type: "no_grant_and_use", name: "grant-use", grant_query: "action:grant", use_query: "action:use" },
    { type: "requires_tag", name: "ticket", query: "action:grant", tag: "ticket:" },
  ],
};

function buildReport(log: JsonObject[], size: number, def = DEF): ReportArtifact {
  const texts = log.slice(0, size).map((e) => encodeCanonicalJson(e));
  const hashes = texts.map((t) => hashLeaf(hasher, utf8(t)));
  const rangeHash = (b: bigint, e: bigint) => rootFromLeafHashes(hasher, hashes.slice(Number(b), Number(e)));
  const first = (ms: number) => {
    const i = log.slice(0, size).findIndex((e) => Date.parse(String(e.received_at)) >= ms);
    return i < 0 ? size : i;
  };
  const fromMs = Date.parse(def.period.from);
  const contextStart = first(fromMs - reportLookbackSeconds(def) * 1000);
  const start = first(fromMs);
  const end = first(Date.parse(def.period.to));
  const range: ReportRange = {
    span_start: Math.max(0, contextStart - 1),
    context_start: contextStart,
    start,
    end,
    span_end: Math.min(size, end + 1),
  };
  const entries = log.slice(contextStart, end).map((event, k) => ({ index: contextStart + k, event }));
  const results = evaluateReport(def, range, entries, matcher);
  const tiles = (b: number, e: number) =>
    decomposeRange(BigInt(b), BigInt(e)).map((n) =>
      toBase64(rangeHash(n.index << BigInt(n.level), (n.index + 1n) << BigInt(n.level))),
    );
  const events = listedIndexes(results).map((index) => ({
    index,
    leaf_hash: toBase64(hashes[index] as Uint8Array),
    event: log[index] as JsonObject,
    inclusion_proof: inclusionProofRanges(index, size).map((r) => toBase64(rangeHash(r.begin, r.end))),
  }));
  const checkpoint = signCheckpoint(
    { origin, treeSize: BigInt(size), rootHash: rootFromLeafHashes(hasher, hashes), extensions: [] },
    signer,
  );
  return {
    format: REPORT_FORMAT,
    report_id: "rpt_unit",
    definition: def,
    checkpoint,
    range,
    completeness: {
      left: tiles(0, range.span_start),
      leaves: texts.slice(range.span_start, range.span_end),
      right: tiles(range.span_end, size),
    },
    ...results,
    events,
    summary: {
      entries: end - start,
      listed: events.length,
      violations: results.checks.reduce((n, c) => n + c.violations.length, 0),
    },
  };
}

const codeOf = (f: () => unknown): string => {
  try {
    f();
  } catch (err) {
    if (err instanceof TrailproofError) return err.code;
    throw err;
  }
  return "NO_ERROR";
};

describe("verifyReport", () => {
  const log = buildLog();
  const report = buildReport(log, 40);

  it("verifies a correct report, whose checks found what the log holds", () => {
    const r = verifyReport(report, signer.verifierKey, matcher);
    expect(r).toMatchObject({ treeSize: 40n, entries: 20, periodClosed: true });
    const byName = Object.fromEntries(report.checks.map((c) => [c.name, c.violations.map((v) => v.indexes)]));
    // Deploys e11, e21 were approved by their deployer an hour before; e16, e26 by usr_0.
    expect(byName.approved).toEqual([[11], [21]]);
    expect(report.sections[0]?.rows).toEqual([
      { index: 11, approval: null },
      { index: 16, approval: 15 },
      { index: 21, approval: null },
      { index: 26, approval: 25 },
    ]);
    expect(byName.ticket).toEqual([[12]]);
    expect(byName["grant-use"]).toContainEqual([22, 23]);
    // Through HTML too.
    const page = `<html><script type="application/json" id="trailproof-report">${encodeCanonicalJson(report as unknown as JsonObject).replace(/</g, "\\u003c")}</script></html>`;
    expect(verifyReport(parseReportFile(page), signer.verifierKey, matcher).listed).toBe(report.events.length);
  });

  it("says when the period runs past the checkpoint's newest entry", () => {
    expect(verifyReport(buildReport(log, 25), signer.verifierKey, matcher).periodClosed).toBe(false);
  });

  const mutations: [string, (r: ReportArtifact) => void][] = [
    ["a listed event's field", (r) => ((r.events[0] as { event: JsonObject }).event.action = "other")],
    ["a listed event's proof", (r) => (r.events[0] as { inclusion_proof: string[] }).inclusion_proof.reverse()],
    ["a leaf of the range", (r) => (r.completeness.leaves[3] = (r.completeness.leaves[3] as string).replace("e", "f"))],
    ["a left tile", (r) => (r.completeness.left[0] = r.completeness.right[0] as string)],
    ["a right tile", (r) => r.completeness.right.reverse()],
    ["the period's start index", (r) => (r.range.start += 1)],
    [
      "the period's end and span",
      (r) => {
        r.range.end -= 1;
        r.range.span_end -= 1;
        r.completeness.leaves.pop();
      },
    ],
    ["a section row", (r) => r.sections[0]?.rows.pop()],
    ["a row's approval", (r) => ((r.sections[0]?.rows[1] as { approval: number | null }).approval = null)],
    ["a violation", (r) => r.checks[2]?.violations.pop()],
    ["the summary", (r) => (r.summary.violations += 1)],
    ["the period", (r) => (r.definition.period.to = at(19))],
    ["a listed event left out", (r) => r.events.pop()],
    ["the checkpoint's signature", (r) => (r.checkpoint = r.checkpoint.replace(/— .*\n$/, `— ${origin} AAAA\n`))],
  ];
  it.each(mutations)("fails when %s is changed", (_name, mutate) => {
    const changed = structuredClone(report);
    mutate(changed);
    expect(codeOf(() => verifyReport(changed, signer.verifierKey, matcher))).not.toBe("NO_ERROR");
  });

  it("fails closed with a typed code on a report of the wrong shape", () => {
    const broken = structuredClone(report) as unknown as Record<string, unknown>;
    broken.events = [{ index: 0 }];
    // A typed code (codeOf rethrows anything else), here the canonical encoder's.
    expect(codeOf(() => verifyReport(broken as unknown as ReportArtifact, signer.verifierKey, matcher))).toBe(
      "CANONICAL_UNSUPPORTED_VALUE",
    );
    const noSections = structuredClone(report) as unknown as { definition: Record<string, unknown> };
    delete noSections.definition.sections;
    expect(codeOf(() => verifyReport(noSections as unknown as ReportArtifact, signer.verifierKey, matcher))).toBe(
      "REPORT_MISMATCH",
    );
  });

  it("fails under another key", () => {
    expect(codeOf(() => verifyReport(report, other.verifierKey, matcher))).toMatch(/^NOTE_/);
  });
});
