/** Seeded randomness: every stochastic function takes a `Prng`. */
export { Prng } from "./prng.ts";
