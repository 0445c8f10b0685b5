/* catalog.c: embedded price catalogs, their merge into a scenario's YAML
 * tree, and the conversion of a LiteLLM model-prices file. */
#include "catalog.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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
    FILE *f = (size_t)snprintf(full, sizeof full, "%s", name) < sizeof full ? fopen(full, "r") : NULL;
    if (!f && name[0] != '/' && dir && *dir && (size_t)snprintf(full, sizeof full, "%s/%s", dir, name) < sizeof full)
        f = fopen(full, "r");   /* a path cut short could name another file: not tried */
    if (!f)
        return ts_error_set(err, TS_ERR_INPUT, ref->source, ref->line, ref->column,
                            "cannot read catalog '%s' in 'prices.catalog': no such file here or beside the scenario",
                            name), NULL;
    /* a scenario someone sent must not make tokensim wait on a terminal or a pipe */
    struct stat st;
    bool regular = fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode);
    fclose(f);
    if (!regular)
        return ts_error_set(err, TS_ERR_INPUT, ref->source, ref->line, ref->column,
                            "cannot read catalog '%s' in 'prices.catalog': expected a regular file", name), NULL;
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

/* ---- text that leaves the program: YAML strings, comments, messages ---- */

/* The code point of the UTF-8 character at s (length in *w), or -1 when
 * the bytes are not one. */
static long utf8_next(const unsigned char *s, int *w)
{
    unsigned char c = s[0];
    int n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    *w = 1;
    if (!n)
        return -1;
    long v = n == 1 ? c : c & (0x3F >> (n - 1));
    for (int i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return -1;
        v = v << 6 | (s[i] & 0x3F);
    }
    static const long least[] = { 0, 0, 0x80, 0x800, 0x10000 };
    if (v < least[n] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return -1;
    *w = n;
    return v;
}

/* What libyaml takes raw inside a double-quoted scalar; line breaks (NEL,
 * LS, PS) would be folded, so they are escaped too. */
static bool yaml_raw_ok(long v)
{
    return (v >= 0x20 && v <= 0x7E && v != '"' && v != '\\') || (v >= 0xA0 && v <= 0xD7FF && v != 0x2028 && v != 0x2029)
        || (v >= 0xE000 && v <= 0xFFFD) || v >= 0x10000;
}

/* Writes s as a YAML double-quoted scalar that reads back as s, whatever
 * quotes, backslashes or line breaks it holds. False (nothing written)
 * when s is not UTF-8, which YAML cannot carry. */
static bool yaml_quote(FILE *f, const char *s)
{
    int w;
    for (const unsigned char *p = (const unsigned char *)s; *p; p += w)
        if (utf8_next(p, &w) < 0)
            return false;
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p += w) {
        long v = utf8_next(p, &w);
        if (yaml_raw_ok(v))
            fwrite(p, 1, (size_t)w, f);
        else if (v == '"' || v == '\\')
            fprintf(f, "\\%c", (int)v);
        else if (v == '\n' || v == '\t' || v == '\r')
            fprintf(f, "\\%c", v == '\n' ? 'n' : v == '\t' ? 't' : 'r');
        else
            fprintf(f, v < 0x100 ? "\\x%02lX" : "\\u%04lX", v);
    }
    fputc('"', f);
    return true;
}

/* s for a YAML comment or a message line: a character that would end the
 * line, drive a terminal or is not UTF-8 becomes '?'. */
static void plain_text(char *out, size_t n, const char *s)
{
    size_t j = 0;
    int w;
    for (const unsigned char *p = (const unsigned char *)s; *p && j + 5 < n; p += w) {
        long v = utf8_next(p, &w);
        if (v < 0 || !(v == '"' || v == '\\' || yaml_raw_ok(v)))
            out[j++] = '?';
        else
            for (int i = 0; i < w; i++)
                out[j++] = (char)p[i];
    }
    out[j] = 0;
}

/* ---- where in the JSON text -------------------------------------------- */

static size_t skip_space(const char *t, size_t i)
{
    while (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r')
        i++;
    return i;
}

/* Steps over the JSON string opening at t[i]; the offset after it. */
static size_t skip_string(const char *t, size_t i, bool *closed)
{
    for (i++; t[i] && t[i] != '"'; i++)
        if (t[i] == '\\' && t[i + 1])
            i++;
    *closed = t[i] == '"';
    return *closed ? i + 1 : i;
}

/* What an unfinished text is still inside of at its end ("a string", "an
 * object", "an array"), or NULL when everything opened was closed. */
static const char *json_unclosed(const char *t)
{
    char open[256];
    size_t depth = 0;
    for (size_t i = 0; t[i];) {
        bool closed = true;
        if (t[i] == '"') {
            i = skip_string(t, i, &closed);
            if (!closed)
                return "a string";
            continue;
        }
        if (t[i] == '{' || t[i] == '[') {
            open[depth < sizeof open ? depth : sizeof open - 1] = t[i];
            depth++;
        } else if ((t[i] == '}' || t[i] == ']') && depth) {
            depth--;
        }
        i++;
    }
    return !depth ? NULL : open[depth < sizeof open ? depth - 1 : sizeof open - 1] == '{' ? "an object" : "an array";
}

/* The byte offset of the k-th key of the top-level object of valid JSON. */
static size_t member_offset(const char *t, int k)
{
    int depth = 0, seen = 0;
    bool want_key = false;
    for (size_t i = 0; t[i];) {
        char c = t[i];
        if (c == '"') {
            if (depth == 1 && want_key && seen++ == k)
                return i;
            bool closed;
            want_key = false;
            i = skip_string(t, i, &closed);
            continue;
        }
        if (c == '{' || c == '[')
            depth++;
        else if (c == '}' || c == ']')
            depth--;
        want_key = (depth == 1 && (c == '{' || c == ',')) || (want_key && (c == ' ' || c == '\t' || c == '\n' || c == '\r'));
        i++;
    }
    return 0;
}

/* Fills err for text cJSON could not parse, failing at byte `at`. */
static int json_fail(const char *t, const char *source, size_t at, ts_error *err)
{
    size_t len = strlen(t), last = len;
    while (last > 0 && strchr(" \t\r\n", t[last - 1]))
        last--;
    int line, col;
    if (last == 0)
        return ts_error_set(err, TS_ERR_INPUT, source, 0, 0,
                            "not a LiteLLM price file: the file is empty, expected a JSON object of models");
    const char *inside = json_unclosed(t);
    if (inside && at + 1 >= last) {
        ytree_text_position(t, len, last, &line, &col);
        return ts_error_set(err, TS_ERR_INPUT, source, line, col,
                            "invalid json: the text ends inside %s (is the file cut short?)", inside);
    }
    ytree_text_position(t, len, at, &line, &col);
    unsigned char c = (unsigned char)t[at];
    if (c >= 0x20 && c < 0x7F)
        return ts_error_set(err, TS_ERR_INPUT, source, line, col, "invalid json: unexpected '%c'", c);
    return ts_error_set(err, TS_ERR_INPUT, source, line, col, "invalid json: unexpected byte 0x%02X", c);
}

static cJSON *json_parse(const char *t, const char *source, ts_error *err)
{
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(t, strlen(t) + 1, &end, true);
    if (!root) {
        json_fail(t, source, end && end >= t ? (size_t)(end - t) : 0, err);
        return NULL;
    }
    if (cJSON_IsObject(root))
        return root;
    int line, col;
    size_t at = skip_space(t, 0);
    ytree_text_position(t, strlen(t), at, &line, &col);
    ts_error_set(err, TS_ERR_INPUT, source, line, col,
                 "not a LiteLLM price file: found %s, expected a JSON object of models keyed by name",
                 cJSON_IsArray(root) ? "a JSON array" : cJSON_IsNull(root) ? "JSON null"
                 : cJSON_IsString(root) ? "a JSON string" : cJSON_IsNumber(root) ? "a JSON number" : "a JSON boolean");
    cJSON_Delete(root);
    return NULL;
}

/* ---- the models ----------------------------------------------------------- */

/* Refuses a model whose converted prices are not finite numbers >= 0 once
 * per million tokens: written as they are, they would give `inf` in the
 * catalog or a negative bill. */
static int check_prices(const cJSON *m, const char *t, int index, const char *source, ts_error *err)
{
    const cJSON *k;
    cJSON_ArrayForEach(k, m) {
        if (!cJSON_IsNumber(k) || !is_converted(k->string))
            continue;
        double v = k->valuedouble;
        if (v >= 0 && isfinite(v * 1e6))
            continue;
        char name[160], found[64];
        plain_text(name, sizeof name, m->string);
        if (!isfinite(v))
            snprintf(found, sizeof found, "a number too large to hold");
        else if (v < 0)
            snprintf(found, sizeof found, "%g", v);
        else
            snprintf(found, sizeof found, "%g, too large once per million tokens", v);
        int line, col;
        ytree_text_position(t, strlen(t), member_offset(t, index), &line, &col);
        return ts_error_set(err, TS_ERR_INPUT, source, line, col,
                            "invalid price for model '%s': '%s' is %s, expected a finite number >= 0", name,
                            k->string, found);
    }
    return TS_OK;
}

typedef struct seen_name {
    const char *name;
    int index;                 /* among the top-level members */
} seen_name;

static int seen_cmp(const void *a, const void *b)
{
    const seen_name *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->index > y->index) - (x->index < y->index);
}

/* Refuses a name given twice (the earliest repeat in the file), which the
 * catalog would carry as two models of one name. Sorting keeps this
 * O(n log n) for price files of any length. */
static int check_duplicates(seen_name *v, size_t n, const char *t, const char *source, ts_error *err)
{
    qsort(v, n, sizeof *v, seen_cmp);
    size_t best = SIZE_MAX;
    for (size_t i = 1; i < n; i++)
        if (!strcmp(v[i].name, v[i - 1].name) && (best == SIZE_MAX || v[i].index < v[best].index))
            best = i;
    if (best == SIZE_MAX)
        return TS_OK;
    size_t first = best;
    while (first > 0 && !strcmp(v[first - 1].name, v[best].name))
        first--;
    int line, col, fl, fc;
    ytree_text_position(t, strlen(t), member_offset(t, v[best].index), &line, &col);
    ytree_text_position(t, strlen(t), member_offset(t, v[first].index), &fl, &fc);
    char name[160];
    plain_text(name, sizeof name, v[best].name);
    return ts_error_set(err, TS_ERR_INPUT, source, line, col,
                        "duplicate model '%s': first given at line %d, expected each name once", name, fl);
}

/* Appends a model's converted prices to the catalog line. */
static void write_prices(FILE *f, const cJSON *m, double in, double out)
{
    fprintf(f, ", input_per_mtok: %.10g, output_per_mtok: %.10g", in * 1e6, out * 1e6);
    double cr = num(m, "cache_read_input_token_cost"), cw = num(m, "cache_creation_input_token_cost");
    if (!isnan(cr))
        fprintf(f, ", cached_input_per_mtok: %.10g", cr * 1e6);
    if (!isnan(cw))
        fprintf(f, ", cache_write_per_mtok: %.10g", cw * 1e6);
    double bi = num(m, "input_cost_per_token_batches");
    if (!isnan(bi) && in > 0 && bi < in)
        fprintf(f, ", batch_discount: %.10g", 1 - bi / in);
    const cJSON *k;
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
}

/* Counts the cost fields of m this import does not convert. */
static void tally_unconverted(const cJSON *m, tally *seen, int *nseen)
{
    const cJSON *k;
    cJSON_ArrayForEach(k, m) {
        if (!strstr(k->string, "cost") || is_converted(k->string))
            continue;
        int i = 0;
        while (i < *nseen && strcmp(seen[i].name, k->string))
            i++;
        if (i == *nseen && *nseen < 64) {
            plain_text(seen[*nseen].name, sizeof seen[0].name, k->string);
            if (strcmp(seen[*nseen].name, k->string))
                continue;   /* a field name no one would type: not worth a line */
            seen[(*nseen)++].count = 0;
        }
        if (i < *nseen)
            seen[i].count++;
    }
}

char *catalog_import_litellm(const char *json, const char *source, const char *only, const char *date,
                             catalog_import_report *rep, ts_error *err)
{
    memset(rep, 0, sizeof *rep);
    cJSON *root = json_parse(json, source, err);
    if (!root)
        return NULL;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    seen_name *names = malloc(((size_t)cJSON_GetArraySize(root) + 1) * sizeof *names);
    if (!f || !names) {
        if (f)
            fclose(f);
        free(buf);
        free(names);
        cJSON_Delete(root);
        return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory"), NULL;
    }
    tally seen[64];
    int nseen = 0, index = -1;
    size_t mlen = 0, nnames = 0;
    char src[300];
    plain_text(src, sizeof src, source);
    fprintf(f, "# tokensim model price catalog imported from %s (LiteLLM model prices, USD per token,\n"
               "# converted to USD per million tokens).\ndate: ", src);
    int rc = yaml_quote(f, date) ? TS_OK
             : ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0, "invalid --date: expected UTF-8 text");
    fputs("\nmodels:\n", f);
    const cJSON *m;
    cJSON_ArrayForEach(m, root) {
        index++;
        const char *name = m->string;
        if (rc || !cJSON_IsObject(m) || !strcmp(name, "sample_spec") || (only && !strstr(name, only)))
            continue;
        const cJSON *mode = cJSON_GetObjectItemCaseSensitive(m, "mode");
        const char *md = cJSON_IsString(mode) ? mode->valuestring : "chat";
        if (strcmp(md, "chat") && strcmp(md, "completion") && strcmp(md, "responses")) {
            rep->skipped_mode++;
            continue;
        }
        double in = num(m, "input_cost_per_token"), out = num(m, "output_cost_per_token");
        if (isnan(in) || isnan(out) || strlen(name) >= 48) {
            char shown[160];
            plain_text(shown, sizeof shown, name);
            rep->skipped_missing++;
            mlen += (size_t)snprintf(rep->missing + mlen, mlen < sizeof rep->missing ? sizeof rep->missing - mlen : 0,
                                     "%s%s", mlen ? ", " : "", shown);
            continue;
        }
        if ((rc = check_prices(m, json, index, source, err)))
            break;
        tally_unconverted(m, seen, &nseen);
        fputs("  - { name: ", f);
        if (!yaml_quote(f, name)) {
            int line, col;
            ytree_text_position(json, strlen(json), member_offset(json, index), &line, &col);
            rc = ts_error_set(err, TS_ERR_INPUT, source, line, col, "invalid json: a model name is not UTF-8 text");
            break;
        }
        write_prices(f, m, in, out);
        fputs(" }\n", f);
        names[nnames++] = (seen_name){ name, index };
        rep->converted++;
    }
    fclose(f);
    if (!rc)
        rc = check_duplicates(names, nnames, json, source, err);
    free(names);
    cJSON_Delete(root);
    if (rc) {
        free(buf);
        return NULL;
    }
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
