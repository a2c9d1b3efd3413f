// The headers of fuzz cases: credentials of every kind (none, each role's
// key, the operator, people's sessions with and without their CSRF token, a
// viewer token, and broken ones), and header mutations, some of which Node's
// HTTP server answers before any route runs.
import { randomBytes } from "node:crypto";
import { pick, type Rng } from "./hostile-values.js";
import type { Session, World } from "./world.js";

export interface Credential {
  label: string;
  headers: [string, string | Buffer][];
  session?: Session;
}

export function fuzzCredential(rng: Rng, world: World, route: string): Credential {
  const { acme } = world;
  const bearer = (value: string): [string, string] => ["authorization", `Bearer ${value}`];
  const withSession = (s: Session, csrf: boolean): [string, string][] => [
    ["cookie", s.cookie],
    ...(csrf ? [["x-csrf-token", s.csrf] as [string, string]] : []),
  ];
  const choice = pick(rng, [
    "none",
    "ingest",
    "viewer",
    "auditor",
    "admin",
    "operator",
    "session:viewer",
    "session:admin",
    "session:auditor",
    "session:admin,no-csrf",
    "viewer-token",
    "hostile",
  ]);
  switch (choice) {
    case "none":
      return { label: choice, headers: [] };
    case "ingest":
    case "viewer":
    case "auditor":
    case "admin":
      return { label: choice, headers: [bearer(acme.keys[choice])] };
    case "operator":
      return { label: choice, headers: [bearer(world.operator)] };
    case "viewer-token":
      return { label: choice, headers: [bearer(acme.viewerToken)] };
    case "session:admin,no-csrf": {
      const s = acme.sessions.admin as Session;
      return { label: choice, headers: withSession(s, false) };
    }
    case "hostile":
      return hostileCredential(rng, world);
    default: {
      const role = choice.slice("session:".length) as "viewer" | "auditor" | "admin";
      // Ending a session uses a spare one, so the suite's own sessions stay signed in.
      if (route === "POST /v1/auth/logout") {
        const spare = acme.spareSessions.shift();
        if (spare) return { label: `${choice} (spare)`, headers: withSession(spare, true), session: spare };
        return {
          label: `${choice} (revoked)`,
          headers: [["cookie", "tp_session=revokedrevokedrevokedrevokedrevokedrevoked1"]],
        };
      }
      return { label: choice, headers: withSession(acme.sessions[role] as Session, true) };
    }
  }
}

function hostileCredential(rng: Rng, world: World): Credential {
  const { acme } = world;
  const options: [string, [string, string | Buffer][]][] = [
    ["bearer-garbage", [["authorization", `Bearer ${randomBytes(24).toString("base64")}`]]],
    ["bearer-empty", [["authorization", "Bearer "]]],
    ["basic", [["authorization", "Basic YWRtaW46YWRtaW4="]]],
    ["unknown-tpk", [["authorization", `Bearer tpk_0123456789abcdef_${"A".repeat(43)}`]]],
    ["unknown-tpv", [["authorization", `Bearer tpv_0123456789abcdef_${"A".repeat(43)}`]]],
    ["wrong-secret", [["authorization", `Bearer ${acme.keys.admin.slice(0, 21)}${"B".repeat(43)}`]]],
    ["long-token", [["authorization", `Bearer ${"x".repeat(5000)}`]]],
    ["lowercase-scheme", [["authorization", `bearer ${acme.keys.viewer}`]]],
    ["tab-separated", [["authorization", `Bearer\t${acme.keys.viewer}`]]],
    [
      "two-authorizations",
      [
        ["authorization", `Bearer ${acme.keys.viewer}`],
        ["authorization", `Bearer ${acme.keys.admin}`],
      ],
    ],
    ["latin1-token", [["authorization", Buffer.concat([Buffer.from("Bearer tpk_"), Buffer.from([0xff, 0xfe, 0xe9])])]]],
    ["cookie-garbage", [["cookie", "tp_session=%%%; tp_session=../../x"]]],
    ["cookie-huge", [["cookie", `tp_session=${"a".repeat(8000)}`]]],
    [
      "cookie-and-bearer",
      [
        ["cookie", (acme.sessions.admin as Session).cookie],
        ["authorization", "Bearer nonsense"],
      ],
    ],
    [
      "csrf-wrong",
      [
        ["cookie", (acme.sessions.admin as Session).cookie],
        ["x-csrf-token", "wrong"],
      ],
    ],
  ];
  const [label, headers] = pick(rng, options);
  return { label: `hostile:${label}`, headers };
}

/** Header mutations; `nodeLevel` ones are answered by Node's HTTP server before any route runs. */
export const HEADER_MUTATIONS: {
  label: string;
  nodeLevel: boolean;
  apply: (h: [string, string | Buffer][]) => void;
}[] = [
  { label: "accept:text/html", nodeLevel: false, apply: (h) => h.push(["accept", "text/html"]) },
  { label: "accept:problem", nodeLevel: false, apply: (h) => h.push(["accept", "application/problem+json"]) },
  { label: "accept:garbage", nodeLevel: false, apply: (h) => h.push(["accept", "}{;q=x, */*;q=2"]) },
  { label: "request-id:odd", nodeLevel: false, apply: (h) => h.push(["x-request-id", "../../\u00ff".repeat(60)]) },
  { label: "x-forwarded-for", nodeLevel: false, apply: (h) => h.push(["x-forwarded-for", "1.2.3.4, ::1, garbage"]) },
  { label: "user-agent:huge", nodeLevel: false, apply: (h) => h.push(["user-agent", "ua".repeat(3000)]) },
  { label: "expect:100-continue", nodeLevel: false, apply: (h) => h.push(["expect", "100-continue"]) },
  { label: "expect:unknown", nodeLevel: true, apply: (h) => h.push(["expect", "the-unexpected"]) },
  { label: "content-encoding:gzip", nodeLevel: false, apply: (h) => h.push(["content-encoding", "gzip"]) },
  { label: "upgrade:websocket", nodeLevel: false, apply: (h) => h.push(["upgrade", "websocket"]) },
  {
    label: "many-headers",
    nodeLevel: false,
    apply: (h) => h.push(...Array.from({ length: 300 }, (_, i): [string, string] => [`x-h${i}`, "v"])),
  },
  { label: "origin:evil", nodeLevel: false, apply: (h) => h.push(["origin", "https://evil.example"]) },
  { label: "no-host", nodeLevel: true, apply: (h) => removeHeader(h, "host") },
  { label: "two-hosts", nodeLevel: true, apply: (h) => h.push(["host", "evil.example"]) },
  { label: "header:NUL", nodeLevel: true, apply: (h) => h.push(["x-nul", Buffer.from([0x61, 0x00, 0x62])]) },
  { label: "header:bare-CR", nodeLevel: true, apply: (h) => h.push(["x-cr", Buffer.from([0x61, 0x0d, 0x62])]) },
  { label: "header:space-in-name", nodeLevel: true, apply: (h) => h.push(["x bad", "v"]) },
  { label: "header:obs-fold", nodeLevel: true, apply: (h) => h.push(["x-fold", "a\r\n  b"]) },
  { label: "header:huge", nodeLevel: true, apply: (h) => h.push(["x-huge", "h".repeat(20_000)]) },
];

export function removeHeader(headers: [string, string | Buffer][], name: string): void {
  for (let i = headers.length - 1; i >= 0; i--) if (headers[i]?.[0].toLowerCase() === name) headers.splice(i, 1);
}
