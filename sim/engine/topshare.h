/* topshare.h: shares of a total held by its largest values. */
#ifndef TS_TOPSHARE_H
#define TS_TOPSHARE_H

#include <stddef.h>

/* Shares of the total of v[0..n) held by its largest fractions ps[0] >
 * ps[1] > ... (each in [0, 1]) into out[0..np); NaN when the total is 0.
 * Reorders v: afterwards v[0..k) holds the largest k = ceil(ps[np-1] n). */
void top_shares(double *v, size_t n, const double *ps, int np, double *out);

#endif
