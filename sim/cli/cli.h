/* cli.h: what the command-line files share: the parsed options, and the
 * one place messages and exit statuses come from (main.c). Commands of the
 * investor's toolkit (sweep, stress, tornado, solve, quota, optimize) live
 * in cli_analysis.c and cli_solve.c. */
#ifndef TS_CLI_H
#define TS_CLI_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "plots/plots.h"
#include "sim/analysis/probe.h"
#include "sim/core/error.h"
#include "sim/output/outset.h"
#include "sim/output/report.h"
#include "sim/scenario/scenario.h"

#ifndef TS_VERSION
#define TS_VERSION "dev"
#endif

#define MAX_SETS 256
#define MAX_MULTI 16

/* Options that take one value, by index into cli.opt. */
enum cli_opt {
    O_OUT, O_THREADS, O_REPLICATION, O_PLAN, O_TARGET, O_STAT, O_FOR, O_RANGE, O_PCT, O_AT, O_CHECK,
    O_MAX_RISK, O_RISK_BELOW, O_PRECISION, O_MAX_REPLICATIONS, O_POINTS, O_MAX_MEMORY, O_COUNT
};

typedef struct cli {
    const char *cmd;
    const char *file;
    const char *opt[O_COUNT];      /* NULL when not given */
    const char *sets[MAX_SETS];
    int nsets;
    int threads;
    int replication;               /* 0: all */
    const char *vary[MAX_MULTI];   /* --vary, --param */
    int nvary;
    bool json, quiet, no_progress, no_plots, pdf;
    char owned[4][64];             /* storage for sets made from --seed, --replications */
    int nowned;
} cli;

extern volatile sig_atomic_t stop_flag;

/* Prints "tokensim: MESSAGE" and returns the exit status of e's code. */
int cli_fail(const ts_error *e);
/* Prints a usage message (fmt with two %s) and returns TS_EXIT_INPUT. */
int cli_usage_error(const char *fmt, const char *a, const char *b);
/* out/NAME for scenario file .../NAME.yaml */
void cli_default_out(const char *file, char *buf, size_t n);
/* The output folder: --out, or out/NAME plus `suffix`. */
void cli_out_dir(const cli *c, const char *suffix, char *buf, size_t n);
/* The progress line (cli_progress.c). `what` names what is counted
 * ("replication", "simulation"); the meter feeds probe_run's counts to
 * cli_progress_show. */
typedef struct cli_progress {
    struct timespec start, last;
    const char *what;
    bool plain;              /* TERM dumb or unset: no escape codes */
    int width;               /* of the line on the terminal; 0: none */
    probe_meter meter;
} cli_progress;

/* Whether c shows a progress line: stderr a terminal, no --quiet or --no-progress. */
bool cli_progress_wanted(const cli *c);
void cli_progress_init(cli_progress *pg, const char *what);
/* Draws "done of total" with the time spent and left (at most five times a
 * second); erases the line when done reaches total. ctx: the cli_progress. */
void cli_progress_show(void *ctx, double done, int total);
void cli_progress_clear(cli_progress *pg);
/* Erases whatever progress line is drawn, before a message. */
void cli_progress_clear_drawn(void);

/* SIGINT and SIGTERM set stop_flag. */
void cli_catch_signals(void);
/* Parses --NAME's value as a number in [lo, hi]; on failure prints the
 * usage message and returns false (the caller returns TS_EXIT_INPUT). */
bool cli_number(const cli *c, int o, double lo, double hi, double def, double *out);

/* Calls body(c, s) with a zeroed scenario of its own (scenario_new), for
 * the body to load, and frees it after: no command keeps its scenario in
 * static storage. Returns body's exit status, or TS_EXIT_RUNTIME after the
 * message when memory is short. */
int cli_with_scenario(cli *c, int (*body)(cli *c, scenario *s));

/* The plan --plan names (the first without it); -1 after printing the
 * message for an unknown name. */
int cli_plan(const cli *c, const scenario *s);
/* Plot options for the output folder (TOKENSIM_GNUPLOT, _TIMEOUT, --pdf). */
plot_opts cli_plot_options(const cli *c, const char *outdir);
/* Prints the first plotting problem as a warning, if any. */
void cli_plot_warn(const plot_report *rep);
/* Prints pv's heavy-tail warning on stdout, if any, before a table. */
void cli_tail_warn(const provenance *pv);
/* The provenance of a run of s with `replications`. */
provenance cli_provenance(const cli *c, const scenario *s, int replications);
/* The message for an interrupted command; returns TS_EXIT_INTERRUPTED. */
int cli_interrupted(const char *outdir);
/* Claims outdir for the command's output set (sim/output/outset.h), before
 * the command runs. Returns -1 to go on, or an exit status after the
 * message (a file in the way, another run writing there). */
int cli_outset_begin(const char *outdir, outset *os);
/* Ends the set after its writes returned rc: swaps it in when rc is TS_OK
 * and no signal came, else drops it (the earlier set stays). Returns TS_OK
 * or the error in err (TS_ERR_INTERRUPTED after Ctrl-C). */
int cli_outset_end(outset *os, int rc, ts_error *err);
/* The exit status of a command that failed (rc) after claiming outdir:
 * the interruption message or the error's. */
int cli_outset_fail(const char *outdir, int rc, const ts_error *err);
/* Writes texts[i] to dir/names[i], each atomically (a NULL text is out of
 * memory). Returns TS_OK or an error in err. */
int cli_write_files(const char *dir, const char *const *names, char *const *texts, int n, ts_error *err);

/* Under MPI (sim/engine/ranks.h): cli_ranks_begin starts the job first
 * thing in main (returns TS_EXIT_OK, or an exit status after the
 * message); on ranks other than 0 it silences stdout and stderr.
 * cli_ranks_quiet, after parsing, points such a rank's outputs at its
 * scratch folder and turns off its plots and tables; cli_ranks_end removes
 * the folder and ends the job. All three do nothing more without MPI. */
int cli_ranks_begin(int *argc, char ***argv);
void cli_ranks_quiet(cli *c);
void cli_ranks_end(void);

int cmd_sweep(cli *c);
int cmd_stress(cli *c);
int cmd_tornado(cli *c);
int cmd_sobol(cli *c);             /* cli_sobol.c */
extern const char sobol_help[];
int cmd_solve(cli *c);
int cmd_quota(cli *c);
int cmd_optimize(cli *c);
int cmd_sampling(cli *c);
/* `tokensim catalog ...` parses its own arguments. */
int cmd_catalog(int argc, char **argv);
/* `tokensim fit ...` parses its own arguments (cli_data.c). */
int cmd_fit(int argc, char **argv);

/* `tokensim generate-logs SCENARIO` (cli_data.c). */
int cmd_generate_logs(cli *c);

/* `tokensim replay SOURCE SCENARIO` parses its own arguments (cli_replay.c). */
int cmd_replay(int argc, char **argv);

#endif
