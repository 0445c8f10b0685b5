/* catalog.c: embedded price catalogs, their merge into a scenario's YAML
 * tree, and the conversion of a LiteLLM model-prices file. */
#include "catalog.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/core/fileio.h"
#include "schema.h"

extern const struct ts_catalog_text { const char *name; const char *text; } ts_catalogs[];

const char *catalog_text(const char *name)
{
    for (int i = 0; ts_catalogs[i].name; i++)
        if (!strcmp(ts_catalogs[i].name, name))
            return ts_catalogs[i].text;
    return NULL;
}

void catalog_list(FILE *out)
{
    for (int i = 0; ts_catalogs[i].name; i++) {
        ts_error e;
        ts_error_clear(&e);
        ytnode *t = ytree_load_string(ts_catalogs[i].text, strlen(ts_catalogs[i].text), ts_catalogs[i].name, &e);
        const ytnode *d = t ? ytree_get(t, "date") : NULL, *m = t ? ytree_get(t, "models") : NULL;
        fprintf(out, "%-12s dated %-12s %zu models:", ts_catalogs[i].name, d && d->value ? d->value : "-",
                m ? m->n : 0);
        for (size_t k = 0; m && k < m->n; k++) {
            const ytnode *nm = ytree_get(m->items[k], "name");
            fprintf(out, " %s", nm && nm->value ? nm->value : "?");
        }
        fputc('\n', out);
        ytree_free(t);
    }
}

static ytnode *load_catalog(const ytnode *ref, const char *dir, ts_error *err)
{
    const char *name = ref->value;
    size_t n = strlen(name);
    bool path = strchr(name, '/') || (n > 5 && !strcmp(name + n - 5, ".yaml")) || (n > 4 && !strcmp(name + n - 4, ".yml"));
    if (!path) {
        const char *text = catalog_text(name);
        if (text) {
            char src[96];
            snprintf(src, sizeof src, "models/catalog/%s.yaml", name);
            return ytree_load_string(text, strlen(text), src, err);
        }
        const char *best = NULL;
        int bd = 99;
        char list[300] = "";
        size_t len = 0;
        for (int i = 0; ts_catalogs[i].name; i++) {
            int d = schema_distance(name, ts_catalogs[i].name);
            if (d < bd) {
                bd = d;
                best = ts_catalogs[i].name;
            }
            len += (size_t)snprintf(list + len, len < sizeof list ? sizeof list - len : 0, "%s%s", i ? ", " : "",
                                    ts_catalogs[i].name);
        }
        if (best && bd <= 3)
            return ts_error_set(err, TS_ERR_INPUT, ref->source, ref->line, ref->column,
                                "unknown catalog '%s' in 'prices.catalog' (did you mean '%s'?)", name, best), NULL;
        return ts_error_set(err, TS_ERR_INPUT, ref->source, ref->line, ref->column,
                            "unknown catalog '%s' in 'prices.catalog': the program carries %s, or give the path of "
                            "a catalog file", name, list), NULL;
    }
    char full[4200];
    snprintf(full, sizeof full, "%s", name);
    FILE *f = fopen(full, "r");
    if (!f && name[0] != '/' && dir && *dir) {
        snprintf(full, sizeof full, "%s/%s", dir, name);
        f = fopen(full, "r");
    }
    if (!f)
        return ts_error_set(err, TS_ERR_INPUT, ref->source, ref->line, ref->column,
                            "cannot read catalog '%s' in 'prices.catalog': no such file here or beside the scenario",
                            name), NULL;
    fclose(f);
    return ytree_load_file(full, err);
}

static const ytnode *item_named(const ytnode *seq, const char *name)
{
    for (size_t i = 0; seq && i < seq->n; i++) {
        const ytnode *nm = ytree_get(seq->items[i], "name");
        if (nm && nm->value && !strcmp(nm->value, name))
            return seq->items[i];
    }
    return NULL;
}

/* Copies `over`'s keys onto map `base`, replacing keys it already has. */
static bool overlay(ytnode *base, const ytnode *over)
{
    for (size_t i = 0; i < over->n; i++) {
        const ytnode *k = over->items[i];
        ytnode *c = ytree_copy(k);
        if (!c)
            return false;
        size_t j = 0;
        while (j < base->n && strcmp(base->items[j]->key, k->key))
            j++;
        if (j < base->n) {
            ytree_free(base->items[j]);
            base->items[j] = c;
        } else if (!ytree_push(base, c)) {
            ytree_free(c);
            return false;
        }
    }
    return true;
}

static ytnode *new_node(int kind, const char *key, const ytnode *mark)
{
    ytnode *n = calloc(1, sizeof *n);
    if (!n)
        return NULL;
    n->kind = kind;
    n->source = mark->source;
    n->line = mark->line;
    n->column = mark->column;
    if (key && !(n->key = strdup(key))) {
        free(n);
        return NULL;
    }
    return n;
}

int catalog_merge(ytnode *root, const char *dir, ts_error *err)
{
    ytnode *prices = root->kind == YT_MAP ? ytree_get(root, "prices") : NULL;
    const ytnode *ref = prices && prices->kind == YT_MAP ? ytree_get(prices, "catalog") : NULL;
    if (!ref || ref->kind != YT_SCALAR || !ref->value || !*ref->value)
        return TS_OK;
    ytnode *cat = load_catalog(ref, dir, err);
    if (!cat)
        return err->code;
    const ytnode *cm = cat->kind == YT_MAP ? ytree_get(cat, "models") : NULL;
    if (!cm || cm->kind != YT_SEQ) {
        ts_error_set(err, TS_ERR_INPUT, cat->source, cat->line, cat->column,
                     "catalog '%s' has no list 'models': expected a catalog file (date, models)", ref->value);
        ytree_free(cat);
        return TS_ERR_INPUT;
    }
    ytnode *sm = ytree_get(prices, "models");
    if (sm && sm->kind != YT_SEQ) {
        ytree_free(cat);
        return TS_OK;   /* the binder reports a 'models' that is not a list */
    }
    ytnode *merged = new_node(YT_SEQ, "models", sm ? sm : ref);
    bool ok = merged != NULL;
    for (size_t i = 0; ok && i < cm->n; i++) {
        const ytnode *nm = ytree_get(cm->items[i], "name");
        ytnode *c = ytree_copy(cm->items[i]);
        const ytnode *mine = nm && nm->value ? item_named(sm, nm->value) : NULL;
        ok = c && (!mine || mine->kind != YT_MAP || c->kind != YT_MAP || overlay(c, mine)) && ytree_push(merged, c);
        if (!ok)
            ytree_free(c);
    }
    for (size_t i = 0; ok && sm && i < sm->n; i++) {
        const ytnode *nm = ytree_get(sm->items[i], "name");
        if (nm && nm->value && item_named(cm, nm->value))
            continue;
        ytnode *c = ytree_copy(sm->items[i]);
        ok = c && ytree_push(merged, c);
        if (!ok)
            ytree_free(c);
    }
    const ytnode *cd = cat->kind == YT_MAP ? ytree_get(cat, "date") : NULL;
    if (ok && cd && !ytree_get(prices, "date")) {
        ytnode *c = ytree_copy(cd);
        ok = c && ytree_push(prices, c);
        if (!ok)
            ytree_free(c);
    }
    if (ok) {
        if (sm) {
            for (size_t i = 0; i < sm->n; i++)
                ytree_free(sm->items[i]);
            free(sm->items);
            sm->items = merged->items;
            sm->n = merged->n;
            sm->cap = merged->cap;
            merged->items = NULL;
            merged->n = merged->cap = 0;
            ytree_free(merged);
        } else {
            ok = ytree_push(prices, merged);
        }
    } else {
        ytree_free(merged);
    }
    ytree_free(cat);
    return ok ? TS_OK : ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory merging the catalog");
}

/* ---- LiteLLM import ------------------------------------------------------ */

static double num(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static const char *const converted[] = {
    "input_cost_per_token", "output_cost_per_token", "cache_read_input_token_cost",
    "cache_creation_input_token_cost", "input_cost_per_token_batches", "output_cost_per_token_batches", NULL
};

static bool is_converted(const char *k)
{
    for (int i = 0; converted[i]; i++)
        if (!strcmp(converted[i], k))
            return true;
    /* long-context rates: *_above_NNNk_tokens of the three token prices */
    const char *a = strstr(k, "_above_");
    return a && (!strncmp(k, "input_cost_per_token_above_", 27) || !strncmp(k, "output_cost_per_token_above_", 28)
                 || !strncmp(k, "cache_read_input_token_cost_above_", 34))
           && strstr(a, "k_tokens") && !strstr(a, "hr");
}

typedef struct tally {
    char name[64];
    int count;
} tally;

char *catalog_import_litellm(const char *json, const char *source, const char *only, const char *date,
                             catalog_import_report *rep, ts_error *err)
{
    memset(rep, 0, sizeof *rep);
    cJSON *root = cJSON_Parse(json);
    if (!root || !cJSON_IsObject(root)) {
        cJSON_Delete(root);
        return ts_error_set(err, TS_ERR_INPUT, source, 0, 0,
                            "not a LiteLLM price file: expected a JSON object of models keyed by name"), NULL;
    }
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) {
        cJSON_Delete(root);
        return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory"), NULL;
    }
    tally seen[64];
    int nseen = 0;
    fprintf(f, "# tokensim model price catalog imported from %s (LiteLLM model prices, USD per token,\n"
               "# converted to USD per million tokens).\ndate: \"%s\"\nmodels:\n", source, date);
    size_t mlen = 0;
    const cJSON *m;
    cJSON_ArrayForEach(m, root) {
        const char *name = m->string;
        if (!cJSON_IsObject(m) || !strcmp(name, "sample_spec") || (only && !strstr(name, only)))
            continue;
        const cJSON *mode = cJSON_GetObjectItemCaseSensitive(m, "mode");
        const char *md = cJSON_IsString(mode) ? mode->valuestring : "chat";
        if (strcmp(md, "chat") && strcmp(md, "completion") && strcmp(md, "responses")) {
            rep->skipped_mode++;
            continue;
        }
        double in = num(m, "input_cost_per_token"), out = num(m, "output_cost_per_token");
        if (isnan(in) || isnan(out) || strlen(name) >= 48) {
            rep->skipped_missing++;
            mlen += (size_t)snprintf(rep->missing + mlen, mlen < sizeof rep->missing ? sizeof rep->missing - mlen : 0,
                                     "%s%s", mlen ? ", " : "", name);
            continue;
        }
        const cJSON *k;
        cJSON_ArrayForEach(k, m) {
            if (!strstr(k->string, "cost") || is_converted(k->string))
                continue;
            int i = 0;
            while (i < nseen && strcmp(seen[i].name, k->string))
                i++;
            if (i == nseen && nseen < 64) {
                snprintf(seen[nseen].name, sizeof seen[0].name, "%s", k->string);
                seen[nseen++].count = 0;
            }
            if (i < nseen)
                seen[i].count++;
        }
        fprintf(f, "  - { name: \"%s\", input_per_mtok: %.10g, output_per_mtok: %.10g", name, in * 1e6, out * 1e6);
        double cr = num(m, "cache_read_input_token_cost"), cw = num(m, "cache_creation_input_token_cost");
        if (!isnan(cr))
            fprintf(f, ", cached_input_per_mtok: %.10g", cr * 1e6);
        if (!isnan(cw))
            fprintf(f, ", cache_write_per_mtok: %.10g", cw * 1e6);
        double bi = num(m, "input_cost_per_token_batches");
        if (!isnan(bi) && in > 0 && bi < in)
            fprintf(f, ", batch_discount: %.10g", 1 - bi / in);
        cJSON_ArrayForEach(k, m) {
            const char *a = strstr(k->string, "_above_");
            if (!a || strncmp(k->string, "input_cost_per_token_above_", 27) || !is_converted(k->string))
                continue;
            double th = atof(a + 7) * 1000;
            char key[96];
            fprintf(f, ", long_context_above: %.10g, long_input_per_mtok: %.10g", th, num(m, k->string) * 1e6);
            snprintf(key, sizeof key, "output_cost_per_token%s", a);
            if (!isnan(num(m, key)))
                fprintf(f, ", long_output_per_mtok: %.10g", num(m, key) * 1e6);
            snprintf(key, sizeof key, "cache_read_input_token_cost%s", a);
            if (!isnan(num(m, key)))
                fprintf(f, ", long_cached_input_per_mtok: %.10g", num(m, key) * 1e6);
            break;   /* one threshold: the first the file gives */
        }
        fputs(" }\n", f);
        rep->converted++;
    }
    fclose(f);
    cJSON_Delete(root);
    size_t ul = 0;
    for (int i = 0; i < nseen; i++)
        ul += (size_t)snprintf(rep->unconverted + ul, ul < sizeof rep->unconverted ? sizeof rep->unconverted - ul : 0,
                               "%s%s (%d)", i ? ", " : "", seen[i].name, seen[i].count);
    if (rep->converted == 0) {
        free(buf);
        return ts_error_set(err, TS_ERR_INPUT, source, 0, 0, "no chat model with input and output prices%s%s",
                            only ? " matching " : "", only ? only : ""), NULL;
    }
    return buf;
}
