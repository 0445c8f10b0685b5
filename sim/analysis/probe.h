/* probe.h: one simulation of a scenario with extra overrides, kept whole
 * for the commands that run a scenario many times (sweep, stress, tornado,
 * solve, optimize).
 *
 * Every probe of the same file runs with the file's seed, so the
 * replications of two probes draw the same random numbers (common random
 * numbers) and differ by the overrides, not by noise. */
#ifndef TS_PROBE_H
#define TS_PROBE_H

#include <signal.h>

#include "sim/engine/engine.h"
#include "sim/core/error.h"
#include "sim/scenario/scenario.h"
#include "sim/engine/stats.h"

typedef struct probe {
    scenario *s;             /* the scenario as run (owned) */
    run_result rr;
    summary sm;
} probe;

typedef struct probe_opts {
    int threads;
    volatile sig_atomic_t *stop;   /* may be NULL */
    int replications;        /* > 0: overrides the scenario's */
    const char *text;        /* the file's text, read once by probe_text; NULL: read the file */
} probe_opts;

/* The text of scenario `file` for probes that run it many times (caller
 * frees), or NULL: then each probe reads the file and reports its error. */
char *probe_text(const char *file);

/* Loads `file` with sets[0..nsets) then extra[0..nextra) applied, runs and
 * summarises it. Returns TS_OK, or the loader's or engine's error; on error
 * *pr holds nothing to free. Free with probe_free. */
int probe_run(probe *pr, const char *file, const char *const *sets, int nsets, const char *const *extra, int nextra,
              const probe_opts *o, ts_error *err);
/* probe_run with the shocks in time v[0..n) appended to the scenario's own
 * `shocks:` once loaded (their usage thresholds derived from its law);
 * TS_ERR_INPUT when that makes more than TIMED_SHOCK_MAX. */
int probe_run_shocked(probe *pr, const char *file, const char *const *sets, int nsets, const char *const *extra,
                      int nextra, const timed_shock *v, int n, const probe_opts *o, ts_error *err);
void probe_free(probe *pr);

/* Progress of a command that runs many probes, for a progress line. The
 * command line installs one meter for the whole process before it starts
 * an analysis (probe_meter_set); each analysis announces how many probes it
 * will run (probe_meter_plan) and, when it stops early (a solver that
 * converged), says so (probe_meter_finish). probe_run then calls `show`
 * with the probes done so far, a fraction counting the replications of the
 * one running, and the probes planned; from one thread at a time. The
 * library only counts: what `show` prints, and where, is the caller's. */
typedef struct probe_meter {
    void (*show)(void *ctx, double done, int total);
    void *ctx;
    int done, total;
} probe_meter;

/* Installs m (NULL: none); m must outlive every probe_run after it. */
void probe_meter_set(probe_meter *m);
/* `probes` more probes to come (no meter: nothing). */
void probe_meter_plan(int probes);
/* The analysis is done: the meter shows every planned probe done. */
void probe_meter_finish(void);

/* The horizon value of total metric `k` (enum total_metric) of plan p in
 * every replication, into v[0..nreps). */
void probe_rep_totals(const probe *pr, int p, int k, double *v);

/* The index of plan `name`, or -1. */
int probe_plan_find(const scenario *s, const char *name);

/* The key of a plan's headline price, as its type gives it (price,
 * unit_price, per_outcome, pack_price), or NULL when it has none (tiered
 * plans, usage tiers). */
const char *probe_price_key(const plan *pl);

#endif
