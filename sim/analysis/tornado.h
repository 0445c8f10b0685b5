/* tornado.h: one parameter at a time moved to a low and a high value, the
 * parameters ranked by how far they swing a plan's gross margin.
 *
 * Each low and high run uses the baseline's seed, so the swing is paired
 * replication by replication and its interval is narrow even with few
 * replications. */
#ifndef TS_TORNADO_H
#define TS_TORNADO_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>

#include "sim/scenario/change.h"
#include "sim/output/report.h"
#include "sim/scenario/scenario.h"
#include "sim/engine/tail.h"

#define TORNADO_MAX 32

typedef struct tornado_param {
    char path[CHANGE_PATH_LEN];    /* may hold `*` */
    bool relative;                 /* low and high are factors (1 -+ pct/100), else values */
    double low, high;
} tornado_param;

typedef struct tornado_row {
    tornado_param prm;
    double base_value;             /* the scenario's value (the first, for a `*` path) */
    double low_value, high_value;  /* the values run (the first, for a `*` path) */
    double m_low, m_high;          /* mean horizon margin at each, % */
    double swing, swing_lo, swing_hi;   /* m_high - m_low, paired 95% interval */
} tornado_row;

typedef struct tornado_result {
    int plan;
    char plan_name[PLAN_NAME_LEN];
    double base_margin, base_se;
    int nreps;
    tornado_row rows[TORNADO_MAX]; /* sorted by |swing|, largest first */
    int n;
    tail_report tail;        /* the baseline's heavy-tail diagnosis */
} tornado_result;

/* A standard set of parameters for scenario s and plan p, each moved by
 * +-pct percent (with the usage law's shape parameters kept valid). */
void tornado_params_standard(const scenario *s, int p, double pct, tornado_param *out, int *n);

/* Parses "PATH" (relative, +-pct) or "PATH=LOW:HIGH" (values). */
/* A parameter's key path in words for tables and plots: "sonnet output
 * price", "churn rate", "price of plan pro"; an unknown path as given.
 * buf is always NUL-terminated. */
void tornado_label(const char *path, char *buf, size_t n);

int tornado_param_parse(const char *arg, double pct, tornado_param *out, ts_error *err);

/* Runs the baseline and every parameter low and high. Returns TS_OK,
 * TS_ERR_INPUT (a path or a value the scenario refuses, named), or the
 * engine's errors. */
int tornado_run(const char *file, const char *const *sets, int nsets, const tornado_param *prm, int n, int pidx,
                int threads, volatile sig_atomic_t *stop, tornado_result *out, ts_error *err);

void tornado_print(FILE *f, const tornado_result *r);
char *tornado_csv(const tornado_result *r);
char *tornado_json(const tornado_result *r, const provenance *pv);
struct plot_opts;
struct plot_report;
int tornado_plot(const tornado_result *r, const provenance *pv, const char *title, const struct plot_opts *o,
                 struct plot_report *rep, ts_error *err);
int tornado_document(const tornado_result *r, const provenance *pv, const char *title, const char *dir, bool plots,
                     ts_error *err);

#endif
