/* lever_output_limit.c: length limits cut each call's output.
 *
 *   T_out *= 1 - phi x reduction */
#include <stdio.h>

#include "lever.h"

typedef struct output_limit {
    double reduction;           /* share of output tokens cut */
} output_limit;
_Static_assert(sizeof(output_limit) <= LEVER_PARAM_BYTES, "output_limit parameters fit a lever");

static const param_key keys[] = {
    PNUM(output_limit, "reduction", reduction, 0, 1, PARAM_MAX_OPEN | PARAM_NEEDED, "share of tokens", "0",
         "output cut"),
    PARAM_END
};

static void apply(lever_spec *sp, const lever *l, double phi, const price_table *pt)
{
    (void)pt;
    sp->tokens.output *= 1 - phi * ((const output_limit *)lever_params_c(l))->reduction;
}

static int describe(const lever *l, char *buf, size_t n)
{
    return snprintf(buf, n, "cut %s's output by %g%%", lever_feature_words(l),
                    100 * ((const output_limit *)lever_params_c(l))->reduction);
}

const lever_kind lever_kind_output_limit = {
    .name = "output_limit",
    .summary = "length limits cut each call's output tokens",
    .keys = keys,
    .params_size = sizeof(output_limit),
    .apply = apply,
    .describe = describe,
};
