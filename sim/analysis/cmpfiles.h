/* cmpfiles.h: `tokensim compare A.yaml B.yaml ...`, the plans of several
 * scenario files side by side, on common random numbers where the files'
 * customer models agree.
 *
 * Every file runs with its own seed; when two files agree on every key that
 * decides which customers arrive, what they use and when they leave (the
 * seed, replications, horizon, `customers`, `usage`, `sampling`, `shocks`,
 * and each feature's share and route shares, which the engine draws
 * interactions with), replication k of each holds the same customers and a
 * difference between their plans is taken replication by replication, as
 * `compare` does within one file. Otherwise the keys that differ are
 * named and the difference gets the unpaired interval of two independent
 * estimates. */
#ifndef TS_CMPFILES_H
#define TS_CMPFILES_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>

#include "probe.h"
#include "rundiff.h"

#define CMPF_MAX_FILES 8
#define CMPF_MAX_WHY 8        /* keys named for a lost pairing */

typedef struct cmpf_plan {
    int file, plan;          /* indexes into the files and that file's plans */
    char label[2 * PLAN_NAME_LEN + 8];  /* the plan's name, or FILE:PLAN when names collide */
} cmpf_plan;

/* A plan against the first plan of the first file: B - A. */
typedef struct cmpf_diff {
    bool paired;
    ts_stat margin, profit, revenue;      /* paired: of the per-replication differences;
                                             unpaired: only the means are used */
    double un_lo, un_hi;                  /* the unpaired 95% interval of the margin difference */
    double profit_un_lo, profit_un_hi;    /* ... of the gross profit difference */
} cmpf_diff;

typedef struct cmpf_result {
    int nfiles;
    const char *files[CMPF_MAX_FILES];
    char names[CMPF_MAX_FILES][64];       /* the files' base names, for labels */
    probe pr[CMPF_MAX_FILES];             /* each file's run, kept whole */
    bool paired[CMPF_MAX_FILES];          /* file i shares file 0's customers */
    char why[CMPF_MAX_FILES][CMPF_MAX_WHY][RUNDIFF_TEXT];   /* keys that differ from file 0 */
    int nwhy[CMPF_MAX_FILES];
    bool more_why[CMPF_MAX_FILES];        /* more keys differ than are named */
    cmpf_plan plans[CMPF_MAX_FILES * PLAN_MAX];
    int nplans;
    cmpf_diff diffs[CMPF_MAX_FILES * PLAN_MAX];   /* [plan]; diffs[0] is the first plan itself */
} cmpf_result;

/* Loads and runs files[0..nfiles) (2 <= nfiles <= CMPF_MAX_FILES), each
 * with sets[0..nsets) applied, and fills *out (free with cmpf_free).
 * Returns TS_OK, TS_ERR_INPUT (a file the loader refuses), TS_ERR_RUNTIME
 * or TS_ERR_INTERRUPTED. */
int cmpf_run(const char *const *files, int nfiles, const char *const *sets, int nsets, int threads,
             volatile sig_atomic_t *stop, cmpf_result *out, ts_error *err);
void cmpf_free(cmpf_result *r);

/* The comparison as terminal tables, as CSV text and as JSON text (caller
 * frees the texts; NULL when out of memory). */
void cmpf_print(FILE *out, const cmpf_result *r);
char *cmpf_csv(const cmpf_result *r);
char *cmpf_json(const cmpf_result *r);

#endif
