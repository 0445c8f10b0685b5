/* doc.h: a document built block by block and written as NAME.md and a
 * self-contained NAME.html (pictures embedded as base64), used by every
 * command that writes a report. Functions never fail loudly: an allocation
 * failure sets `oom` and doc_write reports it. */
#ifndef TS_DOC_H
#define TS_DOC_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/core/error.h"

enum block_kind { B_H1, B_H2, B_P, B_TABLE, B_IMG };

typedef struct block {
    int kind;
    char *text;              /* heading or paragraph; for B_IMG the caption */
    char *file;              /* B_IMG: path relative to the output folder */
    char **cells;            /* B_TABLE: rows x cols, first row the header */
    int rows, cols;
} block;

typedef struct doc {
    block *b;
    int n, cap;
    bool oom;
    /* The run's report: the HTML adds a phone layout, tables that sort on
     * a click (inline JavaScript), pictures from the SVG beside each PNG,
     * and **bold** in paragraphs. Other documents are written plain. */
    bool rich;
} doc;

void doc_text(doc *d, int kind, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* A picture: `file` relative to the output folder, embedded in the HTML
 * when it exists. */
void doc_image(doc *d, const char *file, const char *caption);
/* A table of rows x cols, the first row the header; fill with doc_cell. */
block *doc_table(doc *d, int rows, int cols);
void doc_cell(doc *d, block *t, int r, int c, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void doc_free(doc *d);

/* Writes dir/base.md and dir/base.html (each atomically). Returns TS_OK or
 * TS_ERR_RUNTIME. */
int doc_write(const doc *d, const char *dir, const char *base, ts_error *err);

/* Base64 of n bytes (RFC 4648, with padding); caller frees. */
char *document_base64(const unsigned char *data, size_t n);

#endif
