/* topshare.c: the share of a total held by its largest values, for the
 * cost-concentration figures (top 1/5/10/20% of customers), in linear time
 * by selection rather than sorting. */
#include "topshare.h"

#include "engine.h"

#include <math.h>
#include <stddef.h>

/* Moves the k largest of v[0..n) to v[0..k), in no particular order:
 * quickselect with a median-of-three pivot and a three-way partition, so
 * runs of equal values (many customers with zero cost) end it early. */
static void select_top(double *v, size_t n, size_t k)
{
    size_t lo = 0, hi = n;
    while (hi - lo > 1 && k > lo && k < hi) {
        double a = v[lo], b = v[lo + (hi - lo) / 2], c = v[hi - 1];
        double pivot = (a > b) ? ((b > c) ? b : (a > c ? c : a)) : ((a > c) ? a : (b > c ? c : b));
        size_t lt = lo, i = lo, gt = hi;
        while (i < gt) {
            double x = v[i];
            if (x > pivot) {
                v[i++] = v[lt];
                v[lt++] = x;
            } else if (x < pivot) {
                v[i] = v[--gt];
                v[gt] = x;
            } else {
                i++;
            }
        }
        /* [lo,lt) > pivot, [lt,gt) == pivot, [gt,hi) < pivot */
        if (k < lt)
            hi = lt;
        else if (k <= gt)
            break;
        else
            lo = gt;
    }
}

/* Top shares for decreasing fractions ps[0] > ps[1] > ...: each selection
 * works inside the previous one, so the total is O(n). */
void top_shares(double *v, size_t n, const double *ps, int np, double *out)
{
    double total = 0;
    for (size_t i = 0; i < n; i++)
        total += v[i];
    size_t hi = n;
    for (int j = 0; j < np; j++) {
        size_t k = (size_t)ceil(ps[j] * (double)n - 1e-9);
        if (k > hi)
            k = hi;
        select_top(v, hi, k);
        double sum = 0;
        for (size_t i = 0; i < k; i++)
            sum += v[i];
        out[j] = total > 0 ? sum / total : NAN;
        hi = k;
    }
}

double engine_top_share(double *v, size_t n, double p)
{
    double out;
    top_shares(v, n, &p, 1, &out);
    return out;
}
