/* tokensim.h: the public API of libtokensim, the Monte-Carlo simulator of
 * what an AI product earns and what its language-model calls cost.
 *
 * Load a scenario (the YAML of `tokensim run`) from a file or a string,
 * change values as `--set` does, run it, and read each plan's revenue,
 * cost, gross profit and gross margin, over the horizon and month by
 * month, each as a mean with its 95% interval and its P5..P95 across
 * replications. The figures are those `tokensim run` prints for the same
 * scenario, seed and replications, to the last bit.
 *
 * Conventions (those of GSL and SQLite): every call that can fail returns
 * TS_OK (0) or an error code and fills the caller's ts_error; the library
 * never prints and never exits. Objects are opaque, made by one call and
 * freed by its _free partner; free functions accept NULL. Indices start at
 * 0. Threads: see docs/library.md ("Threads and reentrancy"); in short,
 * every object is independent, ts_run only reads its scenario, and a run's
 * result does not depend on the number of threads.
 *
 * Link with `pkg-config --cflags --libs --static tokensim`. */
#ifndef TOKENSIM_H
#define TOKENSIM_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- errors --------------------------------------------------------------
 * The same object the library fills inside (its guard is shared with the
 * library's own definition, so a file may see both). */
#ifndef TS_ERROR_H
#define TS_ERROR_H

/* Kinds of error. */
enum ts_errcode {
    TS_OK = 0,
    TS_ERR_INPUT = 2,        /* a wrong scenario, change or argument */
    TS_ERR_RUNTIME = 1,      /* out of memory, a file that cannot be written */
    TS_ERR_INTERRUPTED = 130 /* the run's stop flag was set */
};

/* What went wrong and where, filled by the call that failed (the first
 * error wins: clear it before reusing it). */
typedef struct ts_error {
    int code;                /* enum ts_errcode; TS_OK when nothing went wrong */
    char source[256];        /* the scenario's name, or "--set PATH=VALUE" for a change; may be empty */
    int line, column;        /* 1-based; 0 when unknown */
    char message[768];       /* lowercase, no trailing full stop */
} ts_error;

/* Clears e (all zero: code TS_OK). */
void ts_error_clear(ts_error *e);

/* Writes "source:line:column: message" (the parts that are known) into
 * buf, NUL-terminated and cut to n bytes. Returns the length it would have
 * written, as snprintf does. */
int ts_error_format(const ts_error *e, char *buf, size_t n);

#endif /* TS_ERROR_H */

/* The library's version, "MAJOR.MINOR.PATCH". */
const char *ts_version(void);

/* ---- scenarios ---------------------------------------------------------- */

/* A loaded, checked scenario with the changes applied to it (opaque). */
typedef struct ts_scenario ts_scenario;

/* Loads and checks the scenario file at `path`. Returns TS_OK and sets
 * *out (free it with ts_scenario_free), or TS_ERR_INPUT (unreadable file,
 * bad YAML, unknown key, value out of range...) / TS_ERR_RUNTIME (memory)
 * with err filled and *out set to NULL. The file is read once: later
 * changes to it are not seen. */
int ts_scenario_load_file(const char *path, ts_scenario **out, ts_error *err);

/* The same from YAML text (NUL-terminated, copied). `name` (may be NULL:
 * "scenario") stands for the file in messages and in the outputs'
 * provenance. */
int ts_scenario_load_string(const char *text, const char *name, ts_scenario **out, ts_error *err);

/* Applies one change "PATH=VALUE" as `tokensim --set` does (e.g.
 * "usage.alpha=1.6", "plans.pro.price=25", list items by name or index),
 * after the changes made before, and checks the scenario again. Returns
 * TS_OK, or TS_ERR_INPUT with err filled and the scenario as it was. Not
 * while another thread runs or reads sc. */
int ts_scenario_set(ts_scenario *sc, const char *change, ts_error *err);

/* Frees sc (NULL: nothing). Results of runs of sc stay valid. */
void ts_scenario_free(ts_scenario *sc);

/* What the scenario holds. Strings belong to sc and live until it is freed
 * or changed; a plan index out of [0, ts_scenario_plans) gives NULL. */
const char *ts_scenario_name(const ts_scenario *sc);
int ts_scenario_plans(const ts_scenario *sc);
const char *ts_scenario_plan_name(const ts_scenario *sc, int plan);
int ts_scenario_months(const ts_scenario *sc);
int ts_scenario_replications(const ts_scenario *sc);
uint64_t ts_scenario_seed(const ts_scenario *sc);
/* The hash every output of `tokensim` prints for this resolved scenario. */
uint64_t ts_scenario_hash(const ts_scenario *sc);

/* ---- runs --------------------------------------------------------------- */

/* How to run. All zero (ts_run_options_init, or `= { 0 }`, or passing
 * NULL to ts_run) means the scenario's replications and seed, one thread
 * per core, no files, no progress, no stop flag. */
typedef struct ts_run_options {
    int replications;        /* > 0: run this many instead of the scenario's (at most 100000) */
    int threads;             /* worker threads; 0: one per core. The figures do not depend on it */
    bool seed_set;           /* true: the root seed is `seed` instead of the scenario's */
    uint64_t seed;
    /* Non-NULL: also writes the files of `tokensim run --no-plots` into this
     * folder (created if missing; each file written whole or not at all):
     * report.html, report.md, monthly.csv, segments.csv, replications.csv,
     * summary.json. Two runs at once must not share a folder. */
    const char *out_dir;
    /* Called after each finished replication with the count done and the
     * total, from any of the run's threads but never two at once; may be
     * NULL. It must not call back into the library on the same run. */
    void (*progress)(void *ctx, int done, int total);
    void *progress_ctx;
    /* May be NULL. Set *stop to non-zero (from a signal handler, another
     * thread, the progress callback) and the run stops at its next
     * replication with TS_ERR_INTERRUPTED, writing no file. */
    volatile sig_atomic_t *stop;
} ts_run_options;

/* Sets o to the defaults (all zero). */
void ts_run_options_init(ts_run_options *o);

/* The figures of a run (opaque): they own their memory, independent of
 * the scenario. */
typedef struct ts_result ts_result;

/* Runs sc with options o (NULL: defaults). The replications and seed
 * options are applied as the changes "replications=N" and "seed=S" after
 * sc's own, as `tokensim run --replications N --seed S` does, so a bad
 * value is reported like a bad --set. Returns TS_OK and sets *out (free it
 * with ts_result_free), or an error with err filled and *out set to NULL:
 * TS_ERR_INPUT (a bad option), TS_ERR_RUNTIME (memory, files),
 * TS_ERR_INTERRUPTED (o->stop). sc is only read: several threads may run
 * the same scenario at once. */
int ts_run(const ts_scenario *sc, const ts_run_options *o, ts_result **out, ts_error *err);

/* Frees r (NULL: nothing). */
void ts_result_free(ts_result *r);

/* One figure across the run's replications: the mean with its standard
 * error and 95% interval (Student t; from pair means with antithetic
 * sampling), the standard deviation and the quantiles of the replications'
 * values (the spread one future run could show). Replications where the
 * figure is undefined (a margin without revenue) are left out: n counts the
 * others, and with n = 0 every field but n is NaN. */
typedef struct ts_estimate {
    int n;
    double mean, sd, se, ci_lo, ci_hi;
    double p5, p25, p50, p75, p95;
} ts_estimate;

/* A plan's money over a period (the horizon, or one month), in dollars
 * except the margin. Each replication's cost is its inference cost plus
 * its other costs, and its gross profit is revenue minus that cost. */
typedef struct ts_figures {
    ts_estimate revenue;
    ts_estimate cost;            /* inference_cost + other_cost */
    ts_estimate inference_cost;  /* model tokens and retrieval */
    ts_estimate other_cost;      /* infrastructure and payment processing */
    ts_estimate gross_profit;
    ts_estimate margin;          /* gross profit / revenue, in percent */
} ts_figures;

/* The shape of the run: plans (in the scenario's order), months of the
 * horizon, replications run, and the root seed and scenario hash used
 * (with the options applied). A plan index out of range gives NULL. */
int ts_result_plans(const ts_result *r);
const char *ts_result_plan_name(const ts_result *r, int plan);
int ts_result_months(const ts_result *r);
int ts_result_replications(const ts_result *r);
uint64_t ts_result_seed(const ts_result *r);
uint64_t ts_result_hash(const ts_result *r);

/* Plan `plan`'s figures over the whole horizon (the "horizon totals" of
 * `tokensim run`, "totals" in its summary.json). Returns TS_OK, or
 * TS_ERR_INPUT for an index out of range (then *out is untouched). */
int ts_result_plan(const ts_result *r, int plan, ts_figures *out);

/* The same for month `month` of the horizon, 0 being the first (the
 * tables' month 1). */
int ts_result_month(const ts_result *r, int plan, int month, ts_figures *out);

#ifdef __cplusplus
}
#endif

#endif /* TOKENSIM_H */
