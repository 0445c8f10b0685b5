/* csv.c: the one CSV writer (RFC 4180). */
#include "csv.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

bool csv_begin(csv_writer *w)
{
    memset(w, 0, sizeof *w);
    w->f = open_memstream(&w->buf, &w->len);
    return w->f != NULL;
}

char *csv_finish(csv_writer *w, size_t *len)
{
    if (!w->f)
        return NULL;
    bool bad = ferror(w->f) != 0;
    if (fclose(w->f) != 0)
        bad = true;
    w->f = NULL;
    if (bad) {
        free(w->buf);
        w->buf = NULL;
    }
    if (len)
        *len = w->buf ? w->len : 0;
    return w->buf;
}

/* Out of memory: the text is lost; csv_finish says so with NULL. */
static void fail(csv_writer *w)
{
    fclose(w->f);
    free(w->buf);
    w->f = NULL;
    w->buf = NULL;
}

static void sep(csv_writer *w)
{
    if (w->fields++)
        fputc(',', w->f);
}

static void quoted(FILE *f, const char *t)
{
    fputc('"', f);
    for (; *t; t++) {
        if (*t == '"')
            fputc('"', f);
        fputc(*t, f);
    }
    fputc('"', f);
}

void csv_text(csv_writer *w, const char *t)
{
    if (!w->f)
        return;
    sep(w);
    if (strpbrk(t, ",\"\r\n"))
        quoted(w->f, t);
    else
        fputs(t, w->f);
}

void csv_textf(csv_writer *w, const char *fmt, ...)
{
    if (!w->f)
        return;
    char *t = NULL;
    va_list ap;
    va_start(ap, fmt);
    int n = vasprintf(&t, fmt, ap);
    va_end(ap);
    if (n < 0) {
        fail(w);
        return;
    }
    csv_text(w, t);
    free(t);
}

void csv_name(csv_writer *w, const char *t)
{
    if (!w->f)
        return;
    sep(w);
    quoted(w->f, t);
}

void csv_number(csv_writer *w, double v)
{
    if (!w->f)
        return;
    sep(w);
    if (isfinite(v))
        fprintf(w->f, "%.10g", v);
}

void csv_value(csv_writer *w, double v)
{
    if (!w->f)
        return;
    sep(w);
    if (isfinite(v))
        fprintf(w->f, "%.12g", v);
}

void csv_int(csv_writer *w, long long v)
{
    if (!w->f)
        return;
    sep(w);
    fprintf(w->f, "%lld", v);
}

void csv_empty(csv_writer *w, int n)
{
    for (int i = 0; i < n && w->f; i++)
        sep(w);
}

void csv_row_end(csv_writer *w)
{
    if (!w->f)
        return;
    fputc('\n', w->f);
    w->fields = 0;
}
