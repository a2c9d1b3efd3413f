// What the wire schema cannot say about a rule definition: every query parses
// in the search syntax, an absence names a schedule (a valid cron expression
// in a real time zone) or a silence, not both. Every problem is listed with
// its JSON pointer; a rule with any problem is refused whole.
import { hasErrorCode, type Problem, TrailproofError } from "@trailproof/core";
import { parseSearchQuery, type RuleDefinition } from "@trailproof/protocol";
import { CronExpressionParser } from "cron-parser";

/** Throws RULE_INVALID listing every problem of `definition` (already valid against RuleDefinitionSchema). */
export function verifyRuleDefinition(definition: RuleDefinition): void {
  const problems = ruleProblems(definition);
  if (problems.length > 0) {
    throw new TrailproofError(
      "RULE_INVALID",
      `the rule is invalid: ${problems.map((p) => `${p.pointer} ${p.message}`).join("; ")}`,
      {
        problems,
      },
    );
  }
}

export function ruleProblems(definition: RuleDefinition): Problem[] {
  const c = definition.condition;
  const problems: Problem[] = [];
  const query = (q: string, pointer: string) => {
    try {
      parseSearchQuery(q);
    } catch (err) {
      if (!hasErrorCode(err, "SEARCH_QUERY_INVALID")) throw err;
      const listed = (err as TrailproofError).problems;
      for (const p of listed.length > 0 ? listed : [{ pointer, message: (err as Error).message }]) {
        problems.push({ pointer, message: p.message });
      }
    }
  };
  switch (c.type) {
    case "threshold":
    case "spike":
      query(c.query, "/condition/query");
      break;
    case "sequence":
      for (const [i, s] of c.steps.entries()) query(s.query, `/condition/steps/${i}/query`);
      for (const [i, s] of (c.not_followed_by ?? []).entries()) query(s.query, `/condition/not_followed_by/${i}/query`);
      break;
    case "absence": {
      query(c.query, "/condition/query");
      if (c.schedule === undefined && c.silence_seconds === undefined) {
        problems.push({ pointer: "/condition", message: "names neither a schedule nor silence_seconds; one of them" });
      }
      if (c.schedule !== undefined && c.silence_seconds !== undefined) {
        problems.push({
          pointer: "/condition/silence_seconds",
          message: "is for a rule without a schedule; give one or the other",
        });
      }
      if (c.schedule === undefined) {
        if (c.grace_seconds !== undefined) {
          problems.push({ pointer: "/condition/grace_seconds", message: "is for a schedule's expected events" });
        }
        if (c.timezone !== undefined) problems.push({ pointer: "/condition/timezone", message: "is for a schedule" });
      }
      const zoneOk = c.timezone === undefined || isTimeZone(c.timezone);
      if (!zoneOk) {
        problems.push({
          pointer: "/condition/timezone",
          message: `${JSON.stringify(c.timezone)} is no IANA time zone`,
        });
      }
      if (c.schedule !== undefined) {
        try {
          CronExpressionParser.parse(c.schedule, zoneOk && c.timezone ? { tz: c.timezone } : {}).next();
        } catch (err) {
          problems.push({
            pointer: "/condition/schedule",
            message: `is no cron expression: ${err instanceof Error ? err.message : String(err)}`,
          });
        }
      }
      break;
    }
  }
  return problems;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
