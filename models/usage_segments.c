/* usage_segments.c: a mix of named segments (light, medium, heavy, power),
 * each a share of customers with one mean intensity.
 *
 * Mean:      E X = sum_i s_i m_i
 * Quantile:  the smallest m_i (segments taken by increasing mean) whose
 *            cumulative share reaches p
 * Top share: take segments from the heaviest down until their shares add
 *            to p (the last one in part); their usage over E X.
 * The reports show these segments instead of the four by intensity, and
 * extra power users join the heaviest segment. */
#include <math.h>
#include <stdio.h>

#include "usage_laws.h"

typedef usage_segments_params params;

static const param_key segment_keys[] = {
    PSTR(usage_segment, "name", name, PARAM_REQUIRED, NULL, "segment name, e.g. light"),
    PNUM(usage_segment, "share", share, 0, 1, PARAM_REQUIRED, "share of customers", NULL,
         "share of customers in the segment"),
    PNUM(usage_segment, "mean", mean, 0, 0, PARAM_POS | PARAM_REQUIRED, "interactions per month", NULL,
         "monthly intensity of the segment's customers"),
    PARAM_END
};

static const param_key keys[] = {
    PLIST(params, "segments", segments, usage_segment, nsegments, USAGE_MAX_SEGMENTS, segment_keys, PARAM_NEEDED,
          "named groups with shares and mean intensities"),
    PARAM_END
};

/* Indices of the segments by decreasing mean (insertion sort: n <= 8). */
static void order_desc(const params *u, int *idx)
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

/* The heaviest segment: where extra power users go. */
static int heaviest(const params *u)
{
    int h = 0;
    for (int i = 1; i < u->nsegments; i++)
        if (u->segments[i].mean > u->segments[h].mean)
            h = i;
    return h;
}

static int prepare(usage_dist *d, const char **what, ts_error *err)
{
    const params *u = usage_params_c(d);
    *what = "segments";
    if (u->nsegments < 1)
        return ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0, "expected at least one segment");
    double sum = 0;
    for (int i = 0; i < u->nsegments; i++)
        sum += u->segments[i].share;
    if (fabs(sum - 1.0) > 1e-6)
        return ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0, "segment shares add up to %g, expected 1", sum);
    *what = NULL;
    return TS_OK;
}

static double mean(const usage_dist *d)
{
    const params *u = usage_params_c(d);
    double m = 0;
    for (int i = 0; i < u->nsegments; i++)
        m += u->segments[i].share * u->segments[i].mean;
    return m;
}

static double quantile(const usage_dist *d, double p)
{
    const params *u = usage_params_c(d);
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

static double top_share(const usage_dist *d, double p)
{
    const params *u = usage_params_c(d);
    int idx[USAGE_MAX_SEGMENTS];
    order_desc(u, idx);
    double left = p, used = 0;
    for (int k = 0; k < u->nsegments && left > 0; k++) {
        const usage_segment *s = &u->segments[idx[k]];
        double take = s->share < left ? s->share : left;
        used += take * s->mean;
        left -= take;
    }
    return used / mean(d);
}

/* The segment where cumulative shares, in the order written, pass v. */
static double pick(const params *u, double v, int *segment)
{
    double cum = 0;
    int i = 0;
    for (; i < u->nsegments - 1; i++) {
        cum += u->segments[i].share;
        if (v < cum)
            break;
    }
    *segment = i;
    return u->segments[i].mean;
}

static double draw(const gsl_rng *r, const usage_dist *d, int *segment)
{
    return pick(usage_params_c(d), gsl_rng_uniform(r), segment);
}

static double draw_at(const usage_dist *d, double p, int *segment)
{
    return pick(usage_params_c(d), p, segment);
}

static int nsegments(const usage_dist *d)
{
    return ((const params *)usage_params_c(d))->nsegments;
}

static const char *segment_name(const usage_dist *d, int i)
{
    return ((const params *)usage_params_c(d))->segments[i].name;
}

static double power_draw(const gsl_rng *r, const usage_dist *d, int *segment)
{
    (void)r;
    const params *u = usage_params_c(d);
    *segment = heaviest(u);
    return u->segments[*segment].mean;
}

static double power_mean(const usage_dist *d)
{
    const params *u = usage_params_c(d);
    return u->segments[heaviest(u)].mean;
}

static double power_share(const usage_dist *d)
{
    const params *u = usage_params_c(d);
    return u->segments[heaviest(u)].share;
}

static int heavier_tail(const usage_dist *d, char *set, size_t n)
{
    const params *u = usage_params_c(d);
    int h = heaviest(u);
    return snprintf(set, n, "usage.segments.%d.mean=%.17g", h, 1.5 * u->segments[h].mean);
}

static int sensitivity(const usage_dist *d, double f, usage_sens *v, int max)
{
    (void)d;
    if (max < 1)
        return 0;
    v[0] = (usage_sens){ "usage.segments.*.mean", true, 1 - f, 1 + f };
    return 1;
}

static int describe(const usage_dist *d, char *buf, size_t n)
{
    const params *u = usage_params_c(d);
    int len = snprintf(buf, n, "%d segments:", u->nsegments);
    for (int i = 0; i < u->nsegments && len >= 0 && (size_t)len < n; i++)
        len += snprintf(buf + len, n - (size_t)len, "%s %g%% %s at %g a month", i ? "," : "",
                        100 * u->segments[i].share, u->segments[i].name, u->segments[i].mean);
    return len;
}

/* Exact band sums for the interval's law record (usage_moments.h): Q is a
 * step function, segments in the order listed; the mirror 1 - p of a part
 * of the band may cross several segments. */
static void band_sums(const usage_dist *d, double a, double b, double *sum)
{
    const params *u = usage_params_c(d);
    double lo = 0;
    for (int i = 0; i < u->nsegments; i++) {
        double hi = i == u->nsegments - 1 ? 1 : lo + u->segments[i].share;
        double from = fmax(lo, a), to = fmin(hi, b), m = u->segments[i].mean;
        if (to > from) {
            sum[0] += (to - from) * m;
            sum[1] += (to - from) * m * m;
            double lo2 = 0;
            for (int j = 0; j < u->nsegments; j++) {
                double hi2 = j == u->nsegments - 1 ? 1 : lo2 + u->segments[j].share;
                double f2 = fmax(1 - hi2, from), t2 = fmin(1 - lo2, to);
                if (t2 > f2) {
                    sum[2] += (t2 - f2) * u->segments[j].mean;
                    sum[3] += (t2 - f2) * m * u->segments[j].mean;
                }
                lo2 = hi2;
            }
        }
        lo = hi;
    }
}

const usage_law usage_law_segments = {
    .name = "segments",
    .summary = "named segments, each a share of customers at one mean intensity",
    .keys = keys,
    .params_size = sizeof(params),
    .draw = draw,
    .mean = mean,
    .quantile = quantile,
    .top_share = top_share,
    .describe = describe,
    .prepare = prepare,
    .nsegments = nsegments,
    .segment_name = segment_name,
    .draw_at = draw_at,
    .power_draw = power_draw,
    .power_mean = power_mean,
    .power_share = power_share,
    .heavier_tail = heavier_tail,
    .band_sums = band_sums,
    .sensitivity = sensitivity,
};
