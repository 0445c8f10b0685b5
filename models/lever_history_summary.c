/* lever_history_summary.c: a conversation's history is summarised, by
 * extra calls to a summary model, instead of resent whole.
 *
 *   T_history *= 1 - phi x reduction,
 *   X += phi x calls x (the summary call's cost), its tokens likewise */
#include <stdio.h>

#include "lever.h"

typedef struct history_summary {
    double reduction;           /* share of history tokens cut */
    char summary_model[COST_NAME_LEN];
    int summary_index;
    double summary_calls;       /* per interaction */
    double summary_input, summary_output;   /* tokens of a summarising call */
} history_summary;
_Static_assert(sizeof(history_summary) <= LEVER_PARAM_BYTES, "history_summary parameters fit a lever");

static const param_key keys[] = {
    PNUM(history_summary, "reduction", reduction, 0, 1, PARAM_MAX_OPEN | PARAM_NEEDED, "share of tokens", "0",
         "history cut"),
    PSTR(history_summary, "summary_model", summary_model, 0, "", "the model that writes summaries"),
    PNUM(history_summary, "summary_calls", summary_calls, 0, 0, PARAM_POS, "calls per interaction", "0",
         "summarising calls per interaction"),
    PNUM(history_summary, "summary_input", summary_input, 0, 0, PARAM_POS, "tokens", "0", "input of a summary call"),
    PNUM(history_summary, "summary_output", summary_output, 0, 0, PARAM_POS, "tokens", "0",
         "output of a summary call"),
    PARAM_END
};

static void apply(lever_spec *sp, const lever *l, double phi, const price_table *pt)
{
    const history_summary *p = lever_params_c(l);
    const model_price *m = &pt->models[p->summary_index];
    sp->tokens.history *= 1 - phi * p->reduction;
    sp->extra_model += phi * p->summary_calls * (p->summary_input * m->input + p->summary_output * m->output) / 1e6;
    sp->extra_tokens += phi * p->summary_calls * (p->summary_input + p->summary_output);
}

static int check(lever *l, const lever_check *c)
{
    history_summary *p = lever_params(l);
    if (p->summary_calls <= 0) {
        p->summary_index = 0;   /* no calls: the price is never used */
        return TS_OK;
    }
    if (!p->summary_model[0])
        return lever_fail(c, &p->summary_calls, NULL, "lever '%s' makes summarising calls but names no "
                          "'summary_model'", l->name);
    return lever_model_ref(c, l, "summary_model", p->summary_model, &p->summary_index, p->summary_model);
}

static int describe(const lever *l, char *buf, size_t n)
{
    const history_summary *p = lever_params_c(l);
    return snprintf(buf, n, "summarise %s's history, %g%% shorter%s%s", lever_feature_words(l),
                    100 * p->reduction, p->summary_calls > 0 ? ", by " : "",
                    p->summary_calls > 0 ? p->summary_model : "");
}

const lever_kind lever_kind_history_summary = {
    .name = "history_summary",
    .summary = "conversation history is summarised by a cheaper model instead of resent whole",
    .keys = keys,
    .params_size = sizeof(history_summary),
    .apply = apply,
    .describe = describe,
    .check = check,
};
