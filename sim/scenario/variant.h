/* variant.h: the key tables of sections whose keys depend on a kind (a
 * lever's type, a usage law), built at run time from the kinds'
 * descriptors (models/param.h rows), and the checks of which keys a kind
 * needs and takes. Private to the loader.
 *
 * For each kind the builder makes a section of its own keys at their
 * offsets in the bound struct (section.variant returns it); for the
 * reference and did-you-mean it makes the union of every kind's keys, in
 * the kinds' order, as KF_VARIANT rows whose help joins the kinds' own
 * ("routing, fine_tune: share of calls moved; batch: share of calls
 * batched"). Tables are rebuilt when a kind is registered. */
#ifndef TS_VARIANT_H
#define TS_VARIANT_H

#include <stdbool.h>

#include "models/param.h"
#include "scenario_check.h"
#include "schema.h"

#define VARIANT_MAX 32

typedef struct variant_block variant_block;

typedef struct variant_set {
    unsigned generation;        /* of the registry the tables were built from */
    bool built;
    int nkinds;
    const char *names[VARIANT_MAX + 1];     /* NULL-terminated: the values of the choosing key */
    const param_key *keys[VARIANT_MAX];     /* each kind's own rows */
    section sections[VARIANT_MAX];          /* each kind's keys, offsets from the bound struct */
    keyspec *table;             /* before + the union (KF_VARIANT) + after, ended by a NULL name */
    char kinds_text[512];       /* "a, b, c or d", for the choosing key's help */
    variant_block *blocks;      /* what the tables hold, freed on rebuild */
} variant_set;

/* Builds vs for `nkinds` kinds, kind i named name(i) with rows keys(i)
 * whose offsets are from `offset` in the bound struct; `shows` (may be
 * NULL) is each kind section's shows. The table is `before` (up to its
 * NULL name), the union, then `after`. Returns 0, or -1 when out of memory. */
int variant_build(variant_set *vs, int nkinds, const char *(*name)(int), const param_key *(*keys)(int),
                  size_t offset, bool (*shows)(const char *key, const void *base), const keyspec *before,
                  const keyspec *after);

/* Checks a bound struct of kind `kind` whose parameters start at `params`:
 * a needed key not written (reported at `anchor`, else `fallback`), then a
 * key of another kind written in `node` (its map in the tree; may be
 * NULL). Messages name 'PREFIX.KEY' and "a KIND NOUN". */
int variant_check_keys(check_ctx *c, const variant_set *vs, int kind, const void *params, const ytnode *node,
                       const void *anchor, const void *fallback, const char *prefix, const char *noun);

/* The field of key `name` of kind `kind`, or NULL. */
const void *variant_field(const variant_set *vs, int kind, const void *params, const char *name);

#endif
