// The authorisation matrix, generated from the app's route table: every
// route, called by every credential (none, an API key of each role, the
// operator, a viewer token, people signed in to the console, and a session
// that omits its CSRF token), naming acme's own resources and, where the route
// can name any, globex's. The expected statuses are the table below; a route
// the app has and the table lacks fails, and so does a row for a route the
// app no longer has, so no route ships without an expected status. Each
// answer is also checked: every 4xx is problem+json (or the compat
// convention its requests name), a refused call writes
// nothing, and nothing of globex's reaches acme's credentials.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildMatrixContext, COLUMNS, type Column, type MatrixContext } from "./auth-matrix-context.js";
import { REQUESTS } from "./auth-matrix-requests.js";

// A cell is the status for acme's own resources, then "/" and the status for
// globex's where the route names a tenant's resources. `GET <console-files>`
// stands for every file of the built console. A GET row covers the route's HEAD.
const TABLE = `
route                                  none    ingest  viewer  auditor admin   operator token   s:viewer s:auditor s:nocsrf s:admin
GET /healthz                           200     200     200     200     200     200      200     200      200       200      200
GET /readyz                            200     200     200     200     200     200      200     200      200       200      200
GET /metrics                           401     403     403     403     403     200      403     403      403       403      403
GET /openapi.json                      200     200     200     200     200     200      200     200      200       200      200
GET /docs                              200     200     200     200     200     200      200     200      200       200      200
HEAD /docs/                            200     200     200     200     200     200      200     200      200       200      200
GET /docs/json                         200     200     200     200     200     200      200     200      200       200      200
GET /docs/yaml                         200     200     200     200     200     200      200     200      200       200      200
GET /docs/static/index.html            302     302     302     302     302     302      302     302      302       302      302
GET /docs/static/swagger-initializer.js 200    200     200     200     200     200      200     200      200       200      200
GET /docs/static/*                     200     200     200     200     200     200      200     200      200       200      200
GET <console-files>                    200     200     200     200     200     200      200     200      200       200      200
POST /v1/tenants                       401     403     403     403     403     201      403     403      403       403      403
GET /v1/tenants                        401     403     403     403     403     200      403     403      403       403      403
POST /v1/tenants/:tenant/keys          401     403     403     403     403     201      403     403      403       403      403
POST /v1/platform-keys                 401     403     403     403     403     201      403     403      403       403      403
GET /v1/platform-keys                  401     403     403     403     403     200      403     403      403       403      403
DELETE /v1/platform-keys/:keyId        401     403     403     403     403     200      403     403      403       403      403
POST /v1/auth/login                    200/401 200/401 200/401 200/401 200/401 200/401  200/401 200/401  200/401   200/401  200/401
POST /v1/auth/enroll                   401     401     401     401     401     401      401     401      401       401      401
POST /v1/auth/totp                     401     401     401     401     401     401      401     401      401       401      401
POST /v1/auth/recover                  401     401     401     401     401     401      401     401      401       401      401
GET /v1/auth/session                   401     403     401     401     401     403      403     200      200       200      200
POST /v1/events                        401/401 200/200 403/403 403/403 403/403 403/403  403/403 403/403  403/403   403/403  403/403
GET /v1/events                         401/401 403/403 200/200 200/200 200/200 403/403  200/200 200/200  200/200   200/200  200/200
GET /v1/events/:id                     401/401 403/403 200/404 200/404 200/404 403/403  200/404 200/404  200/404   200/404  200/404
GET /v1/events/:id/trace               401/401 403/403 200/404 200/404 200/404 403/403  403/403 200/404  200/404   200/404  200/404
GET /v1/targets/:type/:id/history      401/401 403/403 200/200 200/200 200/200 403/403  403/403 200/200  200/200   200/200  200/200
GET /v1/stats                          401/401 403/403 200/200 200/200 200/200 403/403  403/403 200/200  200/200   200/200  200/200
GET /v1/governance                     401     403     200     200     200     403      403     200      200       200      200
GET /v1/log/checkpoint                 401     403     403     200     200     403      403     403      200       200      200
GET /v1/log/checkpoints                401     403     403     200     200     403      403     403      200       200      200
GET /v1/log/key                        401     403     403     200     200     403      403     403      200       200      200
GET /v1/log/entries                    401     403     403     200     200     403      403     403      200       200      200
GET /v1/log/proof/inclusion            401     403     403     200     200     403      403     403      200       200      200
GET /v1/log/proof/consistency          401     403     403     200     200     403      403     403      200       200      200
POST /v1/log/verify                    401     403     403     202     202     403      403     403      202       403      202
GET /v1/log/verify/:job                401/401 403/403 403/403 200/404 200/404 403/403  403/403 403/403  200/404   200/404  200/404
GET /v1/export                         401     403     403     200     200     403      403     403      200       200      200
GET /v1/schemas                        401     403     403     403     200     403      403     403      403       200      200
GET /v1/schemas/:action                401/401 403/403 403/403 403/403 200/404 403/403  403/403 403/403  403/403   200/404  200/404
POST /v1/schemas                       401     403     403     403     201     403      403     403      403       403      201
GET /v1/keys                           401     403     403     403     200     403      403     403      403       200      200
POST /v1/keys                          401     403     403     403     201     403      403     403      403       403      201
DELETE /v1/keys/:keyId                 401/401 403/403 403/403 403/403 200/404 403/403  403/403 403/403  403/403   403/403  200/404
GET /v1/settings                       401     403     403     403     200     403      403     403      403       200      200
PATCH /v1/settings                     401     403     403     403     200     403      403     403      403       403      200
GET /v1/people                         401     403     403     403     200     403      403     403      403       200      200
POST /v1/people                        401     403     403     403     201     403      403     403      403       403      201
DELETE /v1/people/:username            401/401 403/403 403/403 403/403 200/404 403/403  403/403 403/403  403/403   403/403  200/404
POST /v1/viewer-tokens                 401     403     403     403     201     403      403     403      403       403      201
GET /v1/automations                    401     403     200     200     200     403      403     200      200       200      200
GET /v1/auth/whoami                    200     200     200     200     200     200      200     200      200       200      200
GET /v1/viewer-tokens                  401     403     403     403     200     403      403     403      403       200      200
POST /v1/log/key/rotate                401     403     403     403     202     403      403     403      403       403      202
GET /v1/approvals                      401     403     403     403     200     403      403     403      403       200      200
GET /v1/approvals/:id                  401/401 403/403 403/403 403/403 200/404 403/403  403/403 403/403  403/403   200/404  200/404
POST /v1/approvals/:id/approve         401/401 403/403 403/403 403/403 200/404 403/403  403/403 403/403  403/403   403/403  200/404
POST /v1/approvals/:id/reject          401/401 403/403 403/403 403/403 200/404 403/403  403/403 403/403  403/403   403/403  200/404
GET /v1/tenants/:tenant/dual-control   401     403     403     403     403     200      403     403      403       403      403
PUT /v1/tenants/:tenant/dual-control   401     403     403     403     403     200      403     403      403       403      403
GET /v1/tenants/:tenant/retention      401/401 403/403 403/403 200/404 200/404 403/403  403/403 403/403  200/404   200/404  200/404
PUT /v1/tenants/:tenant/retention      401/401 403/403 403/403 403/403 202/404 403/403  403/403 403/403  403/403   403/403  202/404
POST /v1/tenants/:tenant/retention/prune 401/401 403/403 403/403 403/403 200/404 200/200 403/403 403/403 403/403  403/403  200/404
POST /v1/tenants/:tenant/legal-holds   401/401 403/403 403/403 403/403 201/404 403/403  403/403 403/403  403/403   403/403  201/404
GET /v1/tenants/:tenant/legal-holds    401/401 403/403 403/403 200/404 200/404 403/403  403/403 403/403  200/404   200/404  200/404
POST /v1/tenants/:tenant/legal-holds/:id/lift 401/401 403/403 403/403 403/403 202/404 403/403 403/403 403/403 403/403 403/403 202/404
POST /v1/pseudonyms/resolve            401/401 403/403 403/403 200/404 200/404 403/403  403/403 403/403  200/404   403/403  200/404
POST /v1/erasures                      401     403     403     403     202     403      403     403      403       403      202
GET /v1/erasures                       401     403     403     403     200     403      403     403      403       200      200
GET /v1/erasures/:id                   401/401 403/403 403/403 403/403 200/404 403/403  403/403 403/403  403/403   200/404  200/404
POST /publisher/v1/project/:projectId/event 401/401 201/403 403/403 403/403 403/403 403/403 403/403 403/403 403/403 403/403 403/403
POST /publisher/v1/project/:projectId/event/bulk 401/401 201/403 403/403 403/403 403/403 403/403 403/403 403/403 403/403 403/403 403/403
GET /publisher/v1/project/:projectId/viewertoken 401/401 403/403 403/403 403/403 201/403 403/403 403/403 403/403 403/403 201/403 201/403
POST /auditlog/publisher/v1/project/:projectId/event 401/401 201/403 403/403 403/403 403/403 403/403 403/403 403/403 403/403 403/403 403/403
POST /auditlog/publisher/v1/project/:projectId/event/bulk 401/401 201/403 403/403 403/403 403/403 403/403 403/403 403/403 403/403 403/403 403/403
GET /auditlog/publisher/v1/project/:projectId/viewertoken 401/401 403/403 403/403 403/403 201/403 403/403 403/403 403/403 403/403 201/403 201/403
POST /audit_logs/events                401/401 201/403 403/403 403/403 403/403 403/403  403/403 403/403  403/403   403/403  403/403
POST /audit_logs/actions/:action/schemas 401   403     403     403     201     403      403     403      403       403      201
POST /audit_logs/exports               401/401 403/403 403/403 201/403 201/403 403/403  403/403 403/403  201/403   403/403  201/403
GET /audit_logs/exports/:id            401/401 403/403 403/403 200/404 200/404 403/403  403/403 403/403  200/404   200/404  200/404
GET /audit_logs/exports/:id/csv        200     200     200     200     200     200      200     200      200       200      200
POST /v1/logs                          401/401 200/403 403/403 403/403 403/403 403/403  403/403 403/403  403/403   403/403  403/403
POST /v1/cloudevents                   401/401 202/403 403/403 403/403 403/403 403/403  403/403 403/403  403/403   403/403  403/403
POST /opa/logs                         401     200     403     403     403     403      403     403      403       403      403
POST /opa/logs/:partition              401     200     403     403     403     403      403     403      403       403      403
POST /k8s/audit                        401     200     403     403     403     403      403     403      403       403      403
POST /k8s/audit/:tenant                401/401 200/403 403/403 403/403 403/403 403/403  403/403 403/403  403/403   403/403  403/403
POST /v1/reports                       401     403     403     200     200     403      403     403      200       403      200
GET /v1/reports/:id                    401/401 403/403 403/403 200/404 200/404 403/403  403/403 403/403  200/404   200/404  200/404
POST /v1/report-schedules              401     403     403     403     201     403      403     403      403       403      201
GET /v1/report-schedules               401     403     403     403     200     403      403     403      403       200      200
GET /v1/report-schedules/:id           401/401 403/403 403/403 403/403 200/404 403/403  403/403 403/403  403/403   200/404  200/404
PUT /v1/report-schedules/:id           401/401 403/403 403/403 403/403 200/404 403/403  403/403 403/403  403/403   403/403  200/404
DELETE /v1/report-schedules/:id        401/401 403/403 403/403 403/403 200/404 403/403  403/403 403/403  403/403   403/403  200/404
POST /v1/channels                      401     403     403     403     201     403      403     403      403       403      201
GET /v1/channels                       401     403     403     200     200     403      403     403      200       200      200
GET /v1/channels/:id                   401/401 403/403 403/403 200/404 200/404 403/403  403/403 403/403  200/404   200/404  200/404
PATCH /v1/channels/:id                 401/401 403/403 403/403 403/403 200/404 403/403  403/403 403/403  403/403   403/403  200/404
DELETE /v1/channels/:id                401/401 403/403 403/403 403/403 200/404 403/403  403/403 403/403  403/403   403/403  200/404
POST /v1/channels/:id/rotate-secret    401/401 403/403 403/403 403/403 200/404 403/403  403/403 403/403  403/403   403/403  200/404
POST /v1/channels/:id/test             401/401 403/403 403/403 403/403 200/404 403/403  403/403 403/403  403/403   403/403  200/404
GET /v1/deliveries                     401     403     403     200     200     403      403     403      200       200      200
GET /v1/deliveries/:id                 401/401 403/403 403/403 200/404 200/404 403/403  403/403 403/403  200/404   200/404  200/404
POST /v1/deliveries/:id/redrive        401/401 403/403 403/403 403/403 200/404 403/403  403/403 403/403  403/403   403/403  200/404
POST /v1/operator/channels             401     403     403     403     403     201      403     403      403       403      403
GET /v1/operator/channels              401     403     403     403     403     200      403     403      403       403      403
DELETE /v1/operator/channels/:id       401     403     403     403     403     200      403     403      403       403      403
GET /v1/rules                          401     403     403     200     200     403     403     403     200     200     200
POST /v1/rules                         401     403     403     403     201     403     403     403     403     403     201
POST /v1/rules/backtest                401     403     403     200     200     403     403     403     200     403     200
GET /v1/rules/:id                      401/401  403/403  403/403  200/404  200/404  403/403  403/403  403/403  200/404  200/404  200/404
PUT /v1/rules/:id                      401/401  403/403  403/403  403/403  200/404  403/403  403/403  403/403  403/403  403/403  200/404
DELETE /v1/rules/:id                   401/401  403/403  403/403  403/403  200/404  403/403  403/403  403/403  403/403  403/403  200/404
GET /v1/rules/:id/versions             401/401  403/403  403/403  200/404  200/404  403/403  403/403  403/403  200/404  200/404  200/404
POST /v1/rules/:id/backtest            401/401  403/403  403/403  200/404  200/404  403/403  403/403  403/403  200/404  403/403  200/404
GET /v1/alerts                         401     403     403     200     200     403     403     403     200     200     200
GET /v1/alerts/:id                     401/401  403/403  403/403  200/404  200/404  403/403  403/403  403/403  200/404  200/404  200/404
POST /v1/alerts/:id/acknowledge        401/401  403/403  403/403  403/403  200/404  403/403  403/403  403/403  403/403  403/403  200/404
POST /v1/alerts/:id/resolve            401/401  403/403  403/403  403/403  200/404  403/403  403/403  403/403  403/403  403/403  200/404
POST /v1/streams                       401     403     403     403     201     403      403     403      403       403      201
GET /v1/streams                        401     403     403     200     200     403      403     403      200       200      200
GET /v1/streams/:id                    401/401 403/403 403/403 200/404 200/404 403/403  403/403 403/403  200/404   200/404  200/404
POST /v1/streams/:id/pause             401/401 403/403 403/403 403/403 200/404 403/403  403/403 403/403  403/403   403/403  200/404
POST /v1/streams/:id/resume            401/401 403/403 403/403 403/403 200/404 403/403  403/403 403/403  403/403   403/403  200/404
POST /v1/streams/:id/rotate-secret     401/401 403/403 403/403 403/403 200/404 403/403  403/403 403/403  403/403   403/403  200/404
DELETE /v1/streams/:id                 401/401 403/403 403/403 403/403 200/404 403/403  403/403 403/403  403/403   403/403  200/404
GET /v1/events/:id/proof               401/401 403/403 403/403 200/404 200/404 403/403  403/403 403/403  200/404   200/404  200/404
POST /v1/auth/logout                   401     403     204     204     204     403      403     204      204       403      204
`;

const CONSOLE_FILES = "GET <console-files>";

interface Row {
  name: string;
  /** Column -> "own" or "own/foreign". */
  expected: Record<Column, string>;
}

function parseTable(text: string): Row[] {
  const [header, ...lines] = text.trim().split("\n");
  const columns = header?.trim().split(/\s+/).slice(1);
  if (JSON.stringify(columns) !== JSON.stringify(COLUMNS)) throw new Error(`the table's columns are not ${COLUMNS}`);
  return lines.map((line) => {
    const [method, url, ...cells] = line.trim().split(/\s+/);
    if (cells.length !== COLUMNS.length)
      throw new Error(`${method} ${url}: ${cells.length} cells, not ${COLUMNS.length}`);
    return {
      name: `${method} ${url}`,
      expected: Object.fromEntries(COLUMNS.map((c, i) => [c, cells[i] as string])) as Record<Column, string>,
    };
  });
}

const ROWS = parseTable(TABLE);
let ctx: MatrixContext;
let calls = 0;

beforeAll(async () => {
  ctx = await buildMatrixContext();
}, 120_000);
afterAll(async () => {
  await ctx?.close();
});

/** The app's routes as the table names them: console files as one, a HEAD under its GET. */
function tableNamesOfApp(): Set<string> {
  const names = new Set<string>();
  const all = new Set(ctx.routes.map((r) => r.name));
  for (const r of ctx.routes) {
    if (r.consoleFile) names.add(CONSOLE_FILES);
    else if (r.method === "HEAD" && all.has(`GET ${r.url}`)) continue;
    else names.add(r.name);
  }
  return names;
}

describe("the expectation table", () => {
  it("has a row for every route of the app", () => {
    const rows = new Set(ROWS.map((r) => r.name));
    expect([...tableNamesOfApp()].filter((name) => !rows.has(name))).toEqual([]);
  });

  it("has no row for a route the app does not have", () => {
    const app = tableNamesOfApp();
    expect(ROWS.map((r) => r.name).filter((name) => !app.has(name))).toEqual([]);
  });

  it("gives own and foreign statuses exactly where the route can name a tenant's resources", () => {
    const wrong = ROWS.filter((r) => {
      const twoPart = Object.values(r.expected).map((cell) => cell.includes("/"));
      const foreign = REQUESTS[r.name]?.foreign !== undefined;
      return twoPart.some((t) => t !== foreign);
    }).map((r) => r.name);
    expect(wrong).toEqual([]);
  });
});

const sizes = async () => [await ctx.data.ledger.treeSize("acme"), await ctx.data.ledger.treeSize("globex")];

/** Strings of globex's that no answer to acme's credentials may contain. */
function globexSecrets(column: Column): string[] {
  const { globex } = ctx.world;
  return [
    globex.marker,
    ...Object.values(globex.keyIds),
    // The operator lists every tenant's origin; nobody else may see globex's.
    ...(column === "operator" ? [] : ["/log/globex"]),
  ];
}

/** Calls one route as `column`, for acme's resources or globex's; returns the status and what was wrong besides. */
async function call(routeName: string, method: string, column: Column, foreign: boolean) {
  const getName = routeName.replace(/^HEAD /, "GET ");
  const requests = REQUESTS[routeName] ?? REQUESTS[getName];
  const route = ctx.routes.find((r) => r.name === routeName);
  const wrong: string[] = [];
  const n = calls++;
  const request = requests
    ? await (foreign && requests.foreign ? requests.foreign(ctx, n, column) : requests.own(ctx, n, column))
    : { path: routeName.slice(routeName.indexOf(" ") + 1) };
  const before = await sizes();
  const res = await ctx.sendAs(column)({
    method,
    path: request.path,
    ...ctx.credential(column),
    ...(request.body === undefined ? {} : { body: request.body }),
    ...(request.headers ? { headers: request.headers } : {}),
  });
  const label = `${method} ${request.path} as ${column}`;
  if (res.status >= 400) {
    const type = res.headers["content-type"] ?? "";
    const expected = route?.errorMediaTypes ?? ["application/problem+json"];
    if (!expected.some((t) => type.startsWith(t))) {
      wrong.push(`${label}: ${res.status} is ${type}, not ${expected.join(" or ")}`);
    }
  }
  if ((res.status === 401 || res.status === 403) && route?.permission !== undefined) {
    const after = await sizes();
    if (after.join() !== before.join())
      wrong.push(`${label}: refused with ${res.status}, yet the logs went ${before} -> ${after}`);
  }
  if (res.status < 300) {
    for (const secret of globexSecrets(column)) {
      if (res.text.includes(secret)) wrong.push(`${label}: the answer holds globex's ${secret}`);
    }
    if (foreign && method !== "HEAD") {
      await Promise.resolve(requests?.checkForeign?.(res, ctx)).catch((err: unknown) => wrong.push(`${label}: ${err}`));
    }
  }
  return { status: res.status, wrong };
}

const cases = ROWS.map((row) => ({ name: row.name, row }));

describe("every route, every credential, own tenant and foreign", () => {
  it.each(cases)("$name", async ({ row }) => {
    if (row.name === "GET /readyz") await ctx.data.ledger.publishCheckpoints();
    const routes =
      row.name === CONSOLE_FILES
        ? ctx.routes.filter((r) => r.consoleFile).map((r) => r.name)
        : ctx.routes
            .filter((r) => r.name === row.name || r.name === row.name.replace(/^GET /, "HEAD "))
            .map((r) => r.name);
    expect(routes.length, `${row.name} is not a route of the app`).toBeGreaterThan(0);
    const wrong: string[] = [];
    for (const routeName of routes) {
      const method = routeName.slice(0, routeName.indexOf(" "));
      const observed = {} as Record<Column, string>;
      for (const column of COLUMNS) {
        const foreign = row.expected[column].includes("/");
        const own = await call(routeName, method, column, false);
        wrong.push(...own.wrong);
        observed[column] = String(own.status);
        if (foreign) {
          const other = await call(routeName, method, column, true);
          wrong.push(...other.wrong);
          observed[column] += `/${other.status}`;
        }
      }
      expect({ route: routeName, statuses: observed }).toEqual({ route: routeName, statuses: row.expected });
    }
    expect(wrong).toEqual([]);
  });

  it("left globex's key and person untouched by acme's attempts to delete them", async () => {
    const globex = ctx.world.globex;
    const res = await ctx.send({ method: "GET", path: "/v1/events?limit=1", key: globex.keys.viewer });
    expect(res.status).toBe(200);
    const people = await ctx.send({ method: "GET", path: "/v1/people", key: globex.keys.admin });
    const person = (JSON.parse(people.text) as { people: { username: string; disabled: boolean }[] }).people.find(
      (p) => p.username === globex.person,
    );
    expect(person).toMatchObject({ disabled: false });
  });
});
