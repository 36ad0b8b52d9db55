/** The seeded PRNG of @p1/scenario (mulberry32): same seed, same run. */
export { createRng as seededRandom, type Rng as Random } from '@p1/scenario';
