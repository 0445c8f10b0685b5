/* rundiff.c: `tokensim diff`, what moved between two runs (rundiff.h).
 *
 * The summaries do not hold the scenario's keys, only its file and the
 * hash of its resolved text; so the keys are compared by loading each
 * recorded file again, with the run's seed and replications (the options
 * that change them most often), and only when that reproduces the hash
 * the run recorded: any other --set, or an edit since, would make the
 * comparison a guess. */
#include "rundiff.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "sim/core/fileio.h"
#include "sim/output/format.h"
#include "sim/output/json.h"
#include "sim/scenario/scenario.h"

/* snprintf for texts cut to their field on purpose (keys and values of
 * at most RUNDIFF_TEXT bytes) */
static void textf(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void textf(char *buf, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, n, fmt, ap);
    va_end(ap);
}


static int kv_add(rundiff_keys *l, const char *key, const char *val)
{
    if (l->n == l->cap) {
        int cap = l->cap ? 2 * l->cap : 64;
        rundiff_kv *v = realloc(l->v, (size_t)cap * sizeof *v);
        if (!v)
            return -1;
        l->v = v, l->cap = cap;
    }
    textf(l->v[l->n].key, RUNDIFF_TEXT, "%s", key);
    textf(l->v[l->n].val, RUNDIFF_TEXT, "%s", val);
    l->n++;
    return 0;
}

static const rundiff_kv *kv_find(const rundiff_keys *l, const char *key)
{
    for (int i = 0; i < l->n; i++)
        if (!strcmp(l->v[i].key, key))
            return &l->v[i];
    return NULL;
}

/* The resolved scenario's text (schema_write: "key: value", "key:" over a
 * section or list, "-" before each list item, two spaces a level) as
 * dotted paths; a list item that starts with its name is named by it, as
 * --set names it (plans.pro.price). */
static int flatten(const char *text, rundiff_keys *out)
{
    typedef struct { int indent, next; bool item, fresh; char name[64]; } level;
    level st[40];
    int depth = 0;
    for (const char *line = text; *line;) {
        const char *eol = strchr(line, '\n');
        size_t len = eol ? (size_t)(eol - line) : strlen(line);
        char buf[512];
        textf(buf, sizeof buf, "%.*s", (int)(len < sizeof buf ? len : sizeof buf - 1), line);
        line += len + (eol != NULL);
        int ind = 0;
        while (buf[ind] == ' ')
            ind++;
        char *c = buf + ind;
        if (!*c || *c == '#')
            continue;
        while (depth && st[depth - 1].indent >= ind)
            depth--;
        if (depth == (int)(sizeof st / sizeof st[0]))
            continue;
        if (!strcmp(c, "-")) {
            int idx = depth ? st[depth - 1].next++ : 0;
            st[depth] = (level){ .indent = ind, .item = true, .fresh = true };
            textf(st[depth++].name, sizeof st[0].name, "%d", idx);
            continue;
        }
        char *colon = strchr(c, ':');
        if (!colon)
            continue;
        *colon = 0;
        const char *val = colon + 1 + (colon[1] == ' ');
        if (!*val) {
            st[depth] = (level){ .indent = ind };
            textf(st[depth++].name, sizeof st[0].name, "%s", c);
            continue;
        }
        if (depth && st[depth - 1].item && st[depth - 1].fresh && !strcmp(c, "name") && val[0] == '"') {
            size_t n = strlen(val);
            textf(st[depth - 1].name, sizeof st[0].name, "%.*s", (int)(n >= 2 ? n - 2 : 0), val + 1);
        }
        char path[RUNDIFF_TEXT] = "";
        for (int i = 0; i < depth; i++) {
            size_t k = strlen(path);
            textf(path + k, sizeof path - k, "%s.", st[i].name);
            st[i].fresh = false;
        }
        size_t k = strlen(path);
        textf(path + k, sizeof path - k, "%s", c);
        if (kv_add(out, path, val))
            return -1;
    }
    return 0;
}

int rundiff_scenario_keys(const scenario *s, rundiff_keys *out)
{
    memset(out, 0, sizeof *out);
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m)
        return -1;
    scenario_write(m, s);
    fclose(m);
    int rc = buf && !flatten(buf, out) ? 0 : -1;
    free(buf);
    if (rc)
        rundiff_keys_free(out);
    return rc;
}

void rundiff_keys_free(rundiff_keys *k)
{
    free(k->v);
    memset(k, 0, sizeof *k);
}

const char *rundiff_key_value(const rundiff_keys *k, const char *key)
{
    const rundiff_kv *x = kv_find(k, key);
    return x ? x->val : NULL;
}

/* A JSON value as text: strings bare, numbers as %.17g, the rest printed. */
static void value_text(const cJSON *v, char *buf, size_t n)
{
    if (!v)
        textf(buf, n, "%s", "");
    else if (cJSON_IsString(v))
        textf(buf, n, "%s", v->valuestring);
    else if (cJSON_IsNumber(v))
        textf(buf, n, "%.17g", v->valuedouble);
    else if (cJSON_IsBool(v))
        textf(buf, n, "%s", cJSON_IsTrue(v) ? "true" : "false");
    else {
        char *t = cJSON_PrintUnformatted(v);
        textf(buf, n, "%s", t ? t : "");
        free(t);
    }
}

static int add_input(rundiff *d, int *cap, const char *key, const char *a, const char *b)
{
    if (d->ninputs == *cap) {
        int nc = *cap ? 2 * *cap : 32;
        rundiff_input *v = realloc(d->inputs, (size_t)nc * sizeof *v);
        if (!v)
            return -1;
        d->inputs = v, *cap = nc;
    }
    rundiff_input *in = &d->inputs[d->ninputs++];
    textf(in->key, sizeof in->key, "%s", key);
    textf(in->a, sizeof in->a, "%s", a);
    textf(in->b, sizeof in->b, "%s", b);
    return 0;
}

/* The fields of two objects that differ, as prefix.FIELD, A's order first. */
static int diff_objects(rundiff *d, int *cap, const char *prefix, const cJSON *a, const cJSON *b)
{
    char va[RUNDIFF_TEXT], vb[RUNDIFF_TEXT], key[RUNDIFF_TEXT];
    const cJSON *x;
    cJSON_ArrayForEach(x, a) {
        value_text(x, va, sizeof va);
        value_text(cJSON_GetObjectItemCaseSensitive(b, x->string), vb, sizeof vb);
        textf(key, sizeof key, "%s%s", prefix, x->string);
        if (strcmp(va, vb) && add_input(d, cap, key, va, vb))
            return -1;
    }
    cJSON_ArrayForEach(x, b) {
        if (cJSON_GetObjectItemCaseSensitive(a, x->string))
            continue;
        value_text(x, vb, sizeof vb);
        textf(key, sizeof key, "%s%s", prefix, x->string);
        if (add_input(d, cap, key, "", vb))
            return -1;
    }
    return 0;
}

static cJSON *load_summary(const char *path, ts_error *err)
{
    size_t len;
    char *text = ts_file_read(path, &len);
    if (!text) {
        ts_file_read_error(path, "summary", err);
        return NULL;
    }
    cJSON *j = cJSON_ParseWithLength(text, len);
    free(text);
    if (!j || !cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(j, "provenance"))
        || !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(j, "plans"))) {
        cJSON_Delete(j);
        ts_error_set(err, TS_ERR_INPUT, path, 0, 0, "not a tokensim summary: expected the summary.json of a run, with "
                     "'provenance' and 'plans'");
        return NULL;
    }
    return j;
}

static const char *prov_text(const cJSON *j, const char *field, char *buf, size_t n)
{
    value_text(cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(j, "provenance"), field), buf, n);
    return buf;
}

/* The run's resolved scenario as paths, when its file still resolves to
 * the recorded hash with the run's seed and replications; else why not in
 * `why` and 1. Returns -1 when out of memory. */
static int resolved_keys(const cJSON *j, rundiff_keys *out, char *why, size_t n)
{
    char file[RUNDIFF_TEXT], hash[32], seed[40], reps[40], sets[2][64];
    prov_text(j, "scenario_file", file, sizeof file);
    prov_text(j, "scenario_hash", hash, sizeof hash);
    textf(sets[0], sizeof sets[0], "seed=%s", prov_text(j, "seed", seed, sizeof seed));
    textf(sets[1], sizeof sets[1], "replications=%s", prov_text(j, "replications", reps, sizeof reps));
    const char *const set[2] = { sets[0], sets[1] };
    scenario *s = scenario_new();
    if (!s)
        return -1;
    ts_error e;
    ts_error_clear(&e);
    int rc = 1;
    if (scenario_load(s, file, set, 2, &e)) {
        textf(why, n, "%s no longer loads (%s)", file, e.message);
    } else {
        char now[32];
        textf(now, sizeof now, "%016llx", (unsigned long long)s->hash);
        if (strcmp(now, hash)) {
            textf(why, n, "%s now resolves to hash %s, not the run's %s (edited since, or run with --set)", file,
                     now, hash);
        } else {
            rc = rundiff_scenario_keys(s, out);
        }
    }
    scenario_free(s);
    return rc;
}

/* Inputs: provenance, then the resolved keys when both can be had, else the
 * plans' terms and the cost of an interaction that the summaries hold. */
static int diff_inputs(rundiff *d, const cJSON *a, const cJSON *b)
{
    int cap = 0;
    if (diff_objects(d, &cap, "provenance.", cJSON_GetObjectItemCaseSensitive(a, "provenance"),
                     cJSON_GetObjectItemCaseSensitive(b, "provenance")))
        return -1;
    rundiff_keys ka = { 0 }, kb = { 0 };
    char why_a[RUNDIFF_TEXT] = "", why_b[RUNDIFF_TEXT] = "";
    int ra = resolved_keys(a, &ka, why_a, sizeof why_a), rb = ra < 0 ? -1 : resolved_keys(b, &kb, why_b, sizeof why_b);
    int rc = ra < 0 || rb < 0 ? -1 : 0;
    d->keys_compared = ra == 0 && rb == 0;
    if (d->keys_compared) {
        /* an empty list on one side is told by the other's items */
        for (int i = 0; i < ka.n && !rc; i++) {
            const rundiff_kv *o = kv_find(&kb, ka.v[i].key);
            if ((!o && strcmp(ka.v[i].val, "[]")) || (o && strcmp(o->val, ka.v[i].val)))
                rc = add_input(d, &cap, ka.v[i].key, ka.v[i].val, o ? o->val : "");
        }
        for (int i = 0; i < kb.n && !rc; i++)
            if (!kv_find(&ka, kb.v[i].key) && strcmp(kb.v[i].val, "[]"))
                rc = add_input(d, &cap, kb.v[i].key, "", kb.v[i].val);
    } else if (!rc) {
        textf(d->keys_note, sizeof d->keys_note, "scenario keys not compared: %s%s%s", why_a,
                 why_a[0] && why_b[0] ? "; " : "", why_b);
        static const char *const terms[] = { "type", "price", "terms", "target_margin_pct" };
        const cJSON *pa, *pb;
        cJSON_ArrayForEach(pa, cJSON_GetObjectItemCaseSensitive(a, "plans")) {
            const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(pa, "name"));
            cJSON_ArrayForEach(pb, cJSON_GetObjectItemCaseSensitive(b, "plans")) {
                const char *nb = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(pb, "name"));
                if (!name || !nb || strcmp(name, nb))
                    continue;
                for (size_t t = 0; t < sizeof terms / sizeof terms[0] && !rc; t++) {
                    char va[RUNDIFF_TEXT], vb[RUNDIFF_TEXT], key[RUNDIFF_TEXT];
                    value_text(cJSON_GetObjectItemCaseSensitive(pa, terms[t]), va, sizeof va);
                    value_text(cJSON_GetObjectItemCaseSensitive(pb, terms[t]), vb, sizeof vb);
                    textf(key, sizeof key, "plans.%s.%s", name, terms[t]);
                    if (strcmp(va, vb))
                        rc = add_input(d, &cap, key, va, vb);
                }
            }
        }
        const cJSON *ca = cJSON_GetObjectItemCaseSensitive(a, "cost_per_interaction");
        const cJSON *cb = cJSON_GetObjectItemCaseSensitive(b, "cost_per_interaction");
        for (int t = 0; t < 2 && !rc; t++) {
            const char *f = t ? "tokens" : "total";
            char va[RUNDIFF_TEXT], vb[RUNDIFF_TEXT], key[RUNDIFF_TEXT];
            value_text(cJSON_GetObjectItemCaseSensitive(ca, f), va, sizeof va);
            value_text(cJSON_GetObjectItemCaseSensitive(cb, f), vb, sizeof vb);
            textf(key, sizeof key, "cost_per_interaction.%s", f);
            if (strcmp(va, vb))
                rc = add_input(d, &cap, key, va, vb);
        }
    }
    free(ka.v);
    free(kb.v);
    return rc;
}

static void list_add(char *list, size_t n, const char *name)
{
    size_t k = strlen(list);
    textf(list + k, n - k, "%s%s", k ? ", " : "", name);
}

static const cJSON *plan_named(const cJSON *j, const char *name)
{
    const cJSON *p;
    cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(j, "plans")) {
        const char *n = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(p, "name"));
        if (n && !strcmp(n, name))
            return p;
    }
    return NULL;
}

static double num(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

/* The metric names live in static storage: the totals every summary has. */
static const char *const metrics[] = { "revenue", "inference_cost", "other_cost", "gross_profit", "gross_margin_pct",
                                       "interactions", "customer_months", "final_customers", "final_month_revenue",
                                       "final_month_margin_pct", "losing_customers_pct" };
#define NMETRICS ((int)(sizeof metrics / sizeof metrics[0]))

static int diff_figures(rundiff *d, const cJSON *a, const cJSON *b)
{
    int np = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(a, "plans"));
    d->figs = calloc((size_t)(np > 0 ? np : 1) * NMETRICS, sizeof *d->figs);
    if (!d->figs)
        return -1;
    const cJSON *pa;
    cJSON_ArrayForEach(pa, cJSON_GetObjectItemCaseSensitive(a, "plans")) {
        const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(pa, "name"));
        const cJSON *pb = name ? plan_named(b, name) : NULL;
        if (!pb) {
            list_add(d->only_a, sizeof d->only_a, name ? name : "?");
            continue;
        }
        const cJSON *ta = cJSON_GetObjectItemCaseSensitive(pa, "totals");
        const cJSON *tb = cJSON_GetObjectItemCaseSensitive(pb, "totals");
        for (int m = 0; m < NMETRICS; m++) {
            const cJSON *xa = cJSON_GetObjectItemCaseSensitive(ta, metrics[m]);
            const cJSON *xb = cJSON_GetObjectItemCaseSensitive(tb, metrics[m]);
            if (!xa || !xb)
                continue;
            rundiff_figure *f = &d->figs[d->nfigs++];
            textf(f->plan, sizeof f->plan, "%s", name);
            f->metric = metrics[m];
            f->a = num(xa, "mean"), f->b = num(xb, "mean");
            f->change = f->b - f->a;
            double sa = num(xa, "se"), sb = num(xb, "se");
            f->half = 1.959963984540054 * sqrt((isnan(sa) ? 0 : sa * sa) + (isnan(sb) ? 0 : sb * sb));
            f->beyond = fabs(f->change) > f->half;
        }
    }
    const cJSON *pb;
    cJSON_ArrayForEach(pb, cJSON_GetObjectItemCaseSensitive(b, "plans")) {
        const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(pb, "name"));
        if (name && !plan_named(a, name))
            list_add(d->only_b, sizeof d->only_b, name);
    }
    return 0;
}

int rundiff_build(const char *summary_a, const char *summary_b, rundiff *d, ts_error *err)
{
    memset(d, 0, sizeof *d);
    textf(d->file_a, sizeof d->file_a, "%s", summary_a);
    textf(d->file_b, sizeof d->file_b, "%s", summary_b);
    cJSON *a = load_summary(summary_a, err);
    if (!a)
        return err->code;
    cJSON *b = load_summary(summary_b, err);
    if (!b) {
        cJSON_Delete(a);
        return err->code;
    }
    prov_text(a, "scenario_file", d->scen_a, sizeof d->scen_a);
    prov_text(b, "scenario_file", d->scen_b, sizeof d->scen_b);
    int rc = diff_inputs(d, a, b) || diff_figures(d, a, b) ? -1 : 0;
    cJSON_Delete(a);
    cJSON_Delete(b);
    if (rc) {
        rundiff_free(d);
        return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory");
    }
    return TS_OK;
}

void rundiff_free(rundiff *d)
{
    free(d->inputs);
    free(d->figs);
    memset(d, 0, sizeof *d);
}

/* money, percent points or a count, by the metric's name */
static const char *fig_text(char *buf, size_t n, const char *metric, double v, bool sign)
{
    char t[64];
    if (strstr(metric, "_pct"))
        textf(t, sizeof t, "%.2f", v);
    else if (strstr(metric, "revenue") || strstr(metric, "cost") || strstr(metric, "profit"))
        fmt_money(t, sizeof t, v, 0);
    else
        fmt_number(t, sizeof t, v, 0);
    textf(buf, n, "%s%s", sign && v >= 0 ? "+" : "", t);
    return buf;
}

void rundiff_print(FILE *out, const rundiff *d)
{
    fprintf(out, "A: %s (scenario %s)\nB: %s (scenario %s)\n\n", d->file_a, d->scen_a, d->file_b, d->scen_b);
    if (d->ninputs == 0)
        fprintf(out, "inputs: none differ%s\n", d->keys_compared ? "" : " in what the summaries record");
    else {
        fprintf(out, "inputs that differ%s:\n", d->keys_compared ? " (the resolved scenarios, key by key)" : "");
        fprintf(out, "  %-40s %-24s %s\n", "key", "A", "B");
        for (int i = 0; i < d->ninputs; i++)
            fprintf(out, "  %-40s %-24s %s\n", d->inputs[i].key, d->inputs[i].a[0] ? d->inputs[i].a : "(none)",
                    d->inputs[i].b[0] ? d->inputs[i].b : "(none)");
    }
    if (!d->keys_compared)
        fprintf(out, "%s\n", d->keys_note);
    fprintf(out, "\nheadline figures, B - A; beyond: the change exceeds the runs' combined 95%% interval\n");
    const char *cur = "";
    for (int i = 0; i < d->nfigs; i++) {
        const rundiff_figure *f = &d->figs[i];
        char a[48], b[48], c[48], h[48];
        if (strcmp(cur, f->plan)) {
            cur = f->plan;
            fprintf(out, "plan %s\n  %-24s %16s %16s %16s %16s %s\n", cur, "figure", "A", "B", "change", "+-95%",
                    "beyond");
        }
        fprintf(out, "  %-24s %16s %16s %16s %16s %s\n", f->metric, fig_text(a, sizeof a, f->metric, f->a, false),
                fig_text(b, sizeof b, f->metric, f->b, false), fig_text(c, sizeof c, f->metric, f->change, true),
                fig_text(h, sizeof h, f->metric, f->half, false), f->beyond ? "yes" : "no");
    }
    if (d->only_a[0])
        fprintf(out, "plans of A only: %s\n", d->only_a);
    if (d->only_b[0])
        fprintf(out, "plans of B only: %s\n", d->only_b);
}

char *rundiff_json(const rundiff *d)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "a", d->file_a);
    cJSON_AddStringToObject(root, "b", d->file_b);
    cJSON_AddStringToObject(root, "scenario_a", d->scen_a);
    cJSON_AddStringToObject(root, "scenario_b", d->scen_b);
    cJSON_AddBoolToObject(root, "keys_compared", d->keys_compared);
    if (!d->keys_compared)
        cJSON_AddStringToObject(root, "keys_note", d->keys_note);
    cJSON *in = cJSON_AddArrayToObject(root, "inputs");
    for (int i = 0; i < d->ninputs; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToArray(in, o);
        cJSON_AddStringToObject(o, "key", d->inputs[i].key);
        if (d->inputs[i].a[0])
            cJSON_AddStringToObject(o, "a", d->inputs[i].a);
        else
            cJSON_AddNullToObject(o, "a");
        if (d->inputs[i].b[0])
            cJSON_AddStringToObject(o, "b", d->inputs[i].b);
        else
            cJSON_AddNullToObject(o, "b");
    }
    cJSON *fs = cJSON_AddArrayToObject(root, "figures");
    for (int i = 0; i < d->nfigs; i++) {
        const rundiff_figure *f = &d->figs[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToArray(fs, o);
        cJSON_AddStringToObject(o, "plan", f->plan);
        cJSON_AddStringToObject(o, "figure", f->metric);
        json_number_add(o, "a", f->a);
        json_number_add(o, "b", f->b);
        json_number_add(o, "change", f->change);
        json_number_add(o, "ci95_half", f->half);
        cJSON_AddBoolToObject(o, "beyond", f->beyond);
    }
    cJSON_AddStringToObject(root, "plans_a_only", d->only_a);
    cJSON_AddStringToObject(root, "plans_b_only", d->only_b);
    return json_text_take(root);
}
