/* planswitch.c: how every customer's bill would move if the first plan's
 * customers were moved to another plan (see planswitch.h). */
#include "planswitch.h"

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <stdlib.h>
#include <string.h>

static int by_change(const void *a, const void *b)
{
    const switch_mover *x = a, *y = b;
    double cx = x->to - x->from, cy = y->to - y->from;
    return (cx > cy) - (cx < cy);
}

/* The switch from plan 0 to plan `to`; mv and ch are scratch of n. */
static int one_switch(const run_result *r, int to, plan_switch *sw, switch_mover *mv, double *ch)
{
    size_t n = r->nsnapshot, np = (size_t)r->nplans, up = 0, down = 0;
    memset(sw, 0, sizeof *sw);
    sw->to = to;
    sw->customers = n;
    sw->seg = calloc((size_t)(r->nsegments > 0 ? r->nsegments : 1), sizeof *sw->seg);
    if (!sw->seg)
        return -1;
    for (size_t i = 0; i < n; i++) {
        mv[i] = (switch_mover){ r->snap_interactions[i], r->snap_bill[i * np], r->snap_bill[i * np + (size_t)to],
                                r->snap_segment[i] };
        ch[i] = mv[i].to - mv[i].from;
        up += ch[i] > 0.005;
        down += ch[i] < -0.005;
    }
    gsl_sort(ch, 1, n);
    static const double at[5] = { 0.05, 0.25, 0.5, 0.75, 0.95 };
    for (int k = 0; k < 5; k++)
        sw->q[k] = gsl_stats_quantile_from_sorted_data(ch, 1, n, at[k]);
    /* counts of customers, far below 2^53: exact as doubles */
    double dn = (double)n;
    sw->pct_more = 100.0 * (double)up / dn;
    sw->pct_less = 100.0 * (double)down / dn;
    sw->pct_same = 100.0 * (double)(n - up - down) / dn;
    for (int g = 0; g < r->nsegments; g++) {
        double cnt = 0, ni = 0, c = 0;
        for (size_t i = 0; i < n; i++)
            if (mv[i].segment == g) {
                cnt++;
                ni += mv[i].interactions;
                c += mv[i].to - mv[i].from;
            }
        sw->seg[g] = (switch_segment){ cnt, cnt > 0 ? ni / cnt : 0, cnt > 0 ? c / cnt : 0 };
    }
    if (up + down == 0)
        return 0;
    qsort(mv, n, sizeof *mv, by_change);
    for (size_t i = 0; i < 3 && i < n; i++) {
        sw->rises[sw->nrises++] = mv[n - 1 - i];
        sw->falls[sw->nfalls++] = mv[i];
    }
    return 0;
}

int plan_switch_build(const run_result *r, plan_switch **out, int *n)
{
    *out = NULL;
    *n = 0;
    size_t ns = r->nsnapshot;
    if (r->nplans < 2 || !r->snap_bill || !r->snap_interactions || !r->snap_segment || ns == 0)
        return 0;
    plan_switch *sw = calloc((size_t)r->nplans - 1, sizeof *sw);
    switch_mover *mv = malloc(ns * sizeof *mv);
    double *ch = malloc(ns * sizeof *ch);
    int rc = sw && mv && ch ? 0 : -1, k = 0;
    for (; rc == 0 && k < r->nplans - 1; k++)
        rc = one_switch(r, k + 1, &sw[k], mv, ch);
    free(mv);
    free(ch);
    if (rc) {
        plan_switch_free(sw, sw ? k : 0);
        return -1;
    }
    *out = sw;
    *n = r->nplans - 1;
    return 0;
}

void plan_switch_free(plan_switch *sw, int n)
{
    for (int k = 0; sw && k < n; k++)
        free(sw[k].seg);
    free(sw);
}
