import { describe, expect, it } from "vitest";
import { MemorySpool } from "./memory-spool.js";

const ev = (id: string) => ({ id, json: `{"id":"${id}"}` });

describe("MemorySpool", () => {
  it("throws SPOOL_FULL at its event bound by default, and takes more once events are released", async () => {
    const spool = new MemorySpool({ maxEvents: 2 });
    await spool.append(ev("a"));
    await spool.append(ev("b"));
    expect(() => spool.append(ev("c"))).toThrow(expect.objectContaining({ code: "SPOOL_FULL" }));
    await spool.release(["a"]);
    await spool.append(ev("c"));
    expect(spool.size()).toEqual({ events: 2, bytes: 20 });
  });

  it("with whenFull 'block', admits waiters in order as room is released", async () => {
    const spool = new MemorySpool({ maxEvents: 1, whenFull: "block" });
    await spool.append(ev("a"));
    const order: string[] = [];
    const b = spool.append(ev("b")).then(() => order.push("b"));
    const c = spool.append(ev("c")).then(() => order.push("c"));
    await spool.release(["a"]);
    await b;
    expect(order).toEqual(["b"]);
    await spool.release(["b"]);
    await c;
    expect(order).toEqual(["b", "c"]);
  });
});
