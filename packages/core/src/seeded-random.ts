// mulberry32, a small seeded PRNG: the same seed gives the same sequence on
// every run and platform. For demo data, the simulator and test corpora;
// never for anything secret (ids and salts come from the platform's CSPRNG).

/** A generator of numbers uniform in [0, 1), determined by `seed`. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
