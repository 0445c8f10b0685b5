/* schema.h: a declarative description of scenario keys, and the binder that
 * checks a ytree against it and fills a C struct.
 *
 * Each key knows its type, where it lives in the struct, its range, unit,
 * default and one line of help, so the same table binds files, applies
 * defaults, writes the resolved scenario back out (for the provenance hash)
 * and prints the key reference (`tokensim keys`, docs/scenarios.md). */
#ifndef TS_SCHEMA_H
#define TS_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "sim/core/error.h"
#include "ytree.h"

enum key_type { K_NUM, K_INT, K_SEED, K_STR, K_ENUM, K_BOOL, K_MAP, K_LIST };

enum key_flags {
    KF_REQUIRED = 1,
    KF_MIN_OPEN = 2,        /* value > min rather than >= min */
    KF_MAX_OPEN = 4,
    KF_NO_MAX = 8,          /* no upper bound */
    KF_NO_MIN = 16,
    /* a key of one variant of the section (a lever type's, a usage law's):
     * listed here for the reference, did-you-mean and where the variant's
     * keys are written; bound, defaulted and written through
     * section.variant, never at this row's offset */
    KF_VARIANT = 32,
    KF_NO_DEFAULT = 64      /* a key of one plan type's own, whose field other types may share: binding
                               leaves its default to the caller (schema_default) */
};

typedef struct section section;

typedef struct keyspec {
    const char *name;
    int type;               /* enum key_type */
    size_t offset;          /* of the field in the section's struct */
    size_t size;            /* K_STR: buffer size; K_LIST: element size */
    double min, max;
    unsigned flags;
    const char *unit;
    const char *def;        /* default as text, NULL when none */
    const char *help;
    const char *const *enums;  /* K_ENUM: NULL-terminated names, value = index */
    const section *sub;     /* K_MAP, K_LIST */
    size_t count_offset;    /* K_LIST: the int item count, in the parent struct */
    int max_items;          /* K_LIST */
} keyspec;

struct section {
    const keyspec *keys;    /* terminated by a key with name NULL */
    /* Optional: whether schema_write shows key `name` of the bound struct
     * (keys that do not apply to the chosen variant are left out). */
    bool (*shows)(const char *name, const void *base);
};

/* A section with KF_VARIANT rows is the first member of a schema_variant,
 * whose `variant` returns the section of the keys of base's variant
 * (chosen by a key bound before, as a lever's `type`), offsets from the
 * same base, or NULL. The binder binds the section's own keys first, then
 * the variant's defaults and keys; keys of other variants are left unbound
 * for the caller to report. Writing puts the variant's keys where its rows
 * stand. */
typedef struct schema_variant {
    section sec;
    const section *(*variant)(const void *base);
} schema_variant;

/* Where each bound field came from, for errors found after binding. */
typedef struct schema_loc {
    const void *field;
    const char *source;
    int line, column;
    char path[128];
} schema_loc;

typedef struct schema_locs {
    schema_loc *v;
    size_t n, cap;
} schema_locs;

/* Applies defaults, then binds `node` (a map) onto `base`. Fills err with
 * file:line:column, the key path, what was found and what was expected, and
 * for an unknown key the nearest known one. locs (may be NULL) records the
 * origin of every bound field; free it with schema_locs_free. */
int schema_bind(const section *sec, void *base, const ytnode *node, const char *path,
                schema_locs *locs, ts_error *err);

/* Fills `base` with the section's defaults only (not KF_VARIANT keys'). */
void schema_defaults(const section *sec, void *base);

/* Sets scalar key k of `base` to its default, if it has one. */
void schema_default(const keyspec *k, void *base);

/* The origin of `field`, or NULL if it came from a default. */
const schema_loc *schema_locs_find(const schema_locs *locs, const void *field);
void schema_locs_free(schema_locs *locs);

/* Writes the bound values as YAML, every key included (the resolved
 * scenario). */
void schema_write(FILE *out, const section *sec, const void *base, int indent);
/* The same without the keys that hold their defaults (and sections left
 * with none): what the scenario's hash is taken over, so that a key added
 * to tokensim with a default that keeps today's behaviour does not change
 * the hash of any scenario written before it. */
void schema_write_lean(FILE *out, const section *sec, const void *base);

/* Writes the key reference as a Markdown table, one row per key path. */
void schema_write_reference(FILE *out, const section *sec, const char *prefix);

/* Levenshtein distance, for "did you mean". */
int schema_distance(const char *a, const char *b);

#endif
