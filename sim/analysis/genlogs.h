/* genlogs.h: `tokensim generate-logs`: the requests one replication of a
 * scenario makes, written as LiteLLM's spend-log export (the format
 * `tokensim fit` and `tokensim replay` read), so that fitting and replaying
 * can be checked against a known law. */
#ifndef TS_GENLOGS_H
#define TS_GENLOGS_H

#include <stddef.h>

#include "sim/core/error.h"
#include "sim/scenario/scenario.h"

typedef struct genlogs_opts {
    int replication;          /* 0-based index of the replication to log */
    int start_year, start_month;   /* the calendar month of simulation month 0 (month 1..12) */
} genlogs_opts;

typedef struct genlogs_summary {
    size_t rows;              /* requests written (one per feature use) */
    size_t customers;         /* customers with at least one request */
    double interactions;      /* the engine's interactions in the replication, summed over months */
    double spend;             /* $ at catalog prices, the sum of the spend column */
} genlogs_summary;

/* Runs replication o->replication of s (loaded by scenario_load) on one
 * thread and returns the log as CSV text in *text (caller frees), its
 * length in *len. Per customer and accrual interval, each feature use the
 * engine drew becomes one row at a uniform time within the interval (rows
 * sorted by time inside the interval), with the route's model, the
 * feature's input and output tokens per use (rounded to whole tokens) and
 * their spend at the scenario's base prices; the engine's own draws are not
 * disturbed (the times come from a stream of their own), so the row count
 * per month equals the engine's feature uses. Memory grows with the number
 * of requests. Returns TS_OK, or TS_ERR_RUNTIME/TS_ERR_INTERRUPTED with err
 * filled; *text is NULL on failure. */
int genlogs_make(const scenario *s, const genlogs_opts *o, char **text, size_t *len, genlogs_summary *sum,
                 ts_error *err);

#endif
