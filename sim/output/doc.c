/* doc.c: documents as a list of blocks (headings, paragraphs, tables,
 * pictures) rendered twice, to Markdown and to self-contained HTML with the
 * pictures embedded, so the two files always agree. */
#include "doc.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/core/fileio.h"

static block *add(doc *d, int kind)
{
    if (d->n == d->cap) {
        int nc = d->cap ? d->cap * 2 : 32;
        block *nb = realloc(d->b, (size_t)nc * sizeof *nb);
        if (!nb) {
            d->oom = true;
            return NULL;
        }
        d->b = nb;
        d->cap = nc;
    }
    block *b = &d->b[d->n++];
    memset(b, 0, sizeof *b);
    b->kind = kind;
    return b;
}

static char *vfmt(const char *fmt, va_list ap)
{
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0)
        return NULL;
    return s;
}

void doc_text(doc *d, int kind, const char *fmt, ...)
{
    block *b = add(d, kind);
    if (!b)
        return;
    va_list ap;
    va_start(ap, fmt);
    b->text = vfmt(fmt, ap);
    va_end(ap);
    if (!b->text)
        d->oom = true;
}

void doc_image(doc *d, const char *file, const char *caption)
{
    block *b = add(d, B_IMG);
    if (!b)
        return;
    b->file = strdup(file);
    b->text = strdup(caption);
    if (!b->file || !b->text)
        d->oom = true;
}

block *doc_table(doc *d, int rows, int cols)
{
    block *b = add(d, B_TABLE);
    if (!b)
        return NULL;
    b->rows = rows;
    b->cols = cols;
    b->cells = calloc((size_t)rows * cols, sizeof *b->cells);
    if (!b->cells) {
        d->oom = true;
        return NULL;
    }
    return b;
}

void doc_cell(doc *d, block *t, int r, int c, const char *fmt, ...)
{
    if (!t)
        return;
    va_list ap;
    va_start(ap, fmt);
    t->cells[r * t->cols + c] = vfmt(fmt, ap);
    va_end(ap);
    if (!t->cells[r * t->cols + c])
        d->oom = true;
}

void doc_free(doc *d)
{
    for (int i = 0; i < d->n; i++) {
        free(d->b[i].text);
        free(d->b[i].file);
        for (int k = 0; d->b[i].cells && k < d->b[i].rows * d->b[i].cols; k++)
            free(d->b[i].cells[k]);
        free(d->b[i].cells);
    }
    free(d->b);
}

/* ---- rendering ---------------------------------------------------------- */

/* User text (scenario, plan, feature names) into Markdown: a line break
 * would end the heading, paragraph or table row, so it becomes a space; a
 * '<' that could open an HTML tag, and the brackets and backquote of links
 * and code, are escaped so a name shows as written and runs nothing in a
 * viewer; in a table cell '|' too. tokensim's own text ("P(margin < 50%)")
 * has none of these, so it is written unchanged. */
static void md_text(FILE *f, const char *s, bool cell)
{
    for (; s && *s; s++) {
        char ch = *s, next = s[1];
        if (ch == '\n' || ch == '\r') {
            fputc(' ', f);
            continue;
        }
        bool tag = ch == '<' && ((next >= 'a' && next <= 'z') || (next >= 'A' && next <= 'Z') || next == '/'
                                 || next == '!' || next == '?');
        if (tag || ch == '[' || ch == ']' || ch == '`' || (cell && ch == '|'))
            fputc('\\', f);
        fputc(ch, f);
    }
}

static void md_cell(FILE *f, const char *s)
{
    md_text(f, s, true);
}

static void render_md(FILE *f, const doc *d)
{
    for (int i = 0; i < d->n; i++) {
        const block *b = &d->b[i];
        switch (b->kind) {
        case B_H1:
        case B_H2:
            fputs(b->kind == B_H1 ? "# " : "## ", f);
            md_text(f, b->text, false);
            fputs("\n\n", f);
            break;
        case B_P:
            md_text(f, b->text, false);
            fputs("\n\n", f);
            break;
        case B_IMG:
            fputs("![", f);
            md_text(f, b->text, false);
            fprintf(f, "](%s)\n\n", b->file);
            break;
        case B_TABLE:
            for (int r = 0; r < b->rows; r++) {
                fputc('|', f);
                for (int c = 0; c < b->cols; c++) {
                    fputc(' ', f);
                    md_cell(f, b->cells[r * b->cols + c]);
                    fputs(" |", f);
                }
                fputc('\n', f);
                if (r == 0) {
                    fputc('|', f);
                    for (int c = 0; c < b->cols; c++)
                        fputs(c ? "---:|" : "---|", f);
                    fputc('\n', f);
                }
            }
            fputc('\n', f);
            break;
        }
    }
}

static void html_text(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f);
        }
    }
}

char *document_base64(const unsigned char *in, size_t n)
{
    static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char *out = malloc(4 * ((n + 2) / 3) + 1);
    if (!out)
        return NULL;
    size_t j = 0;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)in[i] << 16 | (i + 1 < n ? (unsigned)in[i + 1] << 8 : 0) | (i + 2 < n ? in[i + 2] : 0);
        out[j++] = al[v >> 18 & 63];
        out[j++] = al[v >> 12 & 63];
        out[j++] = i + 1 < n ? al[v >> 6 & 63] : '=';
        out[j++] = i + 2 < n ? al[v & 63] : '=';
    }
    out[j] = 0;
    return out;
}

static const char css[] =
    "body{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;"
    "color:#1a1a1a;line-height:1.45}h1{font-size:1.7em;border-bottom:2px solid #08306b;padding-bottom:.2em}"
    "h2{font-size:1.25em;margin-top:1.8em;color:#08306b}table{border-collapse:collapse;margin:.8em 0 1.2em;"
    "font-size:.92em}th,td{border:1px solid #c8c8c8;padding:.3em .6em;text-align:right}th{background:#eef3fa}"
    "td:first-child,th:first-child{text-align:left}figure{margin:1em 0}img{max-width:100%;border:1px solid #ddd}"
    "figcaption{font-size:.9em;color:#555}";

/* The rich report's additions. Narrow screens (a phone, 390 px): smaller
 * table text and padding, and headers that may break inside a word (a
 * header's long word would otherwise set its column's width), so that no
 * table is wider than the page; pictures scale to the width. */
static const char css_rich[] =
    "img{height:auto}p,h1,h2,figcaption{overflow-wrap:anywhere}"
    "th[data-sort]{cursor:pointer}th[aria-sort=ascending]::after{content:' \\25B2'}"
    "th[aria-sort=descending]::after{content:' \\25BC'}"
    "@media (max-width:700px){body{margin:1em auto;padding:0 .5em}h1{font-size:1.35em}"
    "table{font-size:.64em}th,td{padding:.2em .25em}th{overflow-wrap:anywhere}td{overflow-wrap:break-word}}";

/* Click a column's header to sort the table by it (again: the other way).
 * Numbers sort as numbers ("$1,234", "-$5.00", "83.4%", "+0.54 pts", the
 * first of "62.4% to 65.0%"); "-" and text after them. Without JavaScript
 * the tables read as written. */
static const char sort_js[] =
    "(function(){function v(t){var s=t.replace(/[$,%+]/g,'').trim(),m=s.match(/^-?\\d+(\\.\\d+)?/);"
    "return m?parseFloat(m[0]):null}"
    "document.querySelectorAll('table').forEach(function(tb){var hs=tb.rows[0].cells;"
    "Array.prototype.forEach.call(hs,function(th,c){th.setAttribute('data-sort','');"
    "th.title='sort by this column';th.addEventListener('click',function(){"
    "var up=th.getAttribute('aria-sort')!=='ascending';Array.prototype.forEach.call(hs,function(h){"
    "h.removeAttribute('aria-sort')});th.setAttribute('aria-sort',up?'ascending':'descending');"
    "var rs=Array.prototype.slice.call(tb.rows,1);rs.sort(function(a,b){"
    "var x=a.cells[c].textContent,y=b.cells[c].textContent,p=v(x),q=v(y),r;"
    "if(p!==null&&q!==null)r=p-q;else if(p!==null)r=-1;else if(q!==null)r=1;else r=x.localeCompare(y);"
    "return up?r:-r});rs.forEach(function(r){r.parentNode.appendChild(r)})})})})})();";

/* A table cell's text, escaped, with a break opportunity after each '_':
 * names such as "semantic_cache" may wrap there on a phone instead of
 * widening their column (<wbr> adds no text, so sorting is unchanged). */
static void html_cell(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        char one[2] = { *s, 0 };
        html_text(f, one);
        if (*s == '_')
            fputs("<wbr>", f);
    }
}

/* Paragraph text with **bold** spans (tokensim's own markers, as in the
 * Markdown) as <strong>; everything else escaped. */
static void html_para(FILE *f, const char *s)
{
    bool open = false;
    for (const char *p = s; p && *p;) {
        const char *star = strstr(p, "**");
        size_t len = star ? (size_t)(star - p) : strlen(p);
        char *part = strndup(p, len);
        html_text(f, part ? part : "");
        free(part);
        if (!star)
            break;
        fputs(open ? "</strong>" : "<strong>", f);
        open = !open;
        p = star + 2;
    }
    if (open)
        fputs("</strong>", f);
}

/* A picture as a data URL: the SVG beside the PNG when there is one (text
 * stays sharp at any width), else the PNG. The SVG goes into an <img>, not
 * inline: an image runs no script and loads nothing, whatever text it holds,
 * and the ids gnuplot gives every SVG cannot clash between pictures. NULL
 * when neither file is there. */
static char *picture_url(const char *dir, const char *file, bool svg)
{
    char path[4300];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    size_t n = 0, l = strlen(path);
    char *data = NULL;
    const char *type = "image/png";
    if (svg && l > 4 && !strcmp(path + l - 4, ".png")) {
        memcpy(path + l - 4, ".svg", 4);
        data = ts_file_read(path, &n);
        if (data)
            type = "image/svg+xml";
        else
            memcpy(path + l - 4, ".png", 4);
    }
    if (!data)
        data = ts_file_read(path, &n);
    char *b64 = data ? document_base64((unsigned char *)data, n) : NULL;
    free(data);
    char *url = NULL;
    if (b64 && asprintf(&url, "data:%s;base64,%s", type, b64) < 0)
        url = NULL;
    free(b64);
    return url;
}

static void render_html(FILE *f, const doc *d, const char *dir)
{
    fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n%s<title>",
            d->rich ? "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n" : "");
    html_text(f, d->n ? d->b[0].text : "tokensim report");
    fprintf(f, "</title>\n<style>%s%s</style>\n</head>\n<body>\n", css, d->rich ? css_rich : "");
    for (int i = 0; i < d->n; i++) {
        const block *b = &d->b[i];
        switch (b->kind) {
        case B_H1:
        case B_H2:
            fprintf(f, "<h%d>", b->kind == B_H1 ? 1 : 2);
            html_text(f, b->text);
            fprintf(f, "</h%d>\n", b->kind == B_H1 ? 1 : 2);
            break;
        case B_P:
            fputs("<p>", f);
            if (d->rich)
                html_para(f, b->text);
            else
                html_text(f, b->text);
            fputs("</p>\n", f);
            break;
        case B_IMG: {
            char *url = picture_url(dir, b->file, d->rich);
            if (!url)
                break;        /* a picture that is not there is left out */
            fputs("<figure><img alt=\"", f);
            html_text(f, b->text);
            fprintf(f, "\" src=\"%s\"><figcaption>", url);
            html_text(f, b->text);
            fputs("</figcaption></figure>\n", f);
            free(url);
            break;
        }
        case B_TABLE:
            fputs("<table>\n", f);
            for (int r = 0; r < b->rows; r++) {
                fputs("<tr>", f);
                for (int c = 0; c < b->cols; c++) {
                    fputs(r ? "<td>" : "<th>", f);
                    if (d->rich)
                        html_cell(f, b->cells[r * b->cols + c]);
                    else
                        html_text(f, b->cells[r * b->cols + c]);
                    fputs(r ? "</td>" : "</th>", f);
                }
                fputs("</tr>\n", f);
            }
            fputs("</table>\n", f);
            break;
        }
    }
    if (d->rich)
        fprintf(f, "<script>%s</script>\n", sort_js);
    fputs("</body>\n</html>\n", f);
}


int doc_write(const doc *d, const char *dir, const char *base, ts_error *err)
{
    int rc = TS_OK;
    if (d->oom)
        rc = ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory writing %s", base);
    for (int k = 0; k < 2 && rc == TS_OK; k++) {
        char *buf = NULL, path[4200];
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        if (!f) {
            rc = ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory writing %s", base);
            break;
        }
        if (k == 0)
            render_md(f, d);
        else
            render_html(f, d, dir);
        fclose(f);
        snprintf(path, sizeof path, "%s/%s.%s", dir, base, k == 0 ? "md" : "html");
        rc = ts_file_write(path, buf, len, err);
        free(buf);
    }
    return rc;
}
