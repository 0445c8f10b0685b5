/* rng.h: random streams, one per replication.
 *
 * Each replication owns a gsl_rng of type ts_rng_xoshiro256 (xoshiro256**,
 * 2^256 period, 64-bit state seeding), seeded from (scenario seed, replication
 * index) by SplitMix64 mixing, so a replication's draws depend on nothing but
 * those two numbers: not on the thread that runs it nor on the order in which
 * replications finish. */
#ifndef TS_RNG_H
#define TS_RNG_H

#include <gsl/gsl_rng.h>
#include <stdint.h>

extern const gsl_rng_type *ts_rng_xoshiro256;

/* Mixes a seed and a stream index into a 64-bit seed (SplitMix64 finaliser
 * applied to both). Distinct indices give uncorrelated states. */
uint64_t ts_rng_seed_mix(uint64_t seed, uint64_t index);

/* Creates the generator of stream `index` under `seed`. The caller frees it
 * with gsl_rng_free. Returns NULL when out of memory. */
gsl_rng *ts_rng_create(uint64_t seed, uint64_t index);

/* Re-seeds an existing ts_rng_xoshiro256 generator to stream `index`. */
void ts_rng_reseed(gsl_rng *r, uint64_t seed, uint64_t index);

#endif
