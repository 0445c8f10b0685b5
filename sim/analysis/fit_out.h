/* fit_out.h: what `tokensim fit` shows and writes: the terminal table,
 * fit.json, the `usage:` and `features:` blocks (or a whole scenario) that
 * run as they are, and three plots (the CCDF with every fitted law, the KS
 * distance against xmin, the QQ plot of the tail). */
#ifndef TS_FIT_OUT_H
#define TS_FIT_OUT_H

#include <stdio.h>

#include "fit_data.h"
#include "plots/plots.h"

/* Where the report came from, for the table, the JSON and the plots. */
typedef struct fit_source {
    const char *name;        /* the file, or "table T" / "query" */
    const char *version;
    uint64_t seed;
} fit_source;

/* The table. */
void fit_print(FILE *out, const fit_report *r, const fit_source *src);

/* fit.json as text (caller frees); NULL when out of memory. */
char *fit_json(const fit_report *r, const fit_source *src);

/* The usage: block (a pareto law from the fit, when there is one) and a
 * features: block (the tokens per request, routed by the model mix), or,
 * with whole, a scenario around them. Caller frees; NULL when out of
 * memory or when there is neither a fit nor token counts. */
char *fit_scenario_yaml(const fit_report *r, const fit_source *src, bool whole);

/* Writes and renders the plots under o->dir/plots. */
int fit_plots_write(const fit_report *r, const fit_source *src, const plot_opts *o, plot_report *rep, ts_error *err);

#endif
