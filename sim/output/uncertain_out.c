/* uncertain_out.c: the uncertain inputs of a run in the terminal, in
 * summary.json and in inputs.csv (uncertain_out.h). */
#include <math.h>
#include <stdlib.h>

#include "sim/engine/uncvar.h"
#include "csv.h"
#include "uncertain_out.h"

static void print_variance(FILE *out, const scenario *s, const unc_summary *u)
{
    if (!u->split) {
        if (u->inner < 2)
            fprintf(out, "  the horizon margin's variance is not split: give uncertain.inner 2 or more (replications "
                         "per draw)\n\n");
        else
            fprintf(out, "  the horizon margin's variance is not split: it needs two or more complete draws of %d "
                         "replications\n\n", u->inner);
        return;
    }
    fprintf(out, "variance of the horizon margin (points^2), by the law of total variance over %d draws of %d "
                 "replications\n", u->ngroups, u->inner);
    fprintf(out, "  %-16s %10s %10s %10s %13s\n", "plan", "total", "inputs", "usage", "inputs share");
    for (int p = 0; p < u->nplans; p++) {
        double share = unc_param_share(u, p);
        fprintf(out, "  %-16s %10.4g %10.4g %10.4g %12.0f%%\n", s->plans[p].name, u->var_total[p], u->var_param[p],
                u->var_usage[p], 100 * share);
    }
    fprintf(out, "\n");
}

void uncertain_print(FILE *out, const scenario *s, const summary *sm)
{
    const unc_summary *u = sm->unc;
    const uncertain_cfg *uc = &s->uncertain;
    fprintf(out, "uncertain inputs (%s sampling%s, %d replication%s per draw)\n", unc_sampling_names[uc->sampling],
            uc->correlated ? ", rank-correlated" : "", u->inner, u->inner == 1 ? "" : "s");
    fprintf(out, "  %-34s %-30s %11s %11s %11s\n", "input", "law", "mean", "p5", "p95");
    for (int j = 0; j < u->ninputs; j++) {
        char law[120];
        ts_dist_describe(&uc->inputs[j].law, law, sizeof law);
        fprintf(out, "  %-34s %-30s %11.4g %11.4g %11.4g\n", uc->inputs[j].path, law, u->mean[j], u->p5[j],
                u->p95[j]);
    }
    fprintf(out, "rank correlation of each input with the horizon margin\n  %-34s", "input");
    for (int p = 0; p < u->nplans; p++)
        fprintf(out, " %12.12s", s->plans[p].name);
    fprintf(out, "\n");
    for (int j = 0; j < u->ninputs; j++) {
        fprintf(out, "  %-34s", uc->inputs[j].path);
        for (int p = 0; p < u->nplans; p++)
            fprintf(out, " %12.2f", u->rank[(size_t)p * u->ninputs + j]);
        fprintf(out, "\n");
    }
    fprintf(out, "\n");
    print_variance(out, s, u);
}

void uncertain_json(cJSON *root, const scenario *s, const summary *sm)
{
    const unc_summary *u = sm->unc;
    const uncertain_cfg *uc = &s->uncertain;
    cJSON *o = cJSON_AddObjectToObject(root, "uncertain");
    cJSON_AddStringToObject(o, "sampling", unc_sampling_names[uc->sampling]);
    cJSON_AddBoolToObject(o, "correlated", uc->correlated);
    cJSON_AddNumberToObject(o, "inner", u->inner);
    cJSON *ins = cJSON_AddArrayToObject(o, "inputs");
    for (int j = 0; j < u->ninputs; j++) {
        cJSON *in = cJSON_CreateObject();
        char law[120];
        ts_dist_describe(&uc->inputs[j].law, law, sizeof law);
        cJSON_AddStringToObject(in, "path", uc->inputs[j].path);
        cJSON_AddStringToObject(in, "op", change_op_names[uc->inputs[j].op]);
        cJSON_AddStringToObject(in, "law", law);
        json_number_add(in, "mean", u->mean[j]);
        json_number_add(in, "p5", u->p5[j]);
        json_number_add(in, "p95", u->p95[j]);
        cJSON_AddItemToArray(ins, in);
    }
    cJSON *plans = cJSON_AddArrayToObject(o, "plans");
    for (int p = 0; p < u->nplans; p++) {
        cJSON *po = cJSON_CreateObject();
        cJSON_AddStringToObject(po, "plan", s->plans[p].name);
        cJSON *rk = cJSON_AddObjectToObject(po, "rank_correlation_with_horizon_margin");
        for (int j = 0; j < u->ninputs; j++)
            json_number_add(rk, uc->inputs[j].path, u->rank[(size_t)p * u->ninputs + j]);
        cJSON *v = cJSON_AddObjectToObject(po, "horizon_margin_variance");
        json_number_add(v, "total", u->var_total[p]);
        if (u->split) {
            json_number_add(v, "inputs", u->var_param[p]);
            json_number_add(v, "usage", u->var_usage[p]);
            json_number_add(v, "inputs_share", unc_param_share(u, p));
            cJSON_AddNumberToObject(v, "draws", u->ngroups);
        }
        cJSON_AddItemToArray(plans, po);
    }
}

char *uncertain_inputs_csv(const scenario *s, const run_result *r, size_t *len)
{
    csv_writer w;
    if (!csv_begin(&w))
        return NULL;
    csv_text(&w, "replication");
    csv_text(&w, "draw");
    for (int j = 0; j < r->ninputs; j++)
        csv_text(&w, s->uncertain.inputs[j].path);
    csv_row_end(&w);
    int inner = r->inner > 0 ? r->inner : 1;
    for (int i = 0; i < r->nreps; i++) {
        csv_int(&w, r->first + i + 1);
        csv_int(&w, (r->first + i) / inner + 1);
        for (int j = 0; j < r->ninputs; j++)
            csv_number(&w, r->inputs[(size_t)i * r->ninputs + j]);
        csv_row_end(&w);
    }
    return csv_finish(&w, len);
}
