/* memo.h: `tokensim memo`: a two-page investor memo built from the runs
 * the other commands make (the pipeline's base case, the stress battery,
 * the Sobol indices when the scenario has uncertain inputs or else the
 * tornado, and the unit economics when it has a finance: section), each
 * figure with its interval and the assumptions that carry it. */
#ifndef TS_MEMO_H
#define TS_MEMO_H
#include <signal.h>
#include <stdbool.h>
#include "pipeline.h"
#include "sobol.h"
#include "stress.h"
#include "tornado.h"

enum memo_drivers { MEMO_DRIVERS_NONE, MEMO_DRIVERS_SOBOL, MEMO_DRIVERS_TORNADO };

typedef struct memo_opts {
    const char *file;                 /* the scenario file, as loaded into s */
    const char *const *sets;          /* the --set overrides s was loaded with */
    int nsets;
    int plan;                         /* the plan whose drivers and shocks are shown */
    int sobol_n;                      /* Sobol base samples, >= 16 */
    int sobol_reps;                   /* replications per Sobol evaluation */
    int threads;
    volatile sig_atomic_t *stop;      /* may be NULL */
    const char *version;              /* for the provenance; may be NULL */
} memo_opts;

typedef struct memo_result {
    pipeline base;                    /* the run: margins, profit, finance */
    /* The stress battery and the drivers are sections of the memo: when
     * one cannot run (a shock the scenario refuses), the memo says why in
     * its place instead of failing whole. */
    bool stress_ok;
    stress_result stress;
    int drivers;                      /* enum memo_drivers */
    sobol_result sobol;
    tornado_result tornado;
    ts_error stress_err, drivers_err;
} memo_result;

/* Runs everything the memo shows for s (loaded from o->file with o->sets).
 * Returns TS_OK and fills *r (free with memo_free), or the base run's
 * error (TS_ERR_INTERRUPTED when o->stop was set) with nothing to free. */
int memo_run(const scenario *s, const memo_opts *o, memo_result *r, ts_error *err);
void memo_free(memo_result *r);

/* Writes dir/memo.md and dir/memo.html. Returns TS_OK or TS_ERR_RUNTIME. */
int memo_document(const scenario *s, const memo_opts *o, const memo_result *r, const char *dir, ts_error *err);
#endif
