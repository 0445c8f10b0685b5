/* error.c: filling and formatting the caller-owned error object. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void ts_error_clear(ts_error *e)
{
    memset(e, 0, sizeof *e);
}

int ts_error_set(ts_error *e, int code, const char *source, int line, int column,
                 const char *fmt, ...)
{
    if (!e || e->code != TS_OK)
        return e ? e->code : code;
    e->code = code;
    snprintf(e->source, sizeof e->source, "%s", source ? source : "");
    e->line = line;
    e->column = column;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
    return code;
}

int ts_error_format(const ts_error *e, char *buf, size_t n)
{
    if (e->source[0] && e->line > 0)
        return snprintf(buf, n, "%s:%d:%d: %s", e->source, e->line, e->column, e->message);
    if (e->source[0])
        return snprintf(buf, n, "%s: %s", e->source, e->message);
    return snprintf(buf, n, "%s", e->message);
}

void ts_error_prefix(ts_error *e, const char *fmt, ...)
{
    char head[sizeof e->message], msg[sizeof e->message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(head, sizeof head, fmt, ap);
    va_end(ap);
    snprintf(msg, sizeof msg, "%s", e->message);
    /* the context (at most 300 characters), then the message, cut at the
     * buffer's end when the two do not fit: the location stays readable */
    size_t h = strnlen(head, 300), m = strnlen(msg, sizeof e->message - 1 - h);
    memcpy(e->message, head, h);
    memcpy(e->message + h, msg, m);
    e->message[h + m] = 0;
}
