/* rundiff.h: what moved between two runs, from their summary.json files
 * (`tokensim diff`).
 *
 * Inputs: the provenance fields that differ (file, scenario hash, seed,
 * replications, sampling, price table), each plan's terms, the cost of one
 * interaction, and, when both scenario files recorded still resolve to
 * their recorded hashes, every resolved scenario key that differs (path,
 * value in A, value in B). Figures: every headline total of every plan the
 * two runs share, its change B - A and whether that change lies beyond the
 * runs' combined 95% interval, 1.96 sqrt(seA^2 + seB^2), the interval of a
 * difference of two independent estimates (conservative for two runs on
 * common random numbers, whose difference is narrower). */
#ifndef TS_RUNDIFF_H
#define TS_RUNDIFF_H

#include <stdbool.h>
#include <stdio.h>

#include "sim/core/error.h"
#include "sim/scenario/scenario.h"

#define RUNDIFF_TEXT 200

typedef struct rundiff_input {
    char key[RUNDIFF_TEXT];  /* provenance.seed, plans.pro.price, usage.alpha */
    char a[RUNDIFF_TEXT], b[RUNDIFF_TEXT];   /* "" when absent from that run */
} rundiff_input;

typedef struct rundiff_figure {
    char plan[64];
    const char *metric;      /* the key under plans[].totals */
    double a, b;             /* means */
    double change, half;     /* b - a, and the combined 95% half-width */
    bool beyond;             /* |change| > half */
} rundiff_figure;

typedef struct rundiff {
    char file_a[RUNDIFF_TEXT], file_b[RUNDIFF_TEXT];    /* the summary files */
    char scen_a[RUNDIFF_TEXT], scen_b[RUNDIFF_TEXT];    /* the scenario files they record */
    rundiff_input *inputs;
    int ninputs;
    /* whether the resolved scenarios were compared key by key, and if not, why */
    bool keys_compared;
    char keys_note[2 * RUNDIFF_TEXT];
    rundiff_figure *figs;
    int nfigs;
    char only_a[RUNDIFF_TEXT], only_b[RUNDIFF_TEXT];    /* plans of one run only, comma-separated */
} rundiff;

/* A resolved scenario as dotted paths and values, in the order `tokensim
 * show` writes them, list items named as --set names them (plans.pro.price,
 * levers.0.type when an item has no name). */
typedef struct rundiff_kv {
    char key[RUNDIFF_TEXT], val[RUNDIFF_TEXT];
} rundiff_kv;

typedef struct rundiff_keys {
    rundiff_kv *v;
    int n, cap;
} rundiff_keys;

/* Fills *out (free with rundiff_keys_free). Returns 0, or -1 when out of
 * memory (then *out holds nothing). */
int rundiff_scenario_keys(const scenario *s, rundiff_keys *out);
void rundiff_keys_free(rundiff_keys *k);
/* The value of `key`, or NULL when k has no such key. */
const char *rundiff_key_value(const rundiff_keys *k, const char *key);

/* Reads the two summary.json files and fills *d (free with rundiff_free).
 * Returns TS_OK, TS_ERR_INPUT (a file unreadable or not a tokensim
 * summary, located to the file) or TS_ERR_RUNTIME (memory). */
int rundiff_build(const char *summary_a, const char *summary_b, rundiff *d, ts_error *err);
void rundiff_free(rundiff *d);

/* The difference as terminal tables, and as JSON text (caller frees; NULL
 * when out of memory). */
void rundiff_print(FILE *out, const rundiff *d);
char *rundiff_json(const rundiff *d);

#endif
