/* testutil.h: helpers shared by the unit tests.
 *
 * Statistical checks follow GSL's rule: a Monte-Carlo estimate fails when it
 * is more than 4 standard errors from its closed form (the standard error
 * itself from the closed-form variance where it exists). TS_QUICK=1 (the
 * sanitizer run) uses fewer draws; tolerances follow, being derived from n. */
#ifndef TS_TESTUTIL_H
#define TS_TESTUTIL_H

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

static inline int test_draws(int full)
{
    const char *q = getenv("TS_QUICK");
    return q && *q == '1' ? full / 10 : full;
}

/* Fails unless |got - want| <= k * se. */
#define assert_within_sigma(got, want, se, k)                                                        \
    do {                                                                                             \
        double g_ = (got), w_ = (want), s_ = (se);                                                   \
        if (!(fabs(g_ - w_) <= (k) * s_)) {                                                          \
            print_error("%s = %.10g, expected %.10g within %g x %.3g\n", #got, g_, w_, (double)(k), s_); \
            fail();                                                                                  \
        }                                                                                            \
    } while (0)

#define assert_close(got, want, rel)                                                                  \
    do {                                                                                             \
        double g_ = (got), w_ = (want);                                                              \
        if (!(fabs(g_ - w_) <= (rel) * fmax(1e-12, fabs(w_)))) {                                     \
            print_error("%s = %.12g, expected %.12g (relative tolerance %g)\n", #got, g_, w_, (double)(rel)); \
            fail();                                                                                  \
        }                                                                                            \
    } while (0)

#endif
