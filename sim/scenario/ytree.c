/* ytree.c: libyaml's events built into an owned tree with marks, under
 * budgets checked while parsing; --set applied to the tree. */
#include "ytree.h"

#include "sim/core/fileio.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <yaml.h>

/* An open-addressing table of indices into an array of named things (a
 * map's children, the anchors, the sources), so that finding a name costs
 * the same for the ten thousandth key as for the first. */
typedef const char *(*name_of_fn)(const void *owner, size_t i);

typedef struct itable {
    size_t *slot;              /* index + 1; 0 is empty */
    size_t cap, n;             /* cap a power of two, n < cap / 2 */
} itable;

static uint64_t hash_str(const char *s)
{
    /* Seeded once per process from the kernel's random bytes, so that keys
     * chosen to collide cannot be written down ahead of time; the seed only
     * changes speed, never a result. */
    static uint64_t seed;
    if (!seed) {
        const unsigned char *r = (const unsigned char *)getauxval(AT_RANDOM);
        seed = 0x9e3779b97f4a7c15u;
        for (int i = 0; r && i < 8; i++)
            seed = seed << 8 ^ r[i];
        seed |= 1;
    }
    uint64_t h = 0xcbf29ce484222325u ^ seed;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3u;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdu;
    return h ^ h >> 33;
}

static size_t itable_find(const itable *t, const char *name, name_of_fn name_of, const void *owner)
{
    if (!t->cap)
        return SIZE_MAX;
    for (size_t i = hash_str(name) & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
        if (!t->slot[i])
            return SIZE_MAX;
        if (!strcmp(name_of(owner, t->slot[i] - 1), name))
            return t->slot[i] - 1;
    }
}

static bool itable_add(itable *t, size_t idx, name_of_fn name_of, const void *owner)
{
    if (2 * (t->n + 1) > t->cap) {
        size_t nc = t->cap ? 2 * t->cap : 64;
        size_t *ns = calloc(nc, sizeof *ns);
        if (!ns)
            return false;
        for (size_t k = 0; k < t->cap; k++) {
            if (!t->slot[k])
                continue;
            size_t i = hash_str(name_of(owner, t->slot[k] - 1)) & (nc - 1);
            while (ns[i])
                i = (i + 1) & (nc - 1);
            ns[i] = t->slot[k];
        }
        free(t->slot);
        t->slot = ns;
        t->cap = nc;
    }
    size_t i = hash_str(name_of(owner, idx)) & (t->cap - 1);
    while (t->slot[i])
        i = (i + 1) & (t->cap - 1);
    t->slot[i] = idx + 1;
    t->n++;
    return true;
}

/* Sources (file names, --set arguments) live as long as the process: they
 * are few, and nodes point to them from trees that are copied and freed.
 * A sweep or a search adds one per point, hence the index. */
static struct { char **v; size_t n, cap; itable index; } pool;

static const char *pool_name(const void *owner, size_t i)
{
    (void)owner;
    return pool.v[i];
}

static const char *pool_add(const char *s)
{
    size_t i = itable_find(&pool.index, s, pool_name, NULL);
    if (i != SIZE_MAX)
        return pool.v[i];
    if (pool.n == pool.cap) {
        size_t nc = pool.cap ? 2 * pool.cap : 16;
        char **nv = realloc(pool.v, nc * sizeof *nv);
        if (!nv)
            return "?";
        pool.v = nv;
        pool.cap = nc;
    }
    char *c = strdup(s);
    if (!c)
        return "?";
    pool.v[pool.n] = c;
    if (!itable_add(&pool.index, pool.n, pool_name, NULL)) {
        free(c);
        return "?";
    }
    pool.n++;
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

void ytree_forget_sources(void)
{
#pragma omp critical(ts_ytree_intern)
    {
        for (size_t i = 0; i < pool.n; i++)
            free(pool.v[i]);
        free(pool.v);
        free(pool.index.slot);
        memset(&pool, 0, sizeof pool);
    }
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

/* ---- loading ---------------------------------------------------------
 *
 * The tree is built from libyaml's events (yaml_parser_parse), not from a
 * loaded yaml_document_t, so every budget is checked as the document is
 * read: a 100,000-deep nesting stops at level 65 and an alias bomb at the
 * node or byte that crosses the line, before anything else is parsed. Nodes
 * are counted and checked in the order the old document-walking loader
 * visited them (depth first, an alias's copy in place), so the node and
 * depth errors point at the same line and column as they always have. */

/* Maps up to this many keys are searched by a plain scan. */
#define YT_SMALL_MAP 16

typedef struct anchor {
    char *name;
    ytnode *node;              /* in the tree; or owned here, for an anchored key */
    bool owned, open;          /* open: a collection whose end is not read yet */
    size_t nodes, bytes;       /* the subtree's nodes, and bytes of keys and values */
    int height;                /* levels below the node */
} anchor;

/* A map or sequence being filled. */
typedef struct frame {
    ytnode *node;
    size_t anchor;             /* its anchor's index + 1, or 0 */
    size_t nodes, bytes;
    int height;
    char *key;                 /* a map's key waiting for its value */
    int key_line, key_column;
    itable keys;               /* a big map's children by key */
} frame;

typedef struct builder {
    yaml_parser_t parser;
    const unsigned char *text;
    size_t len;
    const char *source;
    ts_error *err;
    frame stack[YT_MAX_DEPTH + 1];
    int depth;                 /* frames open */
    size_t budget;             /* nodes left */
    size_t alias_bytes, alias_max;
    anchor *anchors;
    size_t nanchors, anchors_cap;
    itable anchor_index;
    ytnode *root;
} builder;

static const char *child_key(const void *owner, size_t i)
{
    return ((const ytnode *)owner)->items[i]->key;
}

static const char *anchor_name(const void *owner, size_t i)
{
    return ((const builder *)owner)->anchors[i].name;
}

static bool frame_has_key(const frame *f, const char *key)
{
    if (!f->keys.cap) {
        for (size_t i = 0; i < f->node->n; i++)
            if (!strcmp(f->node->items[i]->key, key))
                return true;
        return false;
    }
    return itable_find(&f->keys, key, child_key, f->node) != SIZE_MAX;
}

/* Indexes the map's newest child once the map is too big to scan. */
static bool frame_index_last(frame *f)
{
    if (f->node->n < YT_SMALL_MAP)
        return true;
    for (size_t i = f->keys.cap ? f->node->n - 1 : 0; i < f->node->n; i++)
        if (!itable_add(&f->keys, i, child_key, f->node))
            return false;
    return true;
}

static int mark_line(yaml_mark_t m)
{
    return m.line < INT_MAX ? (int)m.line + 1 : INT_MAX;
}

static int mark_col(yaml_mark_t m)
{
    return m.column < INT_MAX ? (int)m.column + 1 : INT_MAX;
}

static bool oom(builder *b, int line, int col)
{
    ts_error_set(b->err, TS_ERR_RUNTIME, b->source, line, col, "out of memory");
    return false;
}

static bool too_deep(builder *b, int line, int col)
{
    ts_error_set(b->err, TS_ERR_INPUT, b->source, line, col,
                 "document nested deeper than %d levels (a recursive alias?)", YT_MAX_DEPTH);
    return false;
}

static bool too_many(builder *b, int line, int col)
{
    ts_error_set(b->err, TS_ERR_INPUT, b->source, line, col,
                 "document too large: more than %d nodes once aliases are expanded", YT_MAX_NODES);
    return false;
}

/* The message libyaml's own loader gave for an alias it could not resolve. */
static bool undefined_alias(builder *b, const yaml_event_t *ev)
{
    ts_error_set(b->err, TS_ERR_INPUT, b->source, mark_line(ev->start_mark), mark_col(ev->start_mark),
                 "invalid yaml: found undefined alias");
    return false;
}

static anchor *anchor_find(builder *b, const char *name)
{
    size_t i = itable_find(&b->anchor_index, name, anchor_name, b);
    return i == SIZE_MAX ? NULL : &b->anchors[i];
}

/* Records `name` for node n; returns its index + 1, or 0 after an error.
 * Takes ownership of n when `owned`. */
static size_t anchor_add(builder *b, const char *name, ytnode *n, bool owned, bool open)
{
    if (anchor_find(b, name)) {
        /* libyaml's loader refuses a second anchor of the same name */
        ts_error_set(b->err, TS_ERR_INPUT, b->source, n->line, n->column,
                     "invalid yaml: second occurrence found duplicate anchor; first occurrence");
        if (owned)
            ytree_free(n);
        return 0;
    }
    if (b->nanchors == b->anchors_cap) {
        size_t nc = b->anchors_cap ? 2 * b->anchors_cap : 16;
        anchor *na = realloc(b->anchors, nc * sizeof *na);
        if (!na)
            goto fail;
        b->anchors = na;
        b->anchors_cap = nc;
    }
    anchor *a = &b->anchors[b->nanchors];
    *a = (anchor){ strdup(name), n, owned, open, 1, n->value ? strlen(n->value) : 0, 0 };
    if (!a->name)
        goto fail;
    if (!itable_add(&b->anchor_index, b->nanchors, anchor_name, b)) {
        free(a->name);
        goto fail;
    }
    return ++b->nanchors;
fail:
    oom(b, n->line, n->column);
    if (owned)
        ytree_free(n);
    return 0;
}

/* Adds a complete child's size to the open collection above it. */
static void account(frame *p, const ytnode *child, size_t nodes, size_t bytes, int height)
{
    if (!p)
        return;
    p->nodes += nodes;
    p->bytes += bytes + (child->key ? strlen(child->key) : 0);
    if (p->height < height + 1)
        p->height = height + 1;
}

/* Hangs n under the open collection p (or makes it the root). */
static bool link(builder *b, frame *p, ytnode *n)
{
    if (!p) {
        b->root = n;
        return true;
    }
    if (p->node->kind == YT_MAP) {
        n->key = p->key;
        n->key_line = p->key_line;
        n->key_column = p->key_column;
        p->key = NULL;
    }
    if (!node_push(p->node, n)) {
        ytree_free(n);
        return oom(b, p->key_line, p->key_column);
    }
    return p->node->kind != YT_MAP || frame_index_last(p) || oom(b, n->key_line, n->key_column);
}

static bool on_key(builder *b, frame *p, yaml_event_t *ev)
{
    int kl = mark_line(ev->start_mark), kc = mark_col(ev->start_mark);
    const ytnode *kn = NULL;
    char *key = NULL;
    if (ev->type == YAML_ALIAS_EVENT) {
        const anchor *a = anchor_find(b, (const char *)ev->data.alias.anchor);
        if (!a)
            return undefined_alias(b, ev);
        kn = a->node;
        kl = kn->line;
        kc = kn->column;
    } else if (ev->type != YAML_SCALAR_EVENT) {
        ts_error_set(b->err, TS_ERR_INPUT, b->source, kl, kc, "expected a plain key, found a %s",
                     ev->type == YAML_MAPPING_START_EVENT ? "mapping" : "list");
        return false;
    }
    if (kn && kn->kind != YT_SCALAR) {
        ts_error_set(b->err, TS_ERR_INPUT, b->source, kl, kc, "expected a plain key, found a %s",
                     kn->kind == YT_MAP ? "mapping" : "list");
        return false;
    }
    if (kn)
        key = strdup(kn->value);
    else
        key = strndup((const char *)ev->data.scalar.value, ev->data.scalar.length);
    if (!key)
        return oom(b, kl, kc);
    if (!kn && ev->data.scalar.anchor) {
        /* an anchored key can be aliased later as a value */
        ytnode *n = node_new(YT_SCALAR, b->source, kl, kc);
        if (!n || !(n->value = strdup(key))) {
            ytree_free(n);
            free(key);
            return oom(b, kl, kc);
        }
        n->quoted = ev->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE
                 || ev->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
        if (!anchor_add(b, (const char *)ev->data.scalar.anchor, n, true, false)) {
            free(key);
            return false;
        }
    }
    if (frame_has_key(p, key)) {
        ts_error_set(b->err, TS_ERR_INPUT, b->source, kl, kc, "duplicate key '%s'", key);
        free(key);
        return false;
    }
    p->key = key;
    p->key_line = kl;
    p->key_column = kc;
    return true;
}

/* Checks an alias's copy node by node, in the order the copy is counted,
 * for the node that goes too deep or over the budget. */
static bool walk_fits(builder *b, const ytnode *n, int depth, size_t *left)
{
    if (depth > YT_MAX_DEPTH)
        return too_deep(b, n->line, n->column);
    if (*left == 0)
        return too_many(b, n->line, n->column);
    (*left)--;
    for (size_t i = 0; i < n->n; i++)
        if (!walk_fits(b, n->items[i], depth + 1, left))
            return false;
    return true;
}

/* An alias inside its own anchor (open frame `i` of the stack) is a copy
 * without end. Walks it as the old loader did, node by node: the complete
 * children of each open collection, then the open child, and after the
 * innermost one the copy again; the first node too deep or over budget
 * (at the latest at level YT_MAX_DEPTH + 1) gets the error. */
static bool walk_cycle(builder *b, int i, int anchor_frame, int depth, size_t *left)
{
    const ytnode *n = b->stack[i].node;
    if (depth > YT_MAX_DEPTH)
        return too_deep(b, n->line, n->column);
    if (*left == 0)
        return too_many(b, n->line, n->column);
    (*left)--;
    bool inner = i + 1 == b->depth;
    for (size_t k = 0; k < n->n; k++) {
        bool ok = !inner && k + 1 == n->n ? walk_cycle(b, i + 1, anchor_frame, depth + 1, left)
                                          : walk_fits(b, n->items[k], depth + 1, left);
        if (!ok)
            return false;
    }
    return !inner || walk_cycle(b, anchor_frame, anchor_frame, depth + 1, left);
}

static bool on_alias(builder *b, frame *p, yaml_event_t *ev)
{
    const anchor *a = anchor_find(b, (const char *)ev->data.alias.anchor);
    if (!a)
        return undefined_alias(b, ev);
    if (a->open) {
        int i = b->depth - 1;
        while (i > 0 && b->stack[i].node != a->node)
            i--;
        size_t left = b->budget;
        return walk_cycle(b, i, i, b->depth, &left);
    }
    if (b->depth + a->height > YT_MAX_DEPTH || a->nodes > b->budget) {
        size_t left = b->budget;
        if (!walk_fits(b, a->node, b->depth, &left))
            return false;
    }
    if (a->bytes > b->alias_max - b->alias_bytes) {
        ts_error_set(b->err, TS_ERR_INPUT, b->source, mark_line(ev->start_mark), mark_col(ev->start_mark),
                     "document too large: aliases expand to more than %zu bytes of text (the input limit; "
                     "%s raises it)", b->alias_max, TS_INPUT_MAX_ENV);
        return false;
    }
    b->budget -= a->nodes;
    b->alias_bytes += a->bytes;
    ytnode *n = ytree_copy(a->node);
    if (!n)
        return oom(b, mark_line(ev->start_mark), mark_col(ev->start_mark));
    free(n->key);
    n->key = NULL;
    n->key_line = n->key_column = 0;
    size_t nodes = a->nodes, bytes = a->bytes;
    int height = a->height;
    if (!link(b, p, n))
        return false;
    account(p, n, nodes, bytes, height);
    return true;
}

static bool on_node(builder *b, frame *p, yaml_event_t *ev)
{
    if (ev->type == YAML_ALIAS_EVENT)
        return on_alias(b, p, ev);
    int line = mark_line(ev->start_mark), col = mark_col(ev->start_mark);
    if (b->depth > YT_MAX_DEPTH)
        return too_deep(b, line, col);
    if (b->budget == 0)
        return too_many(b, line, col);
    b->budget--;
    if (ev->type == YAML_SCALAR_EVENT) {
        ytnode *n = node_new(YT_SCALAR, b->source, line, col);
        if (!n || !(n->value = strndup((const char *)ev->data.scalar.value, ev->data.scalar.length))) {
            ytree_free(n);
            return oom(b, line, col);
        }
        n->quoted = ev->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE
                 || ev->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
        if (!link(b, p, n))
            return false;
        account(p, n, 1, strlen(n->value), 0);
        return !ev->data.scalar.anchor || anchor_add(b, (const char *)ev->data.scalar.anchor, n, false, false);
    }
    bool map = ev->type == YAML_MAPPING_START_EVENT;
    ytnode *n = node_new(map ? YT_MAP : YT_SEQ, b->source, line, col);
    if (!n)
        return oom(b, line, col);
    if (!link(b, p, n))
        return false;
    frame *f = &b->stack[b->depth++];
    *f = (frame){ .node = n, .nodes = 1 };
    const yaml_char_t *name = map ? ev->data.mapping_start.anchor : ev->data.sequence_start.anchor;
    return !name || (f->anchor = anchor_add(b, (const char *)name, n, false, true)) != 0;
}

static void frame_close(builder *b)
{
    frame *f = &b->stack[--b->depth];
    free(f->key);
    free(f->keys.slot);
    if (f->anchor) {
        anchor *a = &b->anchors[f->anchor - 1];
        a->open = false;
        a->nodes = f->nodes;
        a->bytes = f->bytes;
        a->height = f->height;
    }
    account(b->depth ? &b->stack[b->depth - 1] : NULL, f->node, f->nodes, f->bytes, f->height);
}

/* ---- where libyaml's reader stopped ---------------------------------- */

/* One character of the input from byte i: its length in bytes, and whether
 * it ends a line (CR LF counted once), the way libyaml moves its marks. */
static size_t char_step(const unsigned char *t, size_t len, size_t i, yaml_encoding_t enc, bool *brk)
{
    if (enc == YAML_UTF16LE_ENCODING || enc == YAML_UTF16BE_ENCODING) {
        if (i + 1 >= len)
            return *brk = false, len - i;
        unsigned u = enc == YAML_UTF16LE_ENCODING ? t[i] | t[i + 1] << 8 : t[i] << 8 | t[i + 1];
        unsigned next = i + 3 < len ? (enc == YAML_UTF16LE_ENCODING ? t[i + 2] | t[i + 3] << 8 : t[i + 2] << 8 | t[i + 3])
                                    : 0;
        *brk = u == '\n' || (u == '\r' && next != '\n') || u == 0x85 || u == 0x2028 || u == 0x2029;
        return (u & 0xFC00) == 0xD800 ? 4 : 2;
    }
    unsigned char c = t[i];
    *brk = c == '\n' || (c == '\r' && (i + 1 >= len || t[i + 1] != '\n'))
        || (c == 0xC2 && i + 1 < len && t[i + 1] == 0x85)
        || (c == 0xE2 && i + 2 < len && t[i + 1] == 0x80 && (t[i + 2] == 0xA8 || t[i + 2] == 0xA9));
    size_t w = 1;
    while (i + w < len && (t[i + w] & 0xC0) == 0x80)
        w++;
    return w;
}

static void position(const unsigned char *t, size_t len, size_t offset, yaml_encoding_t enc, int *line, int *col)
{
    size_t i = 0;
    if (enc == YAML_UTF16LE_ENCODING || enc == YAML_UTF16BE_ENCODING)
        i = 2;
    else if (len >= 3 && !memcmp(t, "\xEF\xBB\xBF", 3))
        i = 3;
    long l = 1, c = 1;
    while (i < offset && i < len) {
        bool brk;
        i += char_step(t, len, i, enc, &brk);
        if (brk) {
            l++;
            c = 1;
        } else {
            c++;
        }
    }
    *line = l < INT_MAX ? (int)l : INT_MAX;
    *col = c < INT_MAX ? (int)c : INT_MAX;
}

void ytree_text_position(const char *text, size_t len, size_t offset, int *line, int *column)
{
    position((const unsigned char *)text, len, offset, YAML_UTF8_ENCODING, line, column);
}

static bool parse_failed(builder *b)
{
    yaml_parser_t *ps = &b->parser;
    const char *what = ps->problem ? ps->problem : "malformed document";
    if (ps->error == YAML_MEMORY_ERROR) {
        /* not the file's fault: a runtime failure (exit 1), not a bad scenario */
        ts_error_set(b->err, TS_ERR_RUNTIME, b->source, 0, 0, "out of memory reading the scenario");
        return false;
    }
    if (ps->error == YAML_READER_ERROR) {
        /* the reader gives a byte offset, not a mark */
        int line, col;
        size_t at = ps->problem_offset;
        char found[40] = "";
        if (strstr(what, "trailing") && ps->encoding == YAML_UTF8_ENCODING && at > 0 && at < b->len) {
            /* point at the broken character, not at the byte after its start */
            while (at > 1 && (b->text[at - 1] & 0xC0) == 0x80)
                at--;
            at--;
            snprintf(found, sizeof found, " (found byte 0x%02X after 0x%02X)", (unsigned)ps->problem_value,
                     b->text[at]);
        } else if (ps->problem_value == 0 && strstr(what, "control"))
            snprintf(found, sizeof found, " (found a nul byte)");
        else if (strstr(what, "octet") && ps->problem_value >= 0)
            snprintf(found, sizeof found, " (found byte 0x%02X)", (unsigned)ps->problem_value);
        else if (ps->problem_value >= 0)
            snprintf(found, sizeof found, " (found U+%04X)", (unsigned)ps->problem_value);
        position(b->text, b->len, at, ps->encoding, &line, &col);
        ts_error_set(b->err, TS_ERR_INPUT, b->source, line, col, "invalid yaml: %s%s", what, found);
        return false;
    }
    ts_error_set(b->err, TS_ERR_INPUT, b->source, mark_line(ps->problem_mark), mark_col(ps->problem_mark),
                 "invalid yaml: %s%s%s", what, ps->context ? " " : "", ps->context ? ps->context : "");
    return false;
}

static bool next_event(builder *b, yaml_event_t *ev)
{
    return yaml_parser_parse(&b->parser, ev) || parse_failed(b);
}

/* Reads the events of the first document into b->root; refuses a second. */
static bool build(builder *b)
{
    yaml_event_t ev;
    if (!next_event(b, &ev))          /* stream start */
        return false;
    yaml_event_delete(&ev);
    if (!next_event(b, &ev))
        return false;
    if (ev.type == YAML_STREAM_END_EVENT) {
        yaml_event_delete(&ev);
        return (b->root = node_new(YT_MAP, b->source, 1, 1)) || oom(b, 1, 1);
    }
    yaml_event_delete(&ev);           /* document start */
    if (!next_event(b, &ev))
        return false;
    bool ok = true;
    if (ev.type == YAML_ALIAS_EVENT)
        ok = undefined_alias(b, &ev);
    else if (ev.type != YAML_MAPPING_START_EVENT)
        ok = ts_error_set(b->err, TS_ERR_INPUT, b->source, mark_line(ev.start_mark), mark_col(ev.start_mark),
                          "expected a mapping of scenario keys at the top of the file") == TS_OK;
    else
        ok = on_node(b, NULL, &ev);
    yaml_event_delete(&ev);
    while (ok && b->depth > 0) {
        if (!next_event(b, &ev))
            return false;
        frame *p = &b->stack[b->depth - 1];
        if (ev.type == YAML_MAPPING_END_EVENT || ev.type == YAML_SEQUENCE_END_EVENT)
            frame_close(b);
        else if (p->node->kind == YT_MAP && !p->key)
            ok = on_key(b, p, &ev);
        else
            ok = on_node(b, p, &ev);
        yaml_event_delete(&ev);
    }
    if (!ok || !next_event(b, &ev))   /* document end */
        return false;
    yaml_event_delete(&ev);
    if (!next_event(b, &ev))
        return false;
    if (ev.type == YAML_DOCUMENT_START_EVENT) {
        /* A second document is a mistake, not something to ignore. */
        yaml_event_delete(&ev);
        if (!next_event(b, &ev))
            return false;
        ts_error_set(b->err, TS_ERR_INPUT, b->source, mark_line(ev.start_mark), mark_col(ev.start_mark),
                     "expected one yaml document, found a second one");
        ok = false;
    }
    yaml_event_delete(&ev);
    return ok;
}

static void builder_free(builder *b)
{
    while (b->depth > 0) {
        frame *f = &b->stack[--b->depth];
        free(f->key);
        free(f->keys.slot);
    }
    for (size_t i = 0; i < b->nanchors; i++) {
        free(b->anchors[i].name);
        if (b->anchors[i].owned)
            ytree_free(b->anchors[i].node);
    }
    free(b->anchors);
    free(b->anchor_index.slot);
    yaml_parser_delete(&b->parser);
}

ytnode *ytree_load_string(const char *text, size_t len, const char *name, ts_error *err)
{
    builder *b = calloc(1, sizeof *b);
    if (!b || !yaml_parser_initialize(&b->parser)) {
        free(b);
        ts_error_set(err, TS_ERR_RUNTIME, name, 0, 0, "out of memory");
        return NULL;
    }
    yaml_parser_set_input_string(&b->parser, (const unsigned char *)text, len);
    b->text = (const unsigned char *)text;
    b->len = len;
    b->source = intern(name);
    b->err = err;
    b->budget = YT_MAX_NODES;
    size_t lim = ts_input_limit();
    b->alias_max = lim ? lim : TS_INPUT_MAX_DEFAULT;
    ytnode *root = NULL;
    if (build(b))
        root = b->root;
    else
        ytree_free(b->root);
    builder_free(b);
    free(b);
    return root;
}

ytnode *ytree_load_file(const char *path, ts_error *err)
{
    size_t len = 0;
    errno = 0;
    char *buf = ts_file_read(path, &len);
    if (!buf) {
        ts_file_read_error(path, "scenario", err);
        return NULL;
    }
    ytnode *t = ytree_load_string(buf, len, ts_file_name(path), err);
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
    if ((size_t)(eq - arg) >= sizeof path)   /* cut short, it would name another key */
        return ts_error_set(err, TS_ERR_INPUT, src, 0, 0, "invalid --set: the path has %zu characters, expected at most %zu",
                            (size_t)(eq - arg), sizeof path - 1);
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
