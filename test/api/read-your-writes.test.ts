// Read your own writes: search-backed reads take `min_index` (an index from an
// ingest receipt) and answer once the search projection covers it. Stores that
// index in the commit cover it at once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiFixture, buildApiFixture, problemOf, validEvent } from "./api-fixture.js";

let f: ApiFixture;

beforeAll(async () => {
  f = await buildApiFixture();
});
afterAll(async () => {
  await f?.close();
});

describe("min_index", () => {
  it("a search, a stats query and a history with min_index see the event just appended", async () => {
    const sent = validEvent("ryw_1", { message: "quokka sighting", target: { type: "app", id: "app_ryw" } });
    const receipt = (await f.request("POST", "/v1/events", f.acme.ingest, sent)).json().results[0];
    expect(receipt.status).toBe("created");
    const at = `min_index=${receipt.index}`;

    const search = await f.request("GET", `/v1/events?text=quokka&${at}`, f.acme.viewer);
    expect(search.statusCode, search.body.slice(0, 300)).toBe(200);
    expect(search.json().events.map((e: { event: { id: string } }) => e.event.id)).toEqual(["ryw_1"]);

    const stats = await f.request("GET", `/v1/stats?text=quokka&bucket=week&${at}`, f.acme.viewer);
    expect(stats.statusCode, stats.body.slice(0, 300)).toBe(200);
    expect(stats.json().total).toBe(1);

    const history = await f.request("GET", `/v1/targets/app/app_ryw/history?${at}`, f.acme.viewer);
    expect(history.statusCode, history.body.slice(0, 300)).toBe(200);
    expect(history.json().events).toHaveLength(1);
  });

  it("refuses a min_index that is not an index, naming the parameter", async () => {
    for (const bad of ["-1", "abc", "1.5"]) {
      const res = await f.request("GET", `/v1/events?min_index=${bad}`, f.acme.viewer);
      expect(res.statusCode).toBe(400);
      const problem = problemOf(res);
      expect(problem.code).toBe("REQUEST_INVALID");
      expect(problem.problems?.map((p) => p.pointer)).toContain("/querystring/min_index");
    }
  });

  it("an index beyond the log is refused at once: no receipt names it, so waiting cannot help", async () => {
    const started = Date.now();
    const res = await f.request("GET", "/v1/events?min_index=1000000000", f.acme.viewer);
    expect(res.statusCode).toBe(400);
    expect(problemOf(res)).toMatchObject({
      code: "SEARCH_QUERY_INVALID",
      problems: [{ pointer: "/querystring/min_index" }],
    });
    expect(Date.now() - started).toBeLessThan(4000);
  });
});
