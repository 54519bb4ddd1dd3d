// mulberry32: a tiny seeded generator for generated data that must come out the same on every run (the sample
// datasets, benchmark inputs, preview scenarios, property tests), where Math.random would differ each time.
// Plain JavaScript so node scripts can import it without a build step; TypeScript reads seededRandom.d.mts.

/** Returns a generator of numbers in [0, 1), the same sequence for the same seed. */
export function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
