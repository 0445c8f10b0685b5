/* usage_log.h: usage data summed up while it is read: per customer, per
 * model, and the tokens of each request.
 *
 * Memory grows with customers and models, not rows: a customer keeps its
 * interactions, tokens, spend and the first and last month it was seen; a
 * model its totals; the tokens per request are kept as running sums (for
 * the lognormal fit and the correlation, exact over every row) and as a
 * uniform sample of at most DATA_TOKEN_SAMPLE requests (reservoir
 * sampling, deterministic), from which quantiles are read: exact when the
 * data has no more requests than that. Rows that are odd but readable are
 * counted by reason, never dropped silently. */
#ifndef TS_DATA_USAGE_LOG_H
#define TS_DATA_USAGE_LOG_H

#include <stdbool.h>
#include <stddef.h>

#include "reader.h"

#define DATA_TOKEN_SAMPLE (1 << 20)
#define DATA_NTHRESHOLDS 3
#define DATA_MAX_MODELS 256

/* Input-token thresholds above which long-context prices apply at the
 * main providers. */
extern const double data_thresholds[DATA_NTHRESHOLDS];

typedef struct data_customer {
    char *id;
    int first_month, last_month;   /* -1 when the source has no time */
    double interactions, input, output, cached, cost, catalog_cost;
} data_customer;

typedef struct data_model {
    char name[96];
    bool priced;                   /* found in the catalog */
    double per_mtok[3];            /* input, output, cached input prices */
    double requests, input, output, cached, cost, catalog_cost;
} data_model;

/* Catalog prices per million tokens (input, output, cached input) of a
 * model name; false when the catalog has no such model. Called once per
 * distinct model. */
typedef bool (*data_price_fn)(void *ctx, const char *model, double per_mtok[3]);

typedef struct data_usage {
    /* customers: open addressing on the id */
    data_customer *customers;
    size_t ncustomers, cap;
    size_t *slots;                 /* index + 1; 0 empty */
    size_t nslots;
    data_model models[DATA_MAX_MODELS];
    int nmodels;
    data_price_fn price;
    void *price_ctx;
    /* tokens per request, over rows that stand for one request */
    double tok_n, tok_pos_in, tok_pos_out, tok_pos_both;
    double sl_in, sll_in, sl_out, sll_out, sl_inout;       /* sums of logs (positive counts) */
    double s_in, s_out, ss_in, ss_out, s_inout;            /* sums of counts */
    double above[DATA_NTHRESHOLDS];
    double *sample_in, *sample_out;
    size_t nsample;
    unsigned long long rng;
    /* a values file */
    double *values;
    size_t nvalues, vcap;
    /* time span */
    double t_min, t_max;
    /* counts of rows */
    long rows, zero_token, unpriced, no_time, nonpositive_values, model_overflow;
    bool per_request;              /* rows are single requests (no requests or interactions column) */
} data_usage;

/* Starts an empty summary; price may be NULL (no catalog costs). Returns
 * false when out of memory. Free with data_usage_free. */
bool data_usage_init(data_usage *u, data_price_fn price, void *price_ctx);
void data_usage_free(data_usage *u);

/* Adds one record: a data_record_fn (ctx is the data_usage). TS_ERR_RUNTIME
 * when out of memory. */
int data_usage_add(void *u, const data_record *r, ts_error *err);

/* Months a customer was active: last - first + 1, or 1 without time. */
int data_customer_months(const data_customer *c);

#endif
