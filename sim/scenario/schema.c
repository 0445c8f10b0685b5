/* schema.c: binding, defaults, writing back and documenting scenario keys. */
#include "schema.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- helpers ------------------------------------------------------------ */

int schema_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63)
        return 99;
    int d[64][64];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = (int)i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = (int)j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            int cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
            int v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < v)
                v = d[i - 1][j - 1] + cost;
            /* a swap of two neighbours counts as one edit */
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    return d[la][lb];
}

static void fmt_num(char *buf, size_t n, double v)
{
    snprintf(buf, n, "%.15g", v);
}

/* "a number in [0, 1]", "a whole number >= 1", "one of: a, b" ... */
static void describe(const keyspec *k, char *buf, size_t n)
{
    char lo[32], hi[32];
    fmt_num(lo, sizeof lo, k->min);
    fmt_num(hi, sizeof hi, k->max);
    const char *what = k->type == K_INT ? "a whole number" : "a number";
    switch (k->type) {
    case K_NUM:
    case K_INT:
        if ((k->flags & KF_NO_MIN) && (k->flags & KF_NO_MAX))
            snprintf(buf, n, "%s", what);
        else if (k->flags & KF_NO_MAX)
            snprintf(buf, n, "%s %s %s", what, k->flags & KF_MIN_OPEN ? ">" : ">=", lo);
        else if (k->flags & KF_NO_MIN)
            snprintf(buf, n, "%s %s %s", what, k->flags & KF_MAX_OPEN ? "<" : "<=", hi);
        else
            snprintf(buf, n, "%s in %s%s, %s%s", what, k->flags & KF_MIN_OPEN ? "(" : "[", lo, hi,
                     k->flags & KF_MAX_OPEN ? ")" : "]");
        break;
    case K_SEED:
        snprintf(buf, n, "a whole number in [0, 18446744073709551615]");
        break;
    case K_STR:
        snprintf(buf, n, "text of at most %zu characters", k->size - 1);
        break;
    case K_BOOL:
        snprintf(buf, n, "true or false");
        break;
    case K_ENUM: {
        size_t len = (size_t)snprintf(buf, n, "one of: ");
        for (int i = 0; k->enums[i] && len < n; i++)
            len += (size_t)snprintf(buf + len, n - len, "%s%s", i ? ", " : "", k->enums[i]);
        break;
    }
    case K_MAP:
        snprintf(buf, n, "a section of keys");
        break;
    case K_LIST:
        snprintf(buf, n, "a list of at most %d items", k->max_items);
        break;
    }
}

static bool in_range(const keyspec *k, double v)
{
    if (!(k->flags & KF_NO_MIN) && (k->flags & KF_MIN_OPEN ? v <= k->min : v < k->min))
        return false;
    if (!(k->flags & KF_NO_MAX) && (k->flags & KF_MAX_OPEN ? v >= k->max : v > k->max))
        return false;
    return true;
}

/* Parses a number the way people write them in YAML: 1e6, 100_000, -3.5. */
static bool parse_double(const char *s, double *out)
{
    char buf[128];
    size_t i = 0, j = 0;
    for (; s[i] && j < sizeof buf - 1; i++)
        if (s[i] != '_')
            buf[j++] = s[i];
    buf[j] = 0;
    /* s[i]: longer than buf, which cut short would read as another number */
    if (j == 0 || s[i] || isspace((unsigned char)buf[0]))
        return false;
    /* strtod also reads hex (0x10, 0x1p4), inf and nan: a scenario's numbers
     * are decimal, as YAML's core schema has them */
    if (buf[strspn(buf, "0123456789+-.eE")])
        return false;
    char *end;
    double v = strtod(buf, &end);
    /* not ERANGE: it also flags underflow, and 1e-320 is a number (overflow
     * gives inf, refused here) */
    if (*end || !isfinite(v))
        return false;
    *out = v;
    return true;
}

static int parse_enum(const keyspec *k, const char *s)
{
    for (int i = 0; k->enums[i]; i++)
        if (strcmp(k->enums[i], s) == 0)
            return i;
    return -1;
}

static const char *nearest_enum(const keyspec *k, const char *s)
{
    const char *best = NULL;
    int bd = 99;
    for (int i = 0; k->enums[i]; i++) {
        int d = schema_distance(s, k->enums[i]);
        if (d < bd) {
            bd = d;
            best = k->enums[i];
        }
    }
    int limit = (int)strlen(s) / 3 + 1;
    return bd <= (limit < 2 ? 2 : limit) ? best : NULL;
}

/* Why a number was refused when the reason is not plain: hex is a number
 * to C and to YAML 1.1, so say why tokensim does not take it. */
static void number_detail(const char *text, char *detail, size_t dn)
{
    const char *t = text + (*text == '-' || *text == '+');
    if (detail && t[0] == '0' && (t[1] == 'x' || t[1] == 'X'))
        snprintf(detail, dn, " (not a decimal number)");
}

static int set_scalar(const keyspec *k, void *base, const char *text, char *detail, size_t dn)
{
    char *field = (char *)base + k->offset;
    double v;
    switch (k->type) {
    case K_NUM:
        if (!parse_double(text, &v) || !in_range(k, v)) {
            number_detail(text, detail, dn);
            return -1;
        }
        *(double *)field = v;
        return 0;
    case K_INT:
        if (!parse_double(text, &v) || v != floor(v) || !in_range(k, v) || fabs(v) > 2e9) {
            number_detail(text, detail, dn);
            return -1;
        }
        *(int *)field = (int)v;
        return 0;
    case K_SEED: {
        char *end;
        if (!*text || *text == '-' || !isdigit((unsigned char)*text))
            return -1;
        errno = 0;
        unsigned long long u = strtoull(text, &end, 10);
        if (*end || errno == ERANGE)
            return -1;
        *(uint64_t *)field = (uint64_t)u;
        return 0;
    }
    case K_STR:
        if (strlen(text) >= k->size)
            return -1;
        memcpy(field, text, strlen(text) + 1);
        return 0;
    case K_BOOL:
        if (!strcasecmp(text, "true") || !strcasecmp(text, "yes") || !strcasecmp(text, "on"))
            *(bool *)field = true;
        else if (!strcasecmp(text, "false") || !strcasecmp(text, "no") || !strcasecmp(text, "off"))
            *(bool *)field = false;
        else
            return -1;
        return 0;
    case K_ENUM: {
        int e = parse_enum(k, text);
        if (e < 0) {
            const char *near = nearest_enum(k, text);
            if (near && detail)
                snprintf(detail, dn, " (did you mean '%s'?)", near);
            return -1;
        }
        *(int *)field = e;
        return 0;
    }
    default:
        return -1;
    }
}

void schema_defaults(const section *sec, void *base)
{
    for (const keyspec *k = sec->keys; k->name; k++) {
        if (k->flags & KF_VARIANT)
            continue;
        if (k->type == K_MAP)
            schema_defaults(k->sub, (char *)base + k->offset);
        else if (k->def && k->type != K_LIST && !(k->flags & KF_NO_DEFAULT))
            set_scalar(k, base, k->def, NULL, 0);
    }
}

void schema_default(const keyspec *k, void *base)
{
    if (k->def && k->type != K_LIST && k->type != K_MAP)
        set_scalar(k, base, k->def, NULL, 0);
}

/* ---- binding ------------------------------------------------------------ */

static void locs_add(schema_locs *l, const void *field, const ytnode *n, const char *path)
{
    if (!l)
        return;
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 64;
        schema_loc *nv = realloc(l->v, nc * sizeof *nv);
        if (!nv)
            return;
        l->v = nv;
        l->cap = nc;
    }
    schema_loc *e = &l->v[l->n++];
    e->field = field;
    e->source = n->source;
    e->line = n->line;
    e->column = n->column;
    snprintf(e->path, sizeof e->path, "%s", path);
}

const schema_loc *schema_locs_find(const schema_locs *l, const void *field)
{
    for (size_t i = l->n; i-- > 0;)
        if (l->v[i].field == field)
            return &l->v[i];
    return NULL;
}

void schema_locs_free(schema_locs *l)
{
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}

static const char *kind_word(const ytnode *n)
{
    return n->kind == YT_MAP ? "a section" : n->kind == YT_SEQ ? "a list" : "a value";
}

static void join(char *out, size_t n, const char *path, const char *key)
{
    snprintf(out, n, "%s%s%s", path, *path ? "." : "", key);
}

static int bind_list(const keyspec *k, void *base, const ytnode *node, const char *path,
                     schema_locs *locs, ts_error *err)
{
    char *arr = (char *)base + k->offset;
    int *count = (int *)((char *)base + k->count_offset);
    if ((int)node->n > k->max_items)
        return ts_error_set(err, TS_ERR_INPUT, node->source, node->line, node->column,
                            "too many items in '%s': found %zu, expected at most %d", path, node->n, k->max_items);
    *count = 0;
    for (size_t i = 0; i < node->n; i++) {
        const ytnode *item = node->items[i];
        char ipath[256];
        const ytnode *nm = ytree_get(item, "name");
        if (nm && nm->kind == YT_SCALAR && nm->value[0] && !strchr(nm->value, '.') && !strchr(nm->value, '='))
            join(ipath, sizeof ipath, path, nm->value);
        else {
            char idx[24];
            snprintf(idx, sizeof idx, "%zu", i);
            join(ipath, sizeof ipath, path, idx);
        }
        void *elem = arr + i * k->size;
        memset(elem, 0, k->size);
        int rc = schema_bind(k->sub, elem, item, ipath, locs, err);
        if (rc)
            return rc;
        (*count)++;
    }
    return TS_OK;
}

static int bind_key(const keyspec *k, void *base, const ytnode *child, const char *kpath,
                    schema_locs *locs, ts_error *err)
{
    char expected[256];
    describe(k, expected, sizeof expected);
    if (k->type == K_MAP) {
        if (child->kind != YT_MAP)
            return ts_error_set(err, TS_ERR_INPUT, child->source, child->line, child->column,
                                "invalid value for '%s': found %s, expected a section of keys", kpath,
                                kind_word(child));
        locs_add(locs, (char *)base + k->offset, child, kpath);
        return schema_bind(k->sub, (char *)base + k->offset, child, kpath, locs, err);
    }
    if (k->type == K_LIST) {
        if (child->kind != YT_SEQ)
            return ts_error_set(err, TS_ERR_INPUT, child->source, child->line, child->column,
                                "invalid value for '%s': found %s, expected a list (lines starting with '- ')",
                                kpath, kind_word(child));
        locs_add(locs, (char *)base + k->offset, child, kpath);
        return bind_list(k, base, child, kpath, locs, err);
    }
    if (child->kind != YT_SCALAR)
        return ts_error_set(err, TS_ERR_INPUT, child->source, child->line, child->column,
                            "invalid value for '%s': found %s, expected %s", kpath, kind_word(child), expected);
    char detail[96] = "";
    if (set_scalar(k, base, child->value, detail, sizeof detail) != 0) {
        const char *v = child->value;
        if (!*v)
            return ts_error_set(err, TS_ERR_INPUT, child->source, child->line, child->column,
                                "missing value for '%s': expected %s", kpath, expected);
        return ts_error_set(err, TS_ERR_INPUT, child->source, child->line, child->column,
                            "invalid value for '%s': found '%.80s', expected %s%s", kpath, v, expected, detail);
    }
    locs_add(locs, (char *)base + k->offset, child, kpath);
    return TS_OK;
}

/* The variant section of base, when sec has KF_VARIANT rows (and so is a
 * schema_variant's first member). */
static const section *variant_of(const section *sec, const void *base)
{
    for (const keyspec *k = sec->keys; k->name; k++)
        if (k->flags & KF_VARIANT)
            return ((const schema_variant *)(const void *)sec)->variant(base);
    return NULL;
}

static int check_required(const section *sec, const ytnode *node, const char *path, ts_error *err);
static int bind_variant(const section *sec, void *base, const ytnode *node, const char *path, schema_locs *locs,
                        ts_error *err);

int schema_bind(const section *sec, void *base, const ytnode *node, const char *path,
                schema_locs *locs, ts_error *err)
{
    if (node->kind != YT_MAP)
        return ts_error_set(err, TS_ERR_INPUT, node->source, node->line, node->column,
                            "invalid value for '%s': found %s, expected a section of keys", path,
                            kind_word(node));
    schema_defaults(sec, base);
    for (size_t i = 0; i < node->n; i++) {
        const ytnode *child = node->items[i];
        const keyspec *k = sec->keys;
        while (k->name && strcmp(k->name, child->key) != 0)
            k++;
        char kpath[256];
        join(kpath, sizeof kpath, path, child->key);
        int kl = child->key_line ? child->key_line : child->line;
        int kc = child->key_line ? child->key_column : child->column;
        if (!k->name) {
            const char *best = NULL;
            int bd = 99;
            for (const keyspec *c = sec->keys; c->name; c++) {
                int d = schema_distance(child->key, c->name);
                if (d < bd) {
                    bd = d;
                    best = c->name;
                }
            }
            int limit = (int)strlen(child->key) / 3 + 1;
            if (limit < 2)
                limit = 2;
            if (best && bd <= limit) {
                char bpath[256];
                join(bpath, sizeof bpath, path, best);
                return ts_error_set(err, TS_ERR_INPUT, child->source, kl, kc,
                                    "unknown key '%s' (did you mean '%s'?)", kpath, bpath);
            }
            /* whole names only: past the budget the rest is counted, never
             * cut mid-word ("..., model_credits, rollov") */
            char list[512];
            size_t len = 0, budget = 380;
            int more = 0;
            list[0] = 0;
            for (const keyspec *c = sec->keys; c->name; c++) {
                if (more || len + strlen(c->name) + 2 > budget) {
                    more++;
                    continue;
                }
                len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", c == sec->keys ? "" : ", ", c->name);
            }
            if (more)
                snprintf(list + len, sizeof list - len, " and %d more", more);
            return ts_error_set(err, TS_ERR_INPUT, child->source, kl, kc,
                                "unknown key '%s' (known keys here: %s)", kpath, list);
        }
        if (k->flags & KF_VARIANT)
            continue;
        int rc = bind_key(k, base, child, kpath, locs, err);
        if (rc)
            return rc;
    }
    int rc = check_required(sec, node, path, err);
    return rc ? rc : bind_variant(sec, base, node, path, locs, err);
}

/* The variant's keys, once the key that chooses it is bound. */
static int bind_variant(const section *sec, void *base, const ytnode *node, const char *path, schema_locs *locs,
                        ts_error *err)
{
    const section *v = variant_of(sec, base);
    if (!v)
        return TS_OK;
    schema_defaults(v, base);
    for (size_t i = 0; i < node->n; i++) {
        const ytnode *child = node->items[i];
        const keyspec *k = v->keys;
        while (k->name && strcmp(k->name, child->key) != 0)
            k++;
        if (!k->name)
            continue;
        char kpath[256];
        join(kpath, sizeof kpath, path, child->key);
        int rc = bind_key(k, base, child, kpath, locs, err);
        if (rc)
            return rc;
    }
    return check_required(v, node, path, err);
}

static int check_required(const section *sec, const ytnode *node, const char *path, ts_error *err)
{
    for (const keyspec *k = sec->keys; k->name; k++) {
        if (!(k->flags & KF_REQUIRED) || ytree_get(node, k->name))
            continue;
        char kpath[256], expected[256];
        join(kpath, sizeof kpath, path, k->name);
        if (k->type == K_LIST || k->type == K_MAP)
            snprintf(expected, sizeof expected, "%s", k->type == K_LIST ? "a list" : "a section");
        else
            describe(k, expected, sizeof expected);
        return ts_error_set(err, TS_ERR_INPUT, node->source, node->line, node->column,
                            "missing key '%s': expected %s (%s%s%s)", kpath, expected, k->help ? k->help : "",
                            k->unit ? ", in " : "", k->unit ? k->unit : "");
    }
    return TS_OK;
}

/* ---- writing back ------------------------------------------------------- */

static void write_str(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', out);
        if ((unsigned char)*s < 0x20)
            fprintf(out, "\\x%02x", (unsigned char)*s);
        else
            fputc(*s, out);
    }
    fputc('"', out);
}

/* Whether a scalar key holds its default (a key without one, or whose
 * absence means something else, never does). */
static bool at_default(const keyspec *k, const char *field)
{
    if (!k->def || (k->flags & KF_NO_DEFAULT))
        return false;
    switch (k->type) {
    case K_NUM: {
        char *end;
        double d = strtod(k->def, &end);
        return !*end && *(const double *)field == d;
    }
    case K_INT: {
        char *end;
        long d = strtol(k->def, &end, 10);
        return !*end && *(const int *)field == d;
    }
    case K_STR:
        return !strcmp(field, k->def);
    case K_BOOL:
        return *(const bool *)field == !strcmp(k->def, "true");
    case K_ENUM:
        return !strcmp(k->enums[*(const int *)field], k->def);
    default:
        return false;
    }
}

static void write_keys(FILE *out, const section *sec, const void *base, int indent, bool lean);

void schema_write(FILE *out, const section *sec, const void *base, int indent)
{
    write_keys(out, sec, base, indent, false);
}

void schema_write_lean(FILE *out, const section *sec, const void *base)
{
    write_keys(out, sec, base, 0, true);
}

/* A section's keys written into a buffer first: a lean section whose keys
 * all hold their defaults is left out whole. */
static void write_map(FILE *out, const keyspec *k, const char *field, int indent, bool lean)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = lean ? open_memstream(&buf, &len) : NULL;
    if (!m) {
        fprintf(out, "%*s%s:\n", indent, "", k->name);
        write_keys(out, k->sub, field, indent + 2, lean);
        return;
    }
    write_keys(m, k->sub, field, indent + 2, lean);
    fclose(m);
    if (len)
        fprintf(out, "%*s%s:\n%s", indent, "", k->name, buf);
    free(buf);
}

static void write_keys(FILE *out, const section *sec, const void *base, int indent, bool lean)
{
    bool variant_done = false;
    for (const keyspec *k = sec->keys; k->name; k++) {
        const char *field = (const char *)base + k->offset;
        if (k->flags & KF_VARIANT) {
            /* the variant's keys where its rows stand, in its own order */
            const section *v = variant_done ? NULL : variant_of(sec, base);
            variant_done = true;
            if (v)
                write_keys(out, v, base, indent, lean);
            continue;
        }
        if (sec->shows && !sec->shows(k->name, base))
            continue;
        if (k->type == K_MAP) {
            write_map(out, k, field, indent, lean);
            continue;
        }
        if (lean && at_default(k, field))
            continue;
        fprintf(out, "%*s%s:", indent, "", k->name);
        switch (k->type) {
        case K_NUM: {
            /* the shortest text that reads back to the same double */
            double v = *(const double *)field;
            char buf[40];
            for (int prec = 15; prec <= 17; prec++) {
                snprintf(buf, sizeof buf, "%.*g", prec, v);
                if (strtod(buf, NULL) == v)
                    break;
            }
            fprintf(out, " %s\n", buf);
            break;
        }
        case K_INT:
            fprintf(out, " %d\n", *(const int *)field);
            break;
        case K_SEED:
            fprintf(out, " %llu\n", (unsigned long long)*(const uint64_t *)field);
            break;
        case K_STR:
            fputc(' ', out);
            write_str(out, field);
            fputc('\n', out);
            break;
        case K_BOOL:
            fprintf(out, " %s\n", *(const bool *)field ? "true" : "false");
            break;
        case K_ENUM:
            fprintf(out, " %s\n", k->enums[*(const int *)field]);
            break;
        case K_MAP:
            break;
        case K_LIST: {
            int n = *(const int *)((const char *)base + k->count_offset);
            fprintf(out, n ? "\n" : " []\n");
            for (int i = 0; i < n; i++) {
                fprintf(out, "%*s-\n", indent + 2, "");
                write_keys(out, k->sub, field + (size_t)i * k->size, indent + 4, lean);
            }
            break;
        }
        }
    }
}

static const char *type_word(const keyspec *k)
{
    switch (k->type) {
    case K_NUM: return "number";
    case K_INT: return "integer";
    case K_SEED: return "integer";
    case K_STR: return "text";
    case K_BOOL: return "boolean";
    case K_ENUM: return "choice";
    case K_MAP: return "section";
    default: return "list";
    }
}

void schema_write_reference(FILE *out, const section *sec, const char *prefix)
{
    if (!*prefix) {
        fprintf(out, "| key | type | unit | default | allowed | meaning |\n");
        fprintf(out, "|---|---|---|---|---|---|\n");
    }
    for (const keyspec *k = sec->keys; k->name; k++) {
        char path[256], allowed[256];
        snprintf(path, sizeof path, "%s%s%s%s", prefix, *prefix ? "." : "", k->name, k->type == K_LIST ? "[]" : "");
        describe(k, allowed, sizeof allowed);
        const char *def = k->def ? k->def : (k->flags & KF_REQUIRED) ? "required" : "-";
        fprintf(out, "| `%s` | %s | %s | %s | %s | %s |\n", path, type_word(k), k->unit ? k->unit : "-", def,
                allowed, k->help ? k->help : "");
        if (k->type == K_MAP || k->type == K_LIST)
            schema_write_reference(out, k->sub, path);
    }
}
