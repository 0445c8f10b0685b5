/* lever_retrieval.c: retrieval, a few retrieved chunks replace whole
 * documents in each call's context, for embeddings and vector searches.
 *
 *   T_context -> (1-phi) T_context + phi K,  R += phi (embedding + searches) */
#include <stdio.h>

#include "lever.h"

typedef struct retrieval {
    double context_tokens;      /* per call, instead of the feature's */
    double embedding_tokens;    /* per interaction */
    double searches;            /* per interaction */
} retrieval;
_Static_assert(sizeof(retrieval) <= LEVER_PARAM_BYTES, "retrieval parameters fit a lever");

static const param_key keys[] = {
    PNUM(retrieval, "context_tokens", context_tokens, 0, 0, PARAM_POS | PARAM_NEEDED, "tokens per call", "0",
         "context per call once retrieved chunks replace whole documents"),
    PNUM(retrieval, "embedding_tokens", embedding_tokens, 0, 0, PARAM_POS, "tokens per interaction", "0",
         "tokens embedded per interaction"),
    PNUM(retrieval, "searches", searches, 0, 0, PARAM_POS, "per interaction", "0", "vector searches per interaction"),
    PARAM_END
};

static void apply(lever_spec *sp, const lever *l, double phi, const price_table *pt)
{
    const retrieval *p = lever_params_c(l);
    sp->tokens.context = (1 - phi) * sp->tokens.context + phi * p->context_tokens;
    sp->retrieval += phi * (p->embedding_tokens * pt->embedding / 1e6 + p->searches * pt->vector_search);
}

static int describe(const lever *l, char *buf, size_t n)
{
    return snprintf(buf, n, "retrieve %g tokens of context per call for %s",
                    ((const retrieval *)lever_params_c(l))->context_tokens, lever_feature_words(l));
}

const lever_kind lever_kind_retrieval = {
    .name = "retrieval",
    .summary = "retrieved chunks replace whole documents in each call's context",
    .keys = keys,
    .params_size = sizeof(retrieval),
    .apply = apply,
    .describe = describe,
};
