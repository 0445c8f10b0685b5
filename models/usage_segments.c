/* usage_segments.c: a mix of named segments (light, medium, heavy, power),
 * each a share of customers with one mean intensity.
 *
 * Mean:      E X = sum_i s_i m_i
 * Quantile:  the smallest m_i (segments taken by increasing mean) whose
 *            cumulative share reaches p
 * Top share: take segments from the heaviest down until their shares add
 *            to p (the last one in part); their usage over E X. */
#include "usage.h"

/* Indices of the segments by decreasing mean (insertion sort: n <= 8). */
static void order_desc(const usage_dist *u, int *idx)
{
    int n = u->nsegments;
    for (int i = 0; i < n; i++)
        idx[i] = i;
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && u->segments[idx[j]].mean > u->segments[idx[j - 1]].mean; j--) {
            int t = idx[j];
            idx[j] = idx[j - 1];
            idx[j - 1] = t;
        }
}

double usage_segments_mean(const usage_dist *u)
{
    double m = 0;
    for (int i = 0; i < u->nsegments; i++)
        m += u->segments[i].share * u->segments[i].mean;
    return m;
}

double usage_segments_quantile(const usage_dist *u, double p)
{
    int idx[USAGE_MAX_SEGMENTS];
    order_desc(u, idx);
    double cum = 0;
    for (int k = u->nsegments - 1; k >= 0; k--) {
        cum += u->segments[idx[k]].share;
        if (cum >= p - 1e-12)
            return u->segments[idx[k]].mean;
    }
    return u->segments[idx[0]].mean;
}

double usage_segments_top_share(const usage_dist *u, double p)
{
    int idx[USAGE_MAX_SEGMENTS];
    order_desc(u, idx);
    double left = p, used = 0;
    for (int k = 0; k < u->nsegments && left > 0; k++) {
        const usage_segment *s = &u->segments[idx[k]];
        double take = s->share < left ? s->share : left;
        used += take * s->mean;
        left -= take;
    }
    return used / usage_segments_mean(u);
}
