/* sweep_out.c: the sweep's picture, one line per plan with its P5-P95 band
 * over one swept value, or a heatmap of the first plan's margin over two
 * (white at 50%, the venture line). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plots/plots.h"
#include "sweep.h"

extern const char *const plot_template_sweep_line;
extern const char *const plot_template_sweep_heat;

int sweep_plots_write(const struct sweep_result *sw, const provenance *pv, const char *title, const plot_opts *o,
                      plot_report *rep, ts_error *err)
{
    memset(rep, 0, sizeof *rep);
    char *body = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&body, &len);
    if (!f)
        return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory writing plots");
    char t[400];
    snprintf(t, sizeof t, "%s: gross margin as %s%s%s vary", title, sw->axis[0].path, sw->naxes > 1 ? " and " : "",
             sw->naxes > 1 ? sw->axis[1].path : "");
    if (sw->naxes == 1)
        t[strlen(t) - 4] = 0, strcat(t, "varies");
    plots_head(f, "sweep", pv, t);
    fprintf(f, "xlabel_text = ");
    plots_gp_string(f, sw->axis[0].path);
    fputc('\n', f);
    if (sw->naxes == 1) {
        char names[PLAN_MAX * (PLAN_NAME_LEN + 1)] = "";
        for (int p = 0; p < sw->nplans; p++)
            snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", p ? " " : "", sw->plan_names[p]);
        fprintf(f, "nplans = %d\nplan_names = ", sw->nplans);
        plots_gp_string(f, names);
        fprintf(f, "\n$sw << EOD\n");
        for (int p = 0; p < sw->nplans; p++) {
            for (int i = 0; i < sw->nrows; i++)
                if (sw->rows[i].plan == p)
                    fprintf(f, "%.12g %.6g %.6g %.6g\n", sw->rows[i].x, sw->rows[i].margin_mean, sw->rows[i].margin_p5,
                            sw->rows[i].margin_p95);
            fprintf(f, "\n\n");
        }
        fprintf(f, "EOD\n");
    } else {
        double lo = INFINITY, hi = -INFINITY;
        for (int i = 0; i < sw->nrows; i++)
            if (sw->rows[i].plan == 0 && isfinite(sw->rows[i].margin_mean)) {
                lo = fmin(lo, sw->rows[i].margin_mean);
                hi = fmax(hi, sw->rows[i].margin_mean);
            }
        double span = fmax(fabs(lo - 50), fabs(hi - 50)) + 1;   /* white at 50%: the venture line */
        fprintf(f, "ylabel_text = ");
        plots_gp_string(f, sw->axis[1].path);
        fprintf(f, "\ncblo = %.6g\ncbhi = %.6g\n$sw << EOD\n", 50 - span, 50 + span);
        for (int i = 0; i < sw->nrows; i++)
            if (sw->rows[i].plan == 0)
                fprintf(f, "%.12g %.12g %.6g\n", sw->rows[i].x, sw->rows[i].y, sw->rows[i].margin_mean);
        fprintf(f, "EOD\n");
    }
    fclose(f);
    int rc = body ? plots_emit(sw->naxes == 1 ? "sweep" : "sweep_heatmap",
                               sw->naxes == 1 ? plot_template_sweep_line : plot_template_sweep_heat, body, o, rep, err)
                  : ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory");
    free(body);
    return rc;
}
