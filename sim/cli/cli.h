/* cli.h: what the command-line files share: the parsed options, and the
 * one place messages and exit statuses come from (main.c). Commands of the
 * investor's toolkit (sweep, stress, tornado, solve, quota, optimize) live
 * in cli_analysis.c and cli_solve.c. */
#ifndef TS_CLI_H
#define TS_CLI_H

#include <signal.h>
#include <stdbool.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
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
    const char *files[MAX_MULTI];  /* compare: the scenario files after the first */
    int nfiles;
    bool json, quiet, no_progress, no_plots, pdf;
    char owned[4][64];             /* storage for sets made from --seed, --replications */
    int nowned;
} cli;

extern volatile sig_atomic_t stop_flag;

/* ---- option tables (cli_parse.c) ----------------------------------------
 * Each command has one table of the options it takes, typed by how the
 * value is stored in `cli`; cli_parse reads argv through getopt_long with
 * it, and --help, the man page test and the shell completions read the
 * same table. The CLI_OPT_* macros below are the options several commands
 * share; a command's table lists them and ends with CLI_OPT_END. */
typedef enum cli_type {
    CT_FLAG,      /* no value: sets the bool at `at` in cli */
    CT_TEXT,      /* c->opt[at] */
    CT_INT,       /* a whole number in [lo, hi] into the int at `at` */
    CT_SET,       /* PATH=VALUE appended to c->sets */
    CT_OVERRIDE,  /* becomes the set `key`=VALUE (--seed, --replications) */
    CT_MULTI      /* appended to c->vary (--vary, --param) */
} cli_type;

typedef struct cli_option {
    const char *name;   /* long name without the dashes */
    int short_name;     /* 'o' for -o; 0 for none */
    cli_type type;
    size_t at;          /* CT_TEXT: O_ slot; CT_FLAG, CT_INT: offsetof(cli, field) */
    const char *arg;    /* the value's placeholder ("DIR"); NULL for a flag */
    const char *key;    /* CT_OVERRIDE: the scenario key */
    long lo, hi;        /* CT_INT: the range */
    const char *help;   /* one line: the man page and completions */
} cli_option;

#define CLI_OPT_OUT { "out", 'o', CT_TEXT, O_OUT, "DIR", NULL, 0, 0, "output folder" }
#define CLI_OPT_REPLICATIONS { "replications", 'r', CT_OVERRIDE, 0, "N", "replications", 0, 0, "number of replications" }
#define CLI_OPT_SEED { "seed", 's', CT_OVERRIDE, 0, "S", "seed", 0, 0, "root seed of every random stream" }
#define CLI_OPT_THREADS { "threads", 'j', CT_INT, offsetof(cli, threads), "T", NULL, 0, 1024, \
                          "worker threads (0: one per core)" }
#define CLI_OPT_SET { "set", 'D', CT_SET, 0, "PATH=VALUE", NULL, 0, 0, "override a scenario value" }
#define CLI_OPT_REPLICATION { "replication", 0, CT_INT, offsetof(cli, replication), "K", NULL, 1, INT_MAX, \
                              "run replication K alone" }
#define CLI_OPT_JSON { "json", 0, CT_FLAG, offsetof(cli, json), NULL, NULL, 0, 0, "print JSON on stdout" }
#define CLI_OPT_QUIET { "quiet", 'q', CT_FLAG, offsetof(cli, quiet), NULL, NULL, 0, 0, "print nothing on success" }
#define CLI_OPT_NO_PROGRESS { "no-progress", 0, CT_FLAG, offsetof(cli, no_progress), NULL, NULL, 0, 0, \
                              "no progress line on stderr" }
#define CLI_OPT_NO_PLOTS { "no-plots", 0, CT_FLAG, offsetof(cli, no_plots), NULL, NULL, 0, 0, "write no plots" }
#define CLI_OPT_PDF { "pdf", 0, CT_FLAG, offsetof(cli, pdf), NULL, NULL, 0, 0, "also draw every plot as PDF" }
#define CLI_OPT_PLAN { "plan", 'p', CT_TEXT, O_PLAN, "NAME", NULL, 0, 0, "the plan to work on" }
#define CLI_OPT_MAX_MEMORY { "max-memory", 0, CT_TEXT, O_MAX_MEMORY, "SIZE", NULL, 0, 0, \
                             "refuse a run estimated above SIZE" }
/* A value of the command's own, stored in c->opt[slot]. */
#define CLI_OPT_VALUE(name, slot, arg, help) { name, 0, CT_TEXT, slot, arg, NULL, 0, 0, help }
#define CLI_OPT_MULTI(name, arg, help) { name, 0, CT_MULTI, 0, arg, NULL, 0, 0, help }
/* For commands that parse their own arguments: the option is only named. */
#define CLI_OWN_VALUE(name, short_name, arg, help) { name, short_name, CT_TEXT, O_COUNT, arg, NULL, 0, 0, help }
#define CLI_OWN_FLAG(name, short_name, help) { name, short_name, CT_FLAG, 0, NULL, NULL, 0, 0, help }
#define CLI_OPT_END { NULL, 0, CT_FLAG, 0, NULL, NULL, 0, 0, NULL }

typedef struct cli_command {
    const char *name;
    const char *operands;        /* "FILE", "" (none), "SOURCE FILE" */
    const char *help;            /* the text of `tokensim NAME --help` */
    const cli_option *opts;      /* ends with CLI_OPT_END */
    int (*fn)(cli *c);           /* NULL: run, compare and keys, in main.c */
    int (*own)(int argc, char **argv);  /* parses its own (canonical) arguments */
} cli_command;

/* The command table (main.c), ending with a NULL name. */
extern const cli_command cli_commands[];

/* Parses argv[2..] (argv[1] the command) by cmd's table into c. For a
 * command with `own`, rewrites the options into their long form in `canon`
 * (cli_canon_size(argc, argv) slots): argv[0], the command, the operands, then each
 * option as --NAME [VALUE], so its parser sees one spelling; *ncanon is
 * their count. Returns -1 to go on, or an exit status after the message
 * (0 after printing the help for -h/--help). */
int cli_parse(cli *c, const cli_command *cmd, int argc, char **argv, char **canon, int *ncanon);
size_t cli_canon_size(int argc, char **argv);
/* Prints the help of cmd: its text and the short forms of its options. */
void cli_help_print(FILE *f, const cli_command *cmd);
/* The command named name, or NULL. */
const cli_command *cli_command_find(const char *name);
/* `tokensim --complete-commands` and `tokensim --complete-options CMD`:
 * one name a line, for the shell completions (completions/). */
int cli_complete(const char *what, const char *cmd);

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
/* Loads c's scenario into s (with its --set changes) and finds the plan
 * --plan names into *pidx. Returns -1 to go on, or the exit status after
 * printing the message. */
int cli_load_plan(const cli *c, scenario *s, int *pidx);
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
int cmd_memo(cli *c);              /* cli_memo.c */
extern const char memo_help[];
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
/* `tokensim survey FILE.csv` (cli_survey.c): a survey, not a scenario. */
extern const char survey_help[];
int cmd_survey(cli *c);

/* `tokensim compare A.yaml B.yaml ...`: c->file and c->files (cli_compare.c). */
int cmd_compare_files(cli *c);

/* `tokensim diff SUMMARY_A SUMMARY_B` parses its own arguments (cli_diff.c). */
int cmd_diff(int argc, char **argv);
extern const char diff_help[];

#endif
