/* solve.h: the value of one scenario parameter at which a plan's simulated
 * gross margin meets a target: the break-even price, the target-margin
 * price, or any other value (an overage price, included units).
 *
 * Every evaluation runs the scenario with the same seed, so the margin is
 * a smooth, deterministic function of the value (common random numbers)
 * and a bracketing root finder (GSL's Brent) converges on it. */
#ifndef TS_SOLVE_H
#define TS_SOLVE_H

#include <signal.h>
#include <stdbool.h>

#include "sim/scenario/change.h"
#include "sim/core/error.h"
#include "sim/output/report.h"
#include "sim/engine/tail.h"

enum solve_stat { SOLVE_MEAN, SOLVE_P5, SOLVE_P50 };
extern const char *const solve_stat_names[];   /* "mean", "p5", "p50", NULL */

#define SOLVE_MAX_EVALS 80

typedef struct solve_opts {
    const char *path;        /* the value to solve for (a --set path) */
    int plan;                /* whose margin */
    int stat;                /* enum solve_stat */
    double target;           /* margin, % */
    bool has_range;
    double lo, hi;           /* the search range when has_range */
    int threads;
    volatile sig_atomic_t *stop;
} solve_opts;

typedef struct solve_eval {
    double x;
    double value;            /* the chosen statistic of the horizon margin, %; NaN without revenue */
    double mean, se, profit; /* mean margin, its standard error, mean gross profit */
    double half;             /* the wider side of the mean margin's 95% interval (stats.h) */
} solve_eval;

typedef struct solve_result {
    bool reached;            /* a value meets the target */
    double x;                /* the answer when reached, else the best value tried */
    double value;            /* the statistic there */
    double x_se;             /* Monte-Carlo uncertainty of x: se of the margin / |slope|; NaN if unknown */
    double start;            /* the value in the scenario */
    int iterations;          /* of Brent's method */
    solve_eval evals[SOLVE_MAX_EVALS];
    int nevals;
    tail_report tail;        /* the first evaluation's heavy-tail diagnosis */
} solve_result;

/* Solves. Returns TS_OK (also when the target is out of reach: then
 * out->reached is false and out->x, out->value hold the best found),
 * TS_ERR_INPUT for a path the scenario refuses, or the engine's errors. */
int solve_run(const char *file, const char *const *sets, int nsets, const solve_opts *o, solve_result *out,
              ts_error *err);

#endif
