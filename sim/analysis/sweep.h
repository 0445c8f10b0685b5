/* sweep.h: a scenario run over a grid of one or two of its values.
 *
 * Every grid point is the same scenario with the swept values set, run with
 * the same seed, so its replications draw the same random numbers
 * (common random numbers): neighbouring points differ by the parameter,
 * not by noise. */
#ifndef TS_SWEEP_H
#define TS_SWEEP_H

#include <signal.h>

#include "sim/scenario/change.h"
#include "plots/plots.h"
#include "sim/core/error.h"

#define SWEEP_MAX_POINTS 1000
#define SWEEP_MAX_AXES 2     /* a line or a heat map */

typedef struct sweep_axis {
    char path[CHANGE_PATH_LEN];
    double from, to, step;
    int n;                   /* number of values */
} sweep_axis;

/* Parses "path=from:to:step" (step may be omitted when from == to).
 * Returns TS_OK or TS_ERR_INPUT naming the argument: an empty range, a
 * step of 0 or of the wrong sign, too many points. */
int sweep_axis_parse(const char *arg, sweep_axis *ax, ts_error *err);

/* The i-th value of an axis. */
double sweep_axis_value(const sweep_axis *ax, int i);

#include <stdio.h>

#include "sim/output/report.h"
#include "sim/scenario/scenario.h"
#include "sim/engine/tail.h"

/* One plan at one grid point. */
typedef struct sweep_row {
    double x, y;             /* the swept values (y unused in one dimension) */
    int plan;
    double margin_mean, margin_se, margin_p5, margin_p50, margin_p95;
    double p_below_50, p_below_0;
    double revenue, gross_profit;
    double margin_ci_lo, margin_ci_hi;   /* the 95% interval of the mean (stats.h) */
    /* a menu (wtp.plan_choice: menu): the demand curve, the plan's
     * customers in the last month (mean, P5, P95) */
    double customers, customers_p5, customers_p95;
} sweep_row;

typedef struct sweep_result {
    sweep_axis axis[SWEEP_MAX_AXES];
    int naxes, nplans;
    bool menu;               /* customers chose: the rows carry customers (a demand curve) */
    char plan_names[PLAN_MAX][PLAN_NAME_LEN];
    sweep_row *rows;         /* [point][plan], points in x-major order */
    int nrows;
    tail_report tail;        /* the first point's heavy-tail diagnosis */
} sweep_result;

/* Runs `file` (with the `nsets` overrides) at every point of the axes, each
 * run with `threads` threads. Fills *out (free with sweep_free). Returns
 * TS_OK, TS_ERR_INPUT (a point the scenario refuses, with its message; or
 * naxes outside 1..SWEEP_MAX_AXES) or
 * TS_ERR_RUNTIME / TS_ERR_INTERRUPTED. */
int sweep_run(const char *file, const char *const *sets, int nsets, const sweep_axis *axes, int naxes, int threads,
              volatile sig_atomic_t *stop, sweep_result *out, ts_error *err);
void sweep_free(sweep_result *r);

/* The grid as a table, and as CSV text (caller frees). */
void sweep_print(FILE *out, const sweep_result *r);
char *sweep_csv(const sweep_result *r);
/* The grid as JSON: sweep_csv's figures (margins in %) under the run's
 * provenance: {axes: [{path, from, to, step, n}], points: [{x, y (two
 * axes), plan, margin: {mean, se, p5, p50, p95}, p_margin_below_50,
 * p_margin_below_0, revenue_mean, gross_profit_mean}]}. Caller frees; NULL
 * when out of memory. */
char *sweep_json(const sweep_result *r, const provenance *pv);

/* The plots of a sweep: a line per plan over one value, or a
 * heatmap of the first plan over two, into dir/plots. */
int sweep_plots_write(const sweep_result *sw, const provenance *pv, const char *title, const plot_opts *o,
                      plot_report *rep, ts_error *err);

#endif
