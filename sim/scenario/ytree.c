/* ytree.c: libyaml's document loader turned into an owned tree with marks. */
#include "ytree.h"

#include "sim/core/fileio.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* Sources (file names, --set arguments) live as long as the process: they
 * are few, and nodes point to them from trees that are copied and freed. */
static const char *pool_add(const char *s)
{
    static struct { char **v; size_t n; } pool;
    for (size_t i = 0; i < pool.n; i++)
        if (strcmp(pool.v[i], s) == 0)
            return pool.v[i];
    char **nv = realloc(pool.v, (pool.n + 1) * sizeof *nv);
    if (!nv)
        return "?";
    pool.v = nv;
    char *c = strdup(s);
    if (!c)
        return "?";
    pool.v[pool.n++] = c;
    return c;
}

/* The library's callers may load scenarios on several threads at once:
 * the pool takes one at a time. */
static const char *intern(const char *s)
{
    const char *r;
#pragma omp critical(ts_ytree_intern)
    r = pool_add(s);
    return r;
}

static ytnode *node_new(int kind, const char *source, int line, int col)
{
    ytnode *n = calloc(1, sizeof *n);
    if (!n)
        return NULL;
    n->kind = kind;
    n->source = source;
    n->line = line;
    n->column = col;
    return n;
}

void ytree_free(ytnode *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++)
        ytree_free(t->items[i]);
    free(t->items);
    free(t->key);
    free(t->value);
    free(t);
}

static bool node_push(ytnode *parent, ytnode *child)
{
    if (parent->n == parent->cap) {
        size_t nc = parent->cap ? parent->cap * 2 : 8;
        ytnode **ni = realloc(parent->items, nc * sizeof *ni);
        if (!ni)
            return false;
        parent->items = ni;
        parent->cap = nc;
    }
    parent->items[parent->n++] = child;
    return true;
}

bool ytree_push(ytnode *parent, ytnode *child)
{
    return node_push(parent, child);
}

ytnode *ytree_copy(const ytnode *n)
{
    ytnode *c = node_new(n->kind, n->source, n->line, n->column);
    if (!c)
        return NULL;
    c->quoted = n->quoted;
    c->key_line = n->key_line;
    c->key_column = n->key_column;
    if ((n->key && !(c->key = strdup(n->key))) || (n->value && !(c->value = strdup(n->value)))) {
        ytree_free(c);
        return NULL;
    }
    for (size_t i = 0; i < n->n; i++) {
        ytnode *k = ytree_copy(n->items[i]);
        if (!k || !node_push(c, k)) {
            ytree_free(k);
            ytree_free(c);
            return NULL;
        }
    }
    return c;
}

ytnode *ytree_get(const ytnode *m, const char *key)
{
    if (!m || m->kind != YT_MAP)
        return NULL;
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->items[i]->key, key) == 0)
            return m->items[i];
    return NULL;
}

typedef struct conv {
    yaml_document_t *doc;
    const char *source;
    size_t budget;
    ts_error *err;
} conv;

static ytnode *convert(conv *c, int index, int depth)
{
    yaml_node_t *yn = yaml_document_get_node(c->doc, index);
    int line = (int)yn->start_mark.line + 1, col = (int)yn->start_mark.column + 1;
    if (depth > YT_MAX_DEPTH) {
        ts_error_set(c->err, TS_ERR_INPUT, c->source, line, col,
                     "document nested deeper than %d levels (a recursive alias?)", YT_MAX_DEPTH);
        return NULL;
    }
    if (c->budget == 0) {
        ts_error_set(c->err, TS_ERR_INPUT, c->source, line, col,
                     "document too large: more than %d nodes once aliases are expanded", YT_MAX_NODES);
        return NULL;
    }
    c->budget--;
    ytnode *n = NULL;
    switch (yn->type) {
    case YAML_SCALAR_NODE:
        n = node_new(YT_SCALAR, c->source, line, col);
        if (!n)
            break;
        n->value = strndup((const char *)yn->data.scalar.value, yn->data.scalar.length);
        n->quoted = yn->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE
                 || yn->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
        if (!n->value) {
            ytree_free(n);
            n = NULL;
        }
        break;
    case YAML_SEQUENCE_NODE:
        n = node_new(YT_SEQ, c->source, line, col);
        for (yaml_node_item_t *it = yn->data.sequence.items.start; n && it < yn->data.sequence.items.top; it++) {
            ytnode *child = convert(c, *it, depth + 1);
            if (!child || !node_push(n, child)) {
                ytree_free(child);
                ytree_free(n);
                return NULL;
            }
        }
        break;
    case YAML_MAPPING_NODE:
        n = node_new(YT_MAP, c->source, line, col);
        for (yaml_node_pair_t *p = yn->data.mapping.pairs.start; n && p < yn->data.mapping.pairs.top; p++) {
            yaml_node_t *kn = yaml_document_get_node(c->doc, p->key);
            int kl = (int)kn->start_mark.line + 1, kc = (int)kn->start_mark.column + 1;
            if (kn->type != YAML_SCALAR_NODE) {
                ts_error_set(c->err, TS_ERR_INPUT, c->source, kl, kc, "expected a plain key, found a %s",
                             kn->type == YAML_MAPPING_NODE ? "mapping" : "list");
                ytree_free(n);
                return NULL;
            }
            char *key = strndup((const char *)kn->data.scalar.value, kn->data.scalar.length);
            if (key && ytree_get(n, key)) {
                ts_error_set(c->err, TS_ERR_INPUT, c->source, kl, kc, "duplicate key '%s'", key);
                free(key);
                ytree_free(n);
                return NULL;
            }
            ytnode *child = key ? convert(c, p->value, depth + 1) : NULL;
            if (!child || !node_push(n, child)) {
                free(key);
                ytree_free(child);
                ytree_free(n);
                return NULL;
            }
            child->key = key;
            child->key_line = kl;
            child->key_column = kc;
        }
        break;
    default:
        break;
    }
    if (!n)
        ts_error_set(c->err, TS_ERR_RUNTIME, c->source, line, col, "out of memory");
    return n;
}

static ytnode *load(yaml_parser_t *parser, const char *source, ts_error *err)
{
    yaml_document_t doc;
    if (!yaml_parser_load(parser, &doc)) {
        const char *what = parser->problem ? parser->problem : "malformed document";
        ts_error_set(err, TS_ERR_INPUT, source, (int)parser->problem_mark.line + 1,
                     (int)parser->problem_mark.column + 1, "invalid yaml: %s%s%s", what,
                     parser->context ? " " : "", parser->context ? parser->context : "");
        return NULL;
    }
    ytnode *root = NULL;
    yaml_node_t *top = yaml_document_get_root_node(&doc);
    if (!top) {
        root = node_new(YT_MAP, source, 1, 1);
    } else if (top->type != YAML_MAPPING_NODE) {
        ts_error_set(err, TS_ERR_INPUT, source, (int)top->start_mark.line + 1, (int)top->start_mark.column + 1,
                     "expected a mapping of scenario keys at the top of the file");
    } else {
        conv c = { &doc, source, YT_MAX_NODES, err };
        root = convert(&c, 1, 0);
    }
    yaml_document_delete(&doc);
    if (root) {
        /* A second document is a mistake, not something to ignore. */
        yaml_document_t extra;
        if (yaml_parser_load(parser, &extra)) {
            yaml_node_t *r2 = yaml_document_get_root_node(&extra);
            if (r2) {
                ts_error_set(err, TS_ERR_INPUT, source, (int)r2->start_mark.line + 1, (int)r2->start_mark.column + 1,
                             "expected one yaml document, found a second one");
                ytree_free(root);
                root = NULL;
            }
            yaml_document_delete(&extra);
        }
    }
    return root;
}

ytnode *ytree_load_string(const char *text, size_t len, const char *name, ts_error *err)
{
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        ts_error_set(err, TS_ERR_RUNTIME, name, 0, 0, "out of memory");
        return NULL;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    ytnode *t = load(&parser, intern(name), err);
    yaml_parser_delete(&parser);
    return t;
}

ytnode *ytree_load_file(const char *path, ts_error *err)
{
    size_t len = 0;
    errno = 0;
    char *buf = ts_file_read(path, &len);
    if (!buf) {
        if (errno == EISDIR)
            ts_error_set(err, TS_ERR_INPUT, path, 0, 0, "cannot read scenario (is it a directory?)");
        else
            ts_error_set(err, TS_ERR_INPUT, path, 0, 0, "cannot open scenario: %s", strerror(errno));
        return NULL;
    }
    ytnode *t = ytree_load_string(buf, len, path, err);
    free(buf);
    return t;
}

/* ---- --set ---------------------------------------------------------- */

static bool all_digits(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

int ytree_set(ytnode *root, const char *arg, ts_error *err)
{
    const char *src = intern(arg);
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg)
        return ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0,
                            "invalid --set '%s': expected path=value, such as usage.alpha=1.6", arg);
    char path[512];
    snprintf(path, sizeof path, "%.*s", (int)(eq - arg), arg);
    const char *value = eq + 1;

    ytnode *cur = root;
    char done[512] = "";
    char *save = NULL;
    for (char *part = strtok_r(path, ".", &save); part; part = strtok_r(NULL, ".", &save)) {
        bool last = save == NULL || *save == '\0';
        ytnode *next = NULL;
        if (cur->kind == YT_SEQ) {
            if (all_digits(part)) {
                size_t i = strtoul(part, NULL, 10);
                if (i >= cur->n)
                    return ts_error_set(err, TS_ERR_INPUT, src, 0, 0,
                                        "no item %zu in '%s': it has %zu item%s (counted from 0)", i, done,
                                        cur->n, cur->n == 1 ? "" : "s");
                next = cur->items[i];
            } else {
                for (size_t i = 0; i < cur->n && !next; i++) {
                    ytnode *nm = ytree_get(cur->items[i], "name");
                    if (nm && nm->kind == YT_SCALAR && strcmp(nm->value, part) == 0)
                        next = cur->items[i];
                }
                if (!next)
                    return ts_error_set(err, TS_ERR_INPUT, src, 0, 0,
                                        "no item named '%s' in '%s': use its name or its index", part, done);
            }
        } else if (cur->kind == YT_MAP) {
            next = ytree_get(cur, part);
            if (!next) {
                next = node_new(last ? YT_SCALAR : YT_MAP, src, 0, 0);
                if (!next || !(next->key = strdup(part)) || !node_push(cur, next)) {
                    ytree_free(next);
                    return ts_error_set(err, TS_ERR_RUNTIME, src, 0, 0, "out of memory");
                }
            }
        } else {
            return ts_error_set(err, TS_ERR_INPUT, src, 0, 0, "'%s' is a value, not a section: cannot set '%s' in it",
                                done, part);
        }
        size_t dl = strlen(done);
        snprintf(done + dl, sizeof done - dl, "%s%s", dl ? "." : "", part);
        cur = next;
    }
    if (cur->kind != YT_SCALAR)
        return ts_error_set(err, TS_ERR_INPUT, src, 0, 0, "'%s' is a %s, not a single value", done,
                            cur->kind == YT_MAP ? "section" : "list");
    char *nv = strdup(value);
    if (!nv)
        return ts_error_set(err, TS_ERR_RUNTIME, src, 0, 0, "out of memory");
    free(cur->value);
    cur->value = nv;
    cur->quoted = false;
    cur->source = src;
    cur->line = cur->column = 0;
    return TS_OK;
}
