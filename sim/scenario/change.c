/* change.c: relative changes to scenario values ("times 1.5", "plus 5",
 * "to 20") resolved into absolute --set overrides.
 *
 * The scenario is written back with every default filled in and read again
 * as a tree, so a change finds the value the simulation actually uses even
 * when the file never wrote it; `*` expands over the items of a list. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "change.h"
#include "scenario.h"
#include "schema.h"
#include "ytree.h"

const char *const change_op_names[] = { "times", "plus", "to", NULL };

typedef struct walk {
    const change_cfg *ch;
    char (*out)[CHANGE_SET_LEN];
    int max, *nout;
    double first;            /* change_value_get: the first value found */
    bool get;
    ts_error *err;
} walk;

static int visit(walk *w, const ytnode *n, char *segs[], int nseg, int i, const char *prefix)
{
    if (i == nseg) {
        if (n->kind != YT_SCALAR || !n->value)
            return ts_error_set(w->err, TS_ERR_INPUT, NULL, 0, 0,
                                "path '%s' names a section or a list, expected a number", w->ch->path);
        char *end;
        double v = strtod(n->value, &end);
        if (end == n->value || *end || !isfinite(v))
            return ts_error_set(w->err, TS_ERR_INPUT, NULL, 0, 0, "path '%s' holds '%s', expected a number",
                                w->ch->path, n->value);
        if (w->get) {
            w->first = v;
            w->get = false;
            return TS_OK;
        }
        if (!w->out)
            return TS_OK;
        if (*w->nout >= w->max)
            return ts_error_set(w->err, TS_ERR_INPUT, NULL, 0, 0, "path '%s' expands to more than %d values",
                                w->ch->path, w->max);
        double nv = w->ch->op == CHANGE_TIMES ? v * w->ch->value
                  : w->ch->op == CHANGE_PLUS ? v + w->ch->value : w->ch->value;
        snprintf(w->out[(*w->nout)++], CHANGE_SET_LEN, "%s=%.17g", prefix, nv);
        return TS_OK;
    }
    const char *seg = segs[i];
    char next[CHANGE_SET_LEN];
    if (n->kind == YT_MAP) {
        const ytnode *c = ytree_get(n, seg);
        if (!c) {
            const char *near = NULL;
            int bd = 4;
            for (size_t k = 0; k < n->n; k++) {
                int d = schema_distance(seg, n->items[k]->key);
                if (d < bd) {
                    bd = d;
                    near = n->items[k]->key;
                }
            }
            char hint[96] = "";
            if (near)
                snprintf(hint, sizeof hint, " (did you mean '%s'?)", near);
            return ts_error_set(w->err, TS_ERR_INPUT, NULL, 0, 0, "unknown path '%s': no key '%s'%s%s%s",
                                w->ch->path, seg, *prefix ? " under " : "", prefix, hint);
        }
        snprintf(next, sizeof next, "%s%s%s", prefix, *prefix ? "." : "", seg);
        return visit(w, c, segs, nseg, i + 1, next);
    }
    if (n->kind != YT_SEQ)
        return ts_error_set(w->err, TS_ERR_INPUT, NULL, 0, 0, "unknown path '%s': '%s' holds a value, not a section",
                            w->ch->path, prefix);
    bool all = !strcmp(seg, "*");
    char *end;
    long idx = strtol(seg, &end, 10);
    bool numeric = *seg && !*end;
    int found = 0;
    for (size_t k = 0; k < n->n; k++) {
        const ytnode *item = n->items[k];
        const ytnode *nm = item->kind == YT_MAP ? ytree_get(item, "name") : NULL;
        bool match = all || (numeric ? (long)k == idx : nm && nm->value && !strcmp(nm->value, seg));
        if (!match)
            continue;
        found++;
        snprintf(next, sizeof next, "%s.%zu", prefix, k);
        int rc = visit(w, item, segs, nseg, i + 1, next);
        if (rc)
            return rc;
        if (!all)
            break;
    }
    if (!found && !all)
        return ts_error_set(w->err, TS_ERR_INPUT, NULL, 0, 0, "unknown path '%s': '%s' has no item '%s'",
                            w->ch->path, prefix, seg);
    return TS_OK;
}

static int resolve(const scenario *s, walk *w)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m)
        return ts_error_set(w->err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory");
    scenario_write(m, s);
    fclose(m);
    ytnode *root = ytree_load_string(buf, len, "the resolved scenario", w->err);
    free(buf);
    if (!root)
        return w->err->code;
    char path[CHANGE_PATH_LEN], *segs[32], *save;
    snprintf(path, sizeof path, "%s", w->ch->path);
    int nseg = 0;
    for (char *tok = strtok_r(path, ".", &save); tok && nseg < 32; tok = strtok_r(NULL, ".", &save))
        segs[nseg++] = tok;
    int rc = nseg ? visit(w, root, segs, nseg, 0, "")
                  : ts_error_set(w->err, TS_ERR_INPUT, NULL, 0, 0, "empty path: expected a key such as usage.alpha");
    if (rc == TS_OK && w->get)
        rc = ts_error_set(w->err, TS_ERR_INPUT, NULL, 0, 0, "path '%s' matches no value (an empty list)",
                          w->ch->path);
    ytree_free(root);
    return rc;
}

int change_resolve(const scenario *s, const change_cfg *ch, int nch, char (*out)[CHANGE_SET_LEN], int max,
                   int *nout, ts_error *err)
{
    for (int i = 0; i < nch; i++) {
        walk w = { &ch[i], out, max, nout, 0, false, err };
        int rc = resolve(s, &w);
        if (rc)
            return rc;
    }
    return TS_OK;
}

int change_value_get(const scenario *s, const char *path, double *value, ts_error *err)
{
    change_cfg ch = { .op = CHANGE_TO };
    snprintf(ch.path, sizeof ch.path, "%s", path);
    walk w = { &ch, NULL, 0, NULL, 0, true, err };
    int rc = resolve(s, &w);
    if (rc == TS_OK)
        *value = w.first;
    return rc;
}

int change_range_parse(const char *arg, char *path, double *v)
{
    const char *eq = strchr(arg, '=');
    size_t n = eq ? (size_t)(eq - arg) : strlen(arg);
    if (n == 0 || n >= CHANGE_PATH_LEN)
        return -1;
    snprintf(path, CHANGE_PATH_LEN, "%.*s", (int)n, arg);
    if (!eq)
        return 0;
    const char *p = eq + 1;
    for (int k = 0; k < 3; k++) {
        char *end;
        v[k] = strtod(p, &end);
        if (end == p || !isfinite(v[k]))
            return -1;
        if (*end == 0)
            return k >= 1 ? k + 1 : -1;
        if (*end != ':')
            return -1;
        p = end + 1;
    }
    return -1;
}
