/* rng.c: xoshiro256** as a GSL generator type, and per-replication seeding.
 *
 * xoshiro256** (Blackman and Vigna, 2018): state s[4]; output
 * rotl(s1 * 5, 7) * 9; then the linear update. The full 256-bit state is
 * filled from SplitMix64, which GSL's own generators (32-bit seeds) cannot
 * take. GSL sees 32-bit integers (the high half) and 53-bit doubles. */
#include "rng.h"

#include <string.h>

typedef struct { uint64_t s[4]; } xoshiro_state;

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static inline uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static inline uint64_t xoshiro_next(xoshiro_state *st)
{
    uint64_t *s = st->s;
    const uint64_t result = rotl(s[1] * 5, 7) * 9;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

static void xoshiro_set(void *vstate, unsigned long seed)
{
    xoshiro_state *st = vstate;
    uint64_t x = (uint64_t)seed;
    for (int i = 0; i < 4; i++)
        st->s[i] = splitmix64(&x);
}

static unsigned long xoshiro_get(void *vstate)
{
    return (unsigned long)(xoshiro_next(vstate) >> 32);
}

static double xoshiro_get_double(void *vstate)
{
    /* 53 random bits in [0, 1). */
    return (double)(xoshiro_next(vstate) >> 11) * 0x1.0p-53;
}

static const gsl_rng_type xoshiro_type = {
    "xoshiro256**", 0xffffffffUL, 0, sizeof(xoshiro_state),
    xoshiro_set, xoshiro_get, xoshiro_get_double
};

const gsl_rng_type *ts_rng_xoshiro256 = &xoshiro_type;

uint64_t ts_rng_seed_mix(uint64_t seed, uint64_t index)
{
    uint64_t x = seed;
    uint64_t a = splitmix64(&x);
    uint64_t y = a ^ (index * 0xd1b54a32d192ed03ULL);
    return splitmix64(&y);
}

void ts_rng_reseed(gsl_rng *r, uint64_t seed, uint64_t index)
{
    gsl_rng_set(r, (unsigned long)ts_rng_seed_mix(seed, index));
}

gsl_rng *ts_rng_create(uint64_t seed, uint64_t index)
{
    gsl_rng *r = gsl_rng_alloc(ts_rng_xoshiro256);
    if (r)
        ts_rng_reseed(r, seed, index);
    return r;
}
