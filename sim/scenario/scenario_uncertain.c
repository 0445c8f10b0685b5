/* scenario_uncertain.c: the `uncertain:` section's keys and checks: each
 * input's path must name numbers of the resolved scenario, its law must be
 * well formed and, through the input's op, stay within every touched key's
 * valid range (the schema's), and the rank-correlation rows must make a
 * valid Spearman matrix (else the nearest valid one is offered). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/corr.h"
#include "scenario_check.h"
#include "schema_macros.h"

#define ANY (KF_NO_MIN | KF_NO_MAX)

const char *const unc_sampling_names[] = { "random", "latin_hypercube", NULL };

static const keyspec input_keys[] = {
    STR(unc_input, "path", path, KF_REQUIRED, NULL,
        "a scenario value, as for --set; `*` stands for every item of a list"),
    ENUM(unc_input, "op", op, change_op_names, 0, "to",
         "to: the draw replaces the value; times: multiplies it; plus: is added to it"),
    ENUM(unc_input, "dist", dist.kind, dist_kind_names, KF_REQUIRED, NULL,
         "the law: uniform, triangular, pert, normal (truncated to the key's range), lognormal, beta, discrete"),
    NUM(unc_input, "min", dist.min, 0, 0, ANY, "-", "0",
        "lower end (uniform, triangular, pert, beta; normal: truncation, default the key's own)"),
    NUM(unc_input, "max", dist.max, 0, 0, ANY, "-", "0",
        "upper end (uniform, triangular, pert, beta; normal: truncation, default the key's own)"),
    NUM(unc_input, "mode", dist.mode, 0, 0, ANY, "-", "0", "most likely value (triangular, pert)"),
    NUM(unc_input, "lambda", dist.lambda, 0, 0, GT0, "-", "4", "pert: weight of the mode"),
    NUM(unc_input, "mean", dist.mean, 0, 0, ANY, "-", "0", "normal: mean before truncation"),
    NUM(unc_input, "sd", dist.sd, 0, 0, ANY, "-", "0", "normal: standard deviation before truncation"),
    NUM(unc_input, "mu", dist.mu, 0, 0, ANY, "-", "0", "lognormal: mean of the logarithm"),
    NUM(unc_input, "sigma", dist.sigma, 0, 0, ANY, "-", "0", "lognormal: standard deviation of the logarithm"),
    NUM(unc_input, "alpha", dist.alpha, 0, 0, ANY, "-", "0", "beta: first shape"),
    NUM(unc_input, "beta", dist.beta, 0, 0, ANY, "-", "0", "beta: second shape"),
    STR(unc_input, "values", values, 0, "", "discrete: the values, separated by spaces or commas"),
    STR(unc_input, "weights", weights, 0, "", "discrete: their weights (default: equal)"),
    STR(unc_input, "correlations", correlations, 0, "",
        "this input's row of the Spearman rank-correlation matrix, one number per input in order"),
    END
};
static const section input_sec = { input_keys, NULL };

static const keyspec uncertain_keys[] = {
    ENUM(uncertain_cfg, "sampling", sampling, unc_sampling_names, 0, "random",
         "random: each draw independent; latin_hypercube: each input's draws stratified over the replications"),
    INT(uncertain_cfg, "inner", inner, 1, 10000, 0, "replications", "1",
        "replications sharing one draw of the inputs (2 or more: variance split into parameter and usage parts)"),
    LIST(uncertain_cfg, "inputs", inputs, unc_input, ninputs, UNC_MAX_INPUTS, input_sec, 0,
         "the uncertain inputs"),
    END
};
const section uncertain_sec = { uncertain_keys, NULL };

/* numbers of a text, separated by spaces or commas; -1 when one is not a
 * finite number or there are more than max */
static int parse_numbers(const char *text, double *v, int max)
{
    int n = 0;
    const char *p = text;
    for (;;) {
        while (*p == ' ' || *p == ',' || *p == '\t')
            p++;
        if (!*p)
            return n;
        char *end;
        double x = strtod(p, &end);
        if (end == p || !isfinite(x) || n >= max)
            return -1;
        v[n++] = x;
        p = end;
    }
}

double unc_target_value(const unc_input *in, int t, double x)
{
    double b = in->base[t];
    double v = in->op == CHANGE_TIMES ? (b == 0 ? 0 : b * x) : in->op == CHANGE_PLUS ? b + x : x;
    return in->integer[t] ? nearbyint(v) : v;
}

int unc_sets(const uncertain_cfg *u, const double *x, char (*out)[CHANGE_SET_LEN], int max)
{
    int n = 0;
    for (int i = 0; i < u->ninputs; i++)
        for (int t = 0; t < u->inputs[i].ntargets; t++) {
            if (n >= max)
                return -1;
            snprintf(out[n++], CHANGE_SET_LEN, "%s=%.17g", u->inputs[i].targets[t],
                     unc_target_value(&u->inputs[i], t, x[i]));
        }
    return n;
}

/* the keys each law needs */
static const char *const needs[DIST_KIND_COUNT][4] = {
    [DIST_UNIFORM] = { "min", "max" },           [DIST_TRIANGULAR] = { "min", "mode", "max" },
    [DIST_PERT] = { "min", "mode", "max" },      [DIST_NORMAL] = { "mean", "sd" },
    [DIST_LOGNORMAL] = { "mu", "sigma" },        [DIST_BETA] = { "alpha", "beta", "min", "max" },
    [DIST_DISCRETE] = { "values" },
};

static const void *dist_field(unc_input *in, const char *name)
{
    for (const keyspec *k = input_keys; k->name; k++)
        if (!strcmp(k->name, name))
            return (const char *)in + k->offset;
    return in;
}

static int check_law(check_ctx *c, unc_input *in, int i, double lo, double hi, unsigned flags)
{
    in->law = in->dist;
    ts_dist *d = &in->law;
    for (int k = 0; k < 4 && needs[d->kind][k]; k++)
        if (!scenario_given(c, dist_field(in, needs[d->kind][k])))
            return scenario_fail_at(c, &in->dist.kind, NULL, "missing key 'uncertain.inputs.%d.%s': a %s law needs it", i,
                                    needs[d->kind][k], dist_kind_names[d->kind]);
    /* a normal's truncation: min and max both 0 (their defaults, also as
     * `tokensim show` writes them back) mean none given */
    bool trunc = d->kind == DIST_NORMAL && (in->dist.min != 0 || in->dist.max != 0);
    if (d->kind == DIST_NORMAL && !trunc && in->op == CHANGE_TO) {
        /* truncated to the key's range unless narrower bounds are given */
        d->min = flags & KF_MIN_OPEN ? nextafter(lo, INFINITY) : lo;
        d->max = flags & KF_MAX_OPEN ? nextafter(hi, -INFINITY) : hi;
    } else if (d->kind == DIST_NORMAL && !trunc) {
        d->min = -INFINITY;
        d->max = INFINITY;
    }
    if (d->kind == DIST_DISCRETE) {
        int n = parse_numbers(in->values, d->v, DIST_MAX_VALUES);
        if (n < 1)
            return scenario_fail_at(c, in->values, NULL,
                                    "invalid value for 'uncertain.inputs.%d.values': found '%s', expected 1 to %d "
                                    "numbers", i, in->values, DIST_MAX_VALUES);
        d->n = n;
        int nw = in->weights[0] ? parse_numbers(in->weights, d->w, DIST_MAX_VALUES) : n;
        if (nw != n)
            return scenario_fail_at(c, in->weights, NULL,
                                    "invalid value for 'uncertain.inputs.%d.weights': found '%s', expected %d "
                                    "numbers, one per value", i, in->weights, n);
        if (!in->weights[0])
            for (int k = 0; k < n; k++)
                d->w[k] = 1;
    }
    char msg[200];
    if (ts_dist_check(d, msg, sizeof msg))
        return scenario_fail_at(c, &in->dist.kind, NULL, "invalid %s law for uncertain input '%s': %s",
                                dist_kind_names[d->kind], in->path, msg);
    return TS_OK;
}

static bool inside(double v, double lo, double hi, unsigned flags)
{
    if (isnan(v))
        return false;
    bool above = flags & KF_MIN_OPEN ? v > lo : v >= lo;
    bool below = flags & KF_MAX_OPEN ? v < hi : v <= hi;
    return above && below;
}

static void say_range(char *buf, size_t len, double lo, double hi, unsigned flags)
{
    snprintf(buf, len, "%s%g, %g%s", flags & KF_MIN_OPEN || !isfinite(lo) ? "(" : "[", lo, hi,
             flags & KF_MAX_OPEN || !isfinite(hi) ? ")" : "]");
}

/* Resolves the input's path into its concrete targets and checks that each
 * stays in its key's valid range over the law's whole support. */
static int check_targets(check_ctx *c, scenario *s, unc_input *in, int i)
{
    char sets[UNC_MAX_TARGETS][CHANGE_SET_LEN];
    change_cfg ch = { .op = CHANGE_TIMES, .value = 1 };
    snprintf(ch.path, sizeof ch.path, "%s", in->path);
    ts_error inner;
    ts_error_clear(&inner);
    int n = 0;
    if (change_resolve(s, &ch, 1, sets, UNC_MAX_TARGETS, &n, &inner))
        return scenario_fail_at(c, in->path, NULL, "invalid value for 'uncertain.inputs.%d.path': %s", i, inner.message);
    double dlo, dhi;
    ts_dist_support(&in->law, &dlo, &dhi);
    in->ntargets = 0;
    for (int t = 0; t < n; t++) {
        char *eq = strrchr(sets[t], '=');
        *eq = 0;
        double lo, hi;
        unsigned flags;
        bool integer;
        if (scenario_key_range(sets[t], &lo, &hi, &flags, &integer))
            return scenario_fail_at(c, in->path, NULL,
                                    "invalid uncertain input '%s': '%s' is not a number key that can vary", in->path,
                                    sets[t]);
        snprintf(in->targets[t], CHANGE_PATH_LEN, "%.*s", CHANGE_PATH_LEN - 1, sets[t]);
        in->base[t] = strtod(eq + 1, NULL);
        in->integer[t] = integer;
        in->ntargets = t + 1;
        double a = unc_target_value(in, t, dlo), b = unc_target_value(in, t, dhi);
        if (!inside(a, lo, hi, flags) || !inside(b, lo, hi, flags)) {
            char range[80];
            say_range(range, sizeof range, lo, hi, flags);
            double bad = inside(a, lo, hi, flags) ? b : a;
            char what[CHANGE_PATH_LEN + 16] = "it";
            if (strcmp(sets[t], in->path))
                snprintf(what, sizeof what, "'%.*s'", CHANGE_PATH_LEN - 1, sets[t]);
            bool low_end = !inside(a, lo, hi, flags);
            if (!(low_end ? isfinite(dlo) : isfinite(dhi)))
                return scenario_fail_at(c, &in->dist.kind, NULL,
                                        "invalid law for uncertain input '%s': %s is unbounded %s, but %s has the "
                                        "valid range %s", in->path, dist_kind_names[in->dist.kind],
                                        low_end ? "below" : "above", what, range);
            return scenario_fail_at(c, &in->dist.kind, NULL,
                                    "invalid law for uncertain input '%s': %s on [%g, %g] can make %s %g, outside its "
                                    "valid range %s", in->path, dist_kind_names[in->dist.kind], dlo, dhi, what, bad,
                                    range);
        }
    }
    return TS_OK;
}

static int check_correlations(check_ctx *c, uncertain_cfg *u)
{
    int k = u->ninputs, given = 0;
    for (int i = 0; i < k; i++)
        given += u->inputs[i].correlations[0] != 0;
    u->correlated = given > 0;
    if (!given)
        return TS_OK;
    for (int i = 0; i < k; i++) {
        unc_input *in = &u->inputs[i];
        if (!in->correlations[0])
            return scenario_fail_at(c, in->path, NULL,
                                    "missing key 'uncertain.inputs.%d.correlations': every input needs its row of "
                                    "the rank-correlation matrix once one has it", i);
        if (parse_numbers(in->correlations, u->corr[i], UNC_MAX_INPUTS) != k)
            return scenario_fail_at(c, in->correlations, NULL,
                                    "invalid value for 'uncertain.inputs.%d.correlations': found '%s', expected %d "
                                    "numbers, one per input", i, in->correlations, k);
    }
    double m[UNC_MAX_INPUTS * UNC_MAX_INPUTS], near[UNC_MAX_INPUTS * UNC_MAX_INPUTS];
    for (int i = 0; i < k; i++)
        for (int j = 0; j < k; j++)
            m[i * k + j] = u->corr[i][j];
    char why[200];
    if (!ts_corr_check(m, k, why, sizeof why))
        return TS_OK;
    /* offer the nearest valid matrix, rows as they would be written */
    char offer[400] = "";
    size_t len = 0;
    if (ts_corr_nearest(m, k, 1e-2, near) == 0)
        for (int i = 0; i < k && len < sizeof offer; i++) {
            len += (size_t)snprintf(offer + len, sizeof offer - len, "%s'", i ? ", " : "");
            for (int j = 0; j < k && len < sizeof offer; j++)
                len += (size_t)snprintf(offer + len, sizeof offer - len, "%s%.3f", j ? " " : "", near[i * k + j]);
            if (len < sizeof offer)
                len += (size_t)snprintf(offer + len, sizeof offer - len, "'");
        }
    return scenario_fail_at(c, u->inputs[0].correlations, NULL,
                            "invalid rank-correlation matrix in 'uncertain.inputs': %s; the nearest valid matrix has "
                            "rows %s", why, offer);
}

int scenario_check_uncertain(check_ctx *c, scenario *s)
{
    uncertain_cfg *u = &s->uncertain;
    for (int i = 0; i < u->ninputs; i++) {
        unc_input *in = &u->inputs[i];
        for (int j = 0; j < i; j++)
            if (!strcmp(in->path, u->inputs[j].path))
                return scenario_fail_at(c, in->path, NULL, "duplicate uncertain input '%s'", in->path);
        if (!strcmp(in->path, "horizon_months") || !strcmp(in->path, "replications") || !strcmp(in->path, "seed"))
            return scenario_fail_at(c, in->path, NULL,
                                    "invalid uncertain input '%s': the shape of a run cannot vary between its "
                                    "replications", in->path);
        /* the first target's range bounds a normal law's default truncation */
        char first[CHANGE_SET_LEN];
        change_cfg ch = { .op = CHANGE_TIMES, .value = 1 };
        snprintf(ch.path, sizeof ch.path, "%s", in->path);
        ts_error inner;
        ts_error_clear(&inner);
        int n = 0;
        if (change_resolve(s, &ch, 1, &first, 1, &n, &inner) && n == 0)
            return scenario_fail_at(c, in->path, NULL, "invalid value for 'uncertain.inputs.%d.path': %s", i, inner.message);
        double lo = -INFINITY, hi = INFINITY;
        unsigned flags = 0;
        bool integer;
        *strrchr(first, '=') = 0;
        if (scenario_key_range(first, &lo, &hi, &flags, &integer))
            return scenario_fail_at(c, in->path, NULL,
                                    "invalid uncertain input '%s': '%s' is not a number key that can vary", in->path,
                                    first);
        int rc = check_law(c, in, i, lo, hi, flags);
        if (rc == TS_OK)
            rc = check_targets(c, s, in, i);
        if (rc)
            return rc;
    }
    return check_correlations(c, u);
}
