/* csv.c: the one CSV writer (RFC 4180), and the provenance comment line
 * that user text cannot break. */
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

/* A comment must stay one line and must not open a quoted field: escape
 * what could end the line or start a quote, and the escape itself. */
static void comment_escape(FILE *f, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '\\': fputs("\\\\", f); break;
        case '"': fputs("\\\"", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        default:
            if (*p < 0x20 || *p == 0x7f)
                fprintf(f, "\\x%02x", *p);
            else
                fputc(*p, f);
        }
    }
}

/* Out of memory: the text is lost; csv_finish says so with NULL. */
static void fail(csv_writer *w)
{
    fclose(w->f);
    free(w->buf);
    w->f = NULL;
    w->buf = NULL;
}

static void comment_v(csv_writer *w, const char *head, const char *fmt, va_list ap)
{
    char *text = NULL;
    if (vasprintf(&text, fmt, ap) < 0) {
        fail(w);
        return;
    }
    fputs("# ", w->f);
    comment_escape(w->f, head);
    comment_escape(w->f, text);
    fputc('\n', w->f);
    free(text);
}

void csv_comment(csv_writer *w, const char *fmt, ...)
{
    if (!w->f)
        return;
    va_list ap;
    va_start(ap, fmt);
    comment_v(w, "", fmt, ap);
    va_end(ap);
}

void csv_provenance(csv_writer *w, const provenance *pv, const char *note_fmt, ...)
{
    if (!w->f)
        return;
    char *head = NULL;
    if (asprintf(&head, "tokensim %s; scenario %s; hash %016llx; seed %llu; replications %d; ", pv->version,
                 pv->scenario_file, (unsigned long long)pv->hash, (unsigned long long)pv->seed, pv->replications)
        < 0) {
        fail(w);
        return;
    }
    va_list ap;
    va_start(ap, note_fmt);
    comment_v(w, head, note_fmt, ap);
    va_end(ap);
    free(head);
    char warn[768];
    if (outputs_tail_warning(pv, warn, sizeof warn))
        csv_comment(w, "warning: %s", warn);
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
