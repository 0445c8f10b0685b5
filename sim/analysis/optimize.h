/* optimize.h: plan values that maximise expected gross profit subject to a
 * chance constraint on the margin, and the trade-off between profit and
 * risk, as a pricing analyst's optimiser reports it.
 *
 * Every evaluation runs with the scenario's seed (common random numbers),
 * so two points differ by their values, not by noise. The search is a grid
 * (when every axis has a step and the grid is small enough) or a Latin
 * hypercube, then a Nelder-Mead simplex from the best feasible point, with
 * the constraint as a penalty. */
#ifndef TS_OPTIMIZE_H
#define TS_OPTIMIZE_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>

#include "sim/scenario/change.h"
#include "sim/output/report.h"
#include "sim/engine/tail.h"

#define OPT_MAX_AXES 4
#define OPT_MAX_POINTS 400

typedef struct opt_axis {
    char path[CHANGE_PATH_LEN];
    double lo, hi, step;     /* step 0: continuous */
} opt_axis;

typedef struct opt_point {
    double x[OPT_MAX_AXES];
    double profit, profit_se;   /* mean gross profit over the horizon, $ */
    double margin;              /* mean horizon margin, % */
    double risk;                /* share of replications whose horizon margin is below the threshold */
    bool feasible, frontier;
    int stage;                  /* 0 design, 1 simplex */
} opt_point;

typedef struct opt_opts {
    int plan;
    double risk_below;       /* margin threshold, % */
    double max_risk;         /* the largest allowed probability */
    int points;              /* design size */
    int threads;
    volatile sig_atomic_t *stop;
} opt_opts;

typedef struct opt_result {
    opt_axis ax[OPT_MAX_AXES];
    int nax;
    opt_point pts[OPT_MAX_POINTS];
    int n;
    int best;                /* index of the best feasible point; -1 when none */
    int least_risky;         /* when none is feasible: the point with the smallest risk */
    bool grid;
    bool simplex;            /* the simplex refined the design's best point */
    int nreps;
    char plan_name[48];
    tail_report tail;        /* the first point's heavy-tail diagnosis */
} opt_result;

/* Refuses (TS_ERR_INPUT, naming the plans) to optimise a scenario of
 * several plans when no plan was named: optimising the first one silently
 * answered a question the user may not have asked. 0 when one plan. */
int optimize_plan_required(const scenario *s, ts_error *err);

/* Whether every feasible point earns the same expected profit (within a
 * relative 1e-9): the varied values do not move the objective, and no point
 * is better than another. */
bool optimize_flat(const opt_result *r);

/* Parses "PATH=LO:HI" or "PATH=LO:HI:STEP". */
int opt_axis_parse(const char *arg, opt_axis *ax, ts_error *err);

int optimize_run(const char *file, const char *const *sets, int nsets, const opt_axis *ax, int nax, const opt_opts *o,
                 opt_result *out, ts_error *err);

void optimize_print(FILE *f, const opt_result *r, const opt_opts *o);
char *optimize_csv(const opt_result *r);
char *optimize_json(const opt_result *r, const opt_opts *o, const provenance *pv);
struct plot_opts;
struct plot_report;
int optimize_plot(const opt_result *r, const opt_opts *o, const provenance *pv, const char *title,
                  const struct plot_opts *po, struct plot_report *rep, ts_error *err);

/* DIR/optimize.md and optimize.html: the best point, the frontier, the plot. */
int optimize_document(const opt_result *r, const opt_opts *o, const provenance *pv, const char *title, const char *dir,
                      bool plots, ts_error *err);

#endif
