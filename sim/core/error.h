/* error.h: the caller-owned error object of tokensim.
 *
 * Library code never prints or exits: it fills a ts_error with where the
 * problem is (file, line, column, key path) and what it is, and returns a
 * non-zero code. Only the CLI turns the object into a message, in one place
 * (ts_error_format), as git writes them: lowercase, error first, no full stop. */
#ifndef TS_ERROR_H
#define TS_ERROR_H

#include <stddef.h>

/* Exit statuses of the command-line program. */
enum ts_exit {
    TS_EXIT_OK = 0,
    TS_EXIT_RUNTIME = 1,     /* a failure while running: out of memory, i/o */
    TS_EXIT_INPUT = 2,       /* a wrong scenario or command line */
    TS_EXIT_INTERRUPTED = 130
};

/* Kinds of error; each maps to one exit status. */
enum ts_errcode {
    TS_OK = 0,
    TS_ERR_INPUT = 2,        /* bad scenario or argument: exit 2 */
    TS_ERR_RUNTIME = 1,      /* anything else: exit 1 */
    TS_ERR_INTERRUPTED = 130
};

typedef struct ts_error {
    int code;                /* enum ts_errcode; TS_OK when nothing went wrong */
    char source[256];        /* file name, or "--set k=v" for a command-line value */
    int line, column;        /* 1-based; 0 when unknown */
    char message[768];       /* lowercase, no trailing full stop */
} ts_error;

/* Clears e. */
void ts_error_clear(ts_error *e);

/* Records an error unless one is already recorded (the first error wins).
 * source may be NULL. Returns code, so callers can `return ts_error_set(...)`. */
int ts_error_set(ts_error *e, int code, const char *source, int line, int column,
                 const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Puts context before a recorded message ("shock 'x' makes an invalid
 * scenario: " + the loader's words); location and code stay. */
void ts_error_prefix(ts_error *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Writes "source:line:column: message" (parts omitted when unknown) into buf.
 * Returns the length snprintf would have written. */
int ts_error_format(const ts_error *e, char *buf, size_t n);

#endif
