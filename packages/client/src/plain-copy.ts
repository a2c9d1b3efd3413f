// A private deep copy of what a caller hands record(): the client fills and
// cleans its own copy, never the caller's object. Object members that are
// `undefined` are left out, as JSON.stringify would; anything else that is
// not JSON (a Date, a function, NaN) is kept so validation names it.

export function plainCopy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plainCopy);
  if (typeof value !== "object" || value === null) return value;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    // defineProperty: a "__proto__" key stays a plain member for validation to refuse.
    if (child !== undefined)
      Object.defineProperty(out, key, {
        value: plainCopy(child),
        enumerable: true,
        writable: true,
        configurable: true,
      });
  }
  return out;
}
