/* csv.h: the one CSV writer of tokensim, used by every command that writes
 * a CSV file (run, compare, sweep, stress, tornado, solve, optimize).
 *
 * Files follow RFC 4180: fields separated by commas, rows ended by LF, a
 * field holding a comma, a double quote, CR or LF quoted with its quotes
 * doubled. Names taken from the scenario (plans, segments, shocks, paths)
 * are always quoted, as tokensim has always written them. Numbers keep the
 * exact text they always had (%.10g, or %.12g for values set on the command
 * line); a number that is not finite is an empty field.
 *
 * A file starts with its header row: no comment line, so any CSV reader
 * loads it with no options; the provenance goes beside it, in JSON.
 *
 * The text is built in memory (open_memstream) and handed to the caller,
 * who writes it atomically. Writing never fails loudly: an allocation
 * failure makes csv_finish return NULL. */
#ifndef TS_CSV_H
#define TS_CSV_H

#include <stdbool.h>
#include <stdio.h>

#include "report.h"

typedef struct csv_writer {
    FILE *f;                 /* NULL after a failed csv_begin */
    char *buf;
    size_t len;
    int fields;              /* fields written in the current row */
} csv_writer;

/* Starts a CSV text in memory. Returns false when out of memory (then
 * every other call is a no-op and csv_finish returns NULL). */
bool csv_begin(csv_writer *w);

/* Ends the text and returns it, NUL-terminated (caller frees with free());
 * NULL when out of memory. `len` may be NULL. */
char *csv_finish(csv_writer *w, size_t *len);

/* Fields, each after a comma unless first in its row. */
void csv_text(csv_writer *w, const char *t);     /* quoted only when it must be */
void csv_textf(csv_writer *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void csv_name(csv_writer *w, const char *t);     /* always quoted */
void csv_number(csv_writer *w, double v);        /* %.10g; empty when not finite */
void csv_value(csv_writer *w, double v);         /* %.12g, as a value typed on the command line; empty when not finite */
void csv_int(csv_writer *w, long long v);
void csv_empty(csv_writer *w, int n);            /* n empty fields */

/* Ends the row (LF). */
void csv_row_end(csv_writer *w);

#endif
