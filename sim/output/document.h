/* document.h: the run's report, DIR/report.md and a self-contained
 * DIR/report.html (plots embedded), for a reader who was not there: the
 * scenario, the key figures with their intervals, the pictures and the
 * tables, in the order a decision needs them.
 *
 * The content is built once as a list of blocks (headings, paragraphs,
 * tables, pictures) and rendered twice, so the two files always agree. */
#ifndef TS_DOCUMENT_H
#define TS_DOCUMENT_H

#include "doc.h"
#include "sim/engine/engine.h"
#include "report.h"
#include "sim/engine/stats.h"

/* Writes report.md and report.html into dir. `with_plots`: the PNG files
 * in dir/plots exist and are to be shown. Returns TS_OK or TS_ERR_RUNTIME. */
struct dashboard;
/* db, the run's dashboard, may be NULL (then the report has none). */
int document_write(const char *dir, const scenario *s, const summary *sm, const struct dashboard *db,
                   const provenance *pv, bool with_plots, ts_error *err);


#endif
