/* variant.c: key tables built from the kinds' descriptors, and the checks
 * of the keys each kind needs and takes (variant.h). */
#include "variant.h"

#include <stdlib.h>
#include <string.h>

struct variant_block {
    variant_block *next;
    max_align_t data[];
};

static void *grab(variant_set *vs, size_t n)
{
    variant_block *b = calloc(1, sizeof *b + n);
    if (!b)
        return NULL;
    b->next = vs->blocks;
    vs->blocks = b;
    return b->data;
}

static void release(variant_set *vs)
{
    while (vs->blocks) {
        variant_block *n = vs->blocks->next;
        free(vs->blocks);
        vs->blocks = n;
    }
}

static size_t count_rows(const param_key *p)
{
    size_t n = 0;
    while (p && p[n].name)
        n++;
    return n;
}

static const int key_type[] = { [PARAM_NUM] = K_NUM, [PARAM_INT] = K_INT, [PARAM_STR] = K_STR,
                                [PARAM_ENUM] = K_ENUM, [PARAM_LIST] = K_LIST };

/* The rows of p as keyspecs at `offset` (list items' keys at 0). */
static keyspec *convert(variant_set *vs, const param_key *p, size_t offset)
{
    size_t n = count_rows(p);
    keyspec *k = grab(vs, (n + 1) * sizeof *k);
    if (!k)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        k[i] = (keyspec){ p[i].name, key_type[p[i].type], offset + p[i].offset, p[i].size, p[i].min, p[i].max,
                          p[i].flags & ~(unsigned)PARAM_NEEDED, p[i].unit, p[i].def, p[i].help, p[i].enums, NULL,
                          offset + p[i].count_offset, p[i].max_items };
        if (p[i].type == PARAM_LIST) {
            section *sub = grab(vs, sizeof *sub);
            if (!sub || !(sub->keys = convert(vs, p[i].sub, 0)))
                return NULL;
            k[i].sub = sub;
        }
    }
    return k;
}

/* "routing, fine_tune: share of calls moved; batch: share of calls batched" */
static const char *joined_help(variant_set *vs, const char *key)
{
    char text[1024] = "";
    size_t len = 0;
    bool done[VARIANT_MAX] = { false };
    for (int i = 0; i < vs->nkinds; i++) {
        const param_key *r = param_find(vs->keys[i], key);
        if (!r || done[i])
            continue;
        len += (size_t)snprintf(text + len, sizeof text - len, "%s%s", len ? "; " : "", vs->names[i]);
        for (int j = i + 1; j < vs->nkinds && len < sizeof text; j++) {
            const param_key *q = param_find(vs->keys[j], key);
            if (q && !done[j] && !strcmp(q->help ? q->help : "", r->help ? r->help : "")) {
                done[j] = true;
                len += (size_t)snprintf(text + len, sizeof text - len, ", %s", vs->names[j]);
            }
        }
        if (len < sizeof text)
            len += (size_t)snprintf(text + len, sizeof text - len, ": %s", r->help ? r->help : "");
        if (len >= sizeof text)
            break;
    }
    char *out = grab(vs, strlen(text) + 1);
    if (out)
        strcpy(out, text);
    return out;
}

static int copy_rows(keyspec *to, const keyspec *from)
{
    int n = 0;
    while (from && from[n].name) {
        to[n] = from[n];
        n++;
    }
    return n;
}

int variant_build(variant_set *vs, int nkinds, const char *(*name)(int), const param_key *(*keys)(int),
                  size_t offset, bool (*shows)(const char *key, const void *base), const keyspec *before,
                  const keyspec *after)
{
    release(vs);
    vs->built = false;
    vs->nkinds = nkinds < VARIANT_MAX ? nkinds : VARIANT_MAX;
    size_t total = 0, len = 0;
    for (int i = 0; i < vs->nkinds; i++) {
        vs->names[i] = name(i);
        vs->keys[i] = keys(i);
        total += count_rows(vs->keys[i]);
        if (len < sizeof vs->kinds_text)
            len += (size_t)snprintf(vs->kinds_text + len, sizeof vs->kinds_text - len, "%s%s",
                                    i == 0 ? "" : i == vs->nkinds - 1 ? " or " : ", ", vs->names[i]);
    }
    vs->names[vs->nkinds] = NULL;
    for (int i = 0; i < vs->nkinds; i++) {
        keyspec *k = convert(vs, vs->keys[i], offset);
        if (!k)
            return -1;
        vs->sections[i] = (section){ k, shows };
    }
    size_t nb = 0, na = 0;
    while (before && before[nb].name)
        nb++;
    while (after && after[na].name)
        na++;
    vs->table = grab(vs, (nb + total + na + 1) * sizeof *vs->table);
    if (!vs->table)
        return -1;
    int n = copy_rows(vs->table, before);
    for (int i = 0; i < vs->nkinds; i++)
        for (const keyspec *k = vs->sections[i].keys; k->name; k++) {
            bool seen = false;
            for (int j = (int)nb; j < n && !seen; j++)
                seen = !strcmp(vs->table[j].name, k->name);
            if (seen)
                continue;
            keyspec *u = &vs->table[n++];
            *u = *k;
            u->flags |= KF_VARIANT;
            u->offset = 0;
            u->count_offset = 0;
            if (!(u->help = joined_help(vs, k->name)))
                return -1;
        }
    copy_rows(vs->table + n, after);
    vs->built = true;
    return 0;
}

const void *variant_field(const variant_set *vs, int kind, const void *params, const char *name)
{
    if (kind < 0 || kind >= vs->nkinds)
        return NULL;
    const param_key *r = param_find(vs->keys[kind], name);
    return r ? (const char *)params + r->offset : NULL;
}

int variant_check_keys(check_ctx *c, const variant_set *vs, int kind, const void *params, const ytnode *node,
                       const void *anchor, const void *fallback, const char *prefix, const char *noun)
{
    /* missing keys first: after switching the kind they are the news */
    for (const param_key *r = vs->keys[kind]; r && r->name; r++)
        if ((r->flags & PARAM_NEEDED) && !scenario_given(c, (const char *)params + r->offset))
            return scenario_fail_at(c, anchor, fallback, "missing key '%s.%s': a %s %s needs it", prefix, r->name,
                                    vs->names[kind], noun);
    if (!node)
        return TS_OK;
    for (const keyspec *k = vs->table; k->name; k++) {
        if (!(k->flags & KF_VARIANT) || param_find(vs->keys[kind], k->name))
            continue;
        const ytnode *v = ytree_get(node, k->name);
        if (v)
            return ts_error_set(c->err, TS_ERR_INPUT, v->source, v->line, v->column,
                                "key '%s.%s' does not apply to a %s %s", prefix, k->name, vs->names[kind], noun);
    }
    return TS_OK;
}
