/* plots.h: the pictures of a run, drawn by gnuplot.
 *
 * Each plot is a gnuplot script made of its data (inline datablocks), a few
 * variables (titles, targets, fitted values) and a readable template from
 * plots/NAME.gp, compiled into the program. The script is saved beside the
 * outputs (DIR/plots/NAME.gp, rendered again by `gnuplot NAME.gp` run in
 * that folder) and piped to gnuplot, which writes NAME.png and NAME.svg
 * under temporary names that are renamed once it succeeds. A gnuplot that
 * is missing, fails, or hangs (killed after a timeout) costs the pictures,
 * never the run: the problem is reported in plot_report for the caller to
 * print. */
#ifndef TS_PLOTS_H
#define TS_PLOTS_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/engine/engine.h"
#include "sim/output/report.h"
#include "sim/engine/stats.h"

typedef struct plot_opts {
    const char *dir;         /* the run's output folder; plots go in DIR/plots */
    bool render;             /* false: write the .gp scripts only */
    int timeout_s;           /* per plot; 0 means 60 */
    const char *gnuplot;     /* the program to run; NULL means "gnuplot" */
    bool pdf;                /* also NAME.pdf */
} plot_opts;

typedef struct plot_report {
    int scripts;             /* .gp files written */
    int rendered;            /* plots turned into PNG and SVG */
    int failed;              /* plots gnuplot could not render */
    bool missing;            /* gnuplot was not found */
    char first_problem[512]; /* empty when all went well */
} plot_report;

/* Writes and renders every plot of a run. Returns TS_OK, or TS_ERR_RUNTIME
 * when a script cannot be written (rendering problems go to *rep, not err). */
int plots_write(const scenario *s, const run_result *r, const summary *sm, const provenance *pv,
                const plot_opts *o, plot_report *rep, ts_error *err);

/* One plot from a template (plot_template_NAME, embedded from the plots folder)
 * and the variables and data a caller wrote for it: writes
 * dir/plots/name.gp and renders it as the other plots. Adds to *rep. */
int plots_emit(const char *name, const char *template, const char *body, const plot_opts *o, plot_report *rep,
               ts_error *err);

/* The opening of a plot's script: what it is, the run it comes from (as
 * comments), and title_text. */
void plots_head(FILE *f, const char *what, const provenance *pv, const char *title);

/* Writes s as a gnuplot string literal: single-quoted, ' doubled, control
 * characters dropped; gnuplot substitutes nothing inside it, so any user
 * text (a file, plan or lever name) is safe there. */
void plots_gp_string(FILE *f, const char *s);

/* Writes s as a double-quoted column of a datablock line, with line breaks
 * and double quotes (which gnuplot cannot escape there) replaced. */
void plots_gp_datum(FILE *f, const char *s);

/* The Hill estimate of a power-law tail exponent from the k largest of
 * x[0..n), sorted in decreasing order: alpha = k / sum_(i<k) ln(x_i / x_k).
 * Returns NAN when x_k <= 0 or k >= n. */
double plots_hill_alpha(const double *desc, size_t n, size_t k);

/* The Gini coefficient of x[0..n) sorted in increasing order. */
double plots_gini(const double *asc, size_t n);

#endif
