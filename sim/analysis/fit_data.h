/* fit_data.h: `tokensim fit` as a computation: read usage data (sim/data),
 * build the sample of each customer's monthly usage, fit it (fit.h), and
 * summarise the tokens per request, the concentration of usage and cost,
 * and the model mix. Printing and files are fit_out.c's. */
#ifndef TS_FIT_DATA_H
#define TS_FIT_DATA_H

#include <stdint.h>

#include "fit.h"
#include "sim/data/reader.h"
#include "sim/data/usage_log.h"

#define FIT_NTOP 4
extern const double fit_top_fractions[FIT_NTOP];   /* 1%, 5%, 10%, 20% */

typedef struct fit_opts {
    const char *path;        /* a file, or NULL with db */
    const char *db, *table, *query;
    data_opts data;
    int discrete;            /* -1: discrete when every value is an integer; 0 continuous; 1 discrete */
    int nboot;               /* bootstrap sets; 0: no p-value */
    uint64_t seed;
    int threads;
    volatile int *stop;
    const char *catalog;     /* price catalog for costs; NULL: the newest embedded one */
} fit_opts;

/* A token law: lognormal by maximum likelihood on the positive counts
 * (mu, sigma of ln x) and empirical quantiles Q(p) = x_(floor((n-1)p)),
 * the observed value with a share p of the others below it. */
typedef struct fit_tokens {
    double n;                /* requests with a positive count */
    double mean, mu, sigma;
    double q[3];             /* P50, P90, P99 of the data */
    double lq[3];            /* the same quantiles of the fitted lognormal */
} fit_tokens;
extern const double fit_token_probs[3];

typedef struct fit_report {
    data_info info;
    data_usage u;
    double *x;               /* the fitted sample, sorted: customers' mean monthly interactions, or values */
    size_t n;
    long customers_without_usage;
    bool has_fit;
    fit_powerlaw pl;
    fit_alt alt[ALT_COUNT];
    fit_scan scan;
    bool has_tokens;
    fit_tokens in, out;
    double corr, corr_log;   /* Pearson correlation of input and output tokens, and of their logs */
    double above[DATA_NTHRESHOLDS];  /* share of requests with more input tokens than each threshold */
    bool has_customers, has_catalog_cost;
    double top_usage[FIT_NTOP], top_cost[FIT_NTOP];
    double total_interactions, total_cost, total_catalog_cost;
    const char *catalog;
    char first_model[48];    /* the catalog's first model, for a scenario when the data names none */
} fit_report;

/* Reads and fits. A problem with the data is TS_ERR_INPUT naming file and
 * line (or table and row); an unreachable database TS_ERR_RUNTIME. Free r
 * with fit_report_free, whatever the return. A source too small for a
 * power law is not an error: has_fit stays false. */
int fit_run(const fit_opts *o, fit_report *r, ts_error *err);
void fit_report_free(fit_report *r);

/* Q(p) = x_(floor((n-1)p)) of sorted x[0..n). */
double fit_quantile_lower(const double *sorted, size_t n, double p);

#endif
