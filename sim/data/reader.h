/* reader.h: usage data as a stream of records, whatever its source.
 *
 * A source is a CSV or JSON-lines file (plain, gzip or zstd; stream.h), a
 * PostgreSQL table or query (libpq) or an SQLite file. Its columns are
 * mapped to roles (customer, time, model, tokens...) by a preset
 * recognised from the header, or named with --map; every row becomes one
 * data_record handed to the caller's function, so memory never grows with
 * the rows. A row that cannot be read (a token count that is negative or
 * not a number, a timestamp that cannot be parsed, an empty customer id)
 * stops the reading with an input error naming the file and line (or the
 * table and row); nothing is skipped silently. */
#ifndef TS_DATA_READER_H
#define TS_DATA_READER_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/core/error.h"

/* What a column means. */
enum data_role {
    ROLE_CUSTOMER, ROLE_TIME, ROLE_MONTH, ROLE_MODEL, ROLE_INPUT, ROLE_OUTPUT, ROLE_CACHED, ROLE_COST,
    ROLE_FEATURE, ROLE_REQUESTS, ROLE_INTERACTIONS, ROLE_VALUE, ROLE_COUNT
};

/* The names --map uses for the roles, in enum order. */
extern const char *const data_role_names[ROLE_COUNT];

/* One row. Text fields point into the reader's buffers, valid only during
 * the callback, and are NULL (length 0) when the role is not mapped. */
typedef struct data_record {
    const char *customer, *model, *feature;
    size_t customer_len, model_len, feature_len;
    double time;             /* Unix seconds; NAN when not mapped */
    int month;               /* months since January 1970 (UTC), from time or month; -1 when neither */
    double input, output, cached;  /* tokens; 0 when not mapped */
    double cost;             /* logged spend; NAN when not mapped */
    double requests;         /* requests the row stands for: 1 for a request log */
    double interactions;     /* a monthly table's count; NAN when not mapped */
    double value;            /* a values file's number; NAN when not mapped */
    long line;               /* 1-based line (file) or row (database) */
} data_record;

typedef struct data_opts {
    const char *preset;      /* a preset's name; NULL: recognised from the header */
    const char *map;         /* "role=column,..." over the preset; NULL: none */
} data_opts;

/* What was read. */
typedef struct data_info {
    char preset[32];         /* the preset used, or "map" */
    char format[16];         /* "csv", "jsonl", "postgresql", "sqlite" */
    int compression;         /* enum data_compression */
    long rows;               /* data rows read */
    bool has[ROLE_COUNT];    /* roles mapped to a column */
    char column[ROLE_COUNT][64];  /* the column of each mapped role */
} data_info;

/* Receives each record; returns TS_OK to go on, or an error code (with err
 * filled) to stop the reading. */
typedef int (*data_record_fn)(void *ctx, const data_record *r, ts_error *err);

/* Reads a CSV or JSON-lines file (by its first byte: '{' is JSON lines).
 * Returns TS_OK, or the callback's code, or TS_ERR_INPUT with err naming
 * path and line. info is filled as far as reading went. */
int data_read_file(const char *path, const data_opts *o, data_record_fn fn, void *ctx, data_info *info,
                   ts_error *err);

/* Reads a database: url "postgresql://..." (or "postgres://", or a libpq
 * "key=value" string) through libpq, anything else as an SQLite file path
 * (an optional "sqlite:" prefix is dropped). Exactly one of table and
 * query is non-NULL. A database that cannot be reached is TS_ERR_RUNTIME;
 * a missing table or a failing query TS_ERR_INPUT. */
int data_read_db(const char *url, const char *table, const char *query, const data_opts *o, data_record_fn fn,
                 void *ctx, data_info *info, ts_error *err);

/* The presets, for help and messages: name and one line on what it reads. */
typedef struct data_preset_doc {
    const char *name, *what;
} data_preset_doc;
extern const data_preset_doc data_preset_docs[];
extern const int data_npresets;

/* One row of a CSV table read as text (data_read_table): the header's
 * names and the row's fields, NUL-terminated, valid only during the
 * callback. column[k] is field k's 1-based character column on the line. */
typedef struct data_row {
    int ncols;               /* names in the header */
    const char *const *names;
    int nfields;             /* fields in this row (may differ from ncols) */
    const char *const *field;
    const int *column;
    long line;               /* 1-based line the row ends on */
} data_row;

/* Receives each row after the header; returns TS_OK to go on, or an error
 * code (with err filled) to stop. */
typedef int (*data_row_fn)(void *ctx, const data_row *row, ts_error *err);

/* Reads a CSV file (plain, gzip or zstd) whose first row is a header, and
 * hands every later row to fn as text, for files whose columns are not
 * usage data (survey answers). Empty lines are skipped. Returns TS_OK, the
 * callback's code, or TS_ERR_INPUT naming path and line (invalid CSV, an
 * empty file); TS_ERR_RUNTIME when the file cannot be read. */
int data_read_table(const char *path, data_row_fn fn, void *ctx, ts_error *err);

/* Parses an ISO 8601 date-time ("2024-05-01", "2024-05-01T12:00:00",
 * "2024-05-01 12:00:00.123456", with "Z", "+02", "+0200" or "+02:00"),
 * a month "2024-05", or Unix seconds ("1714564800", "1714564800.5") into
 * Unix seconds. Returns false when the text is none of these. */
bool data_time_parse(const char *s, size_t len, double *out);

/* Months since January 1970 of Unix time t (UTC). */
int data_month_of(double t);

#endif
