// "Where the time goes": a V8 .cpuprofile (node --cpu-prof) reduced to the
// functions with the most inclusive time (a recursive function counted once
// per stack) and the most self time, as shares of the non-idle samples.
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
}

export interface ProfileEntry {
  name: string;
  location: string;
  ms: number;
  pct: number;
}

export interface ProfileSummary {
  file: string;
  /** Sampled time without (idle). */
  busyMs: number;
  idlePct: number;
  inclusive: ProfileEntry[];
  self: ProfileEntry[];
}

const cwd = `file://${process.cwd()}/`;

/** Event-loop plumbing, on every stack: left out of the ranking (its time is in its callees). */
const PLUMBING =
  /^(\((root|idle|program)\)|runMicrotasks|processTicksAndRejections|processImmediate|runNextTicks|listOnTimeout|processTimers)\t/;

function keyOf(n: ProfileNode): string {
  const f = n.callFrame;
  const url = f.url.startsWith(cwd) ? f.url.slice(cwd.length) : f.url;
  // Code loaded through tsx reports line 0 everywhere: the file alone is the honest location.
  const line = f.lineNumber > 0 ? `:${f.lineNumber + 1}` : "";
  return `${f.functionName || "(anonymous)"}\t${url}${line}`;
}

export function summariseProfile(file: string, top = 20): ProfileSummary {
  const p = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const msPerSample = (p.endTime - p.startTime) / 1000 / Math.max(1, p.samples.length);
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const subtree = new Map<number, number>();
  const total = (n: ProfileNode): number => {
    let hits = n.hitCount ?? 0;
    for (const c of n.children ?? []) hits += total(byId.get(c) as ProfileNode);
    subtree.set(n.id, hits);
    return hits;
  };
  const root = p.nodes[0] as ProfileNode;
  const all = total(root);
  const inclusive = new Map<string, number>();
  const self = new Map<string, number>();
  let idle = 0;
  const onStack = new Set<string>();
  const walk = (n: ProfileNode) => {
    const key = keyOf(n);
    if (n.callFrame.functionName === "(idle)") idle += n.hitCount ?? 0;
    self.set(key, (self.get(key) ?? 0) + (n.hitCount ?? 0));
    const counted = !onStack.has(key);
    if (counted) {
      inclusive.set(key, (inclusive.get(key) ?? 0) + (subtree.get(n.id) ?? 0));
      onStack.add(key);
    }
    for (const c of n.children ?? []) walk(byId.get(c) as ProfileNode);
    if (counted) onStack.delete(key);
  };
  walk(root);
  const busy = all - idle;
  const rank = (m: Map<string, number>) =>
    [...m]
      .filter(([k]) => !PLUMBING.test(k))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, hits]) => {
        const [name = "", location = ""] = k.split("\t");
        return { name, location, ms: Math.round(hits * msPerSample), pct: Math.round((hits / busy) * 1000) / 10 };
      });
  return {
    file,
    busyMs: Math.round(busy * msPerSample),
    idlePct: Math.round((idle / Math.max(1, all)) * 1000) / 10,
    inclusive: rank(inclusive),
    self: rank(self),
  };
}
