/* lever_compression.c: prompt compression cuts the system prompt, the
 * user's text and the context of each call.
 *
 *   T_system, T_user, T_context *= 1 - phi x reduction */
#include <stdio.h>

#include "lever.h"

typedef struct compression {
    double reduction;           /* share of system, user and context tokens cut */
} compression;
_Static_assert(sizeof(compression) <= LEVER_PARAM_BYTES, "compression parameters fit a lever");

static const param_key keys[] = {
    PNUM(compression, "reduction", reduction, 0, 1, PARAM_MAX_OPEN | PARAM_NEEDED, "share of tokens", "0",
         "system, user and context cut"),
    PARAM_END
};

static void apply(lever_spec *sp, const lever *l, double phi, const price_table *pt)
{
    (void)pt;
    double x = 1 - phi * ((const compression *)lever_params_c(l))->reduction;
    sp->tokens.system *= x;
    sp->tokens.user *= x;
    sp->tokens.context *= x;
}

static int describe(const lever *l, char *buf, size_t n)
{
    return snprintf(buf, n, "compress %s's prompts by %g%%", lever_feature_words(l),
                    100 * ((const compression *)lever_params_c(l))->reduction);
}

const lever_kind lever_kind_compression = {
    .name = "compression",
    .summary = "prompt compression cuts the system prompt, user text and context of each call",
    .keys = keys,
    .params_size = sizeof(compression),
    .apply = apply,
    .describe = describe,
};
