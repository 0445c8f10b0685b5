/* param.h: how a model part names the scenario keys of its own parameters
 * (a lever kind's, a usage law's) without knowing the loader.
 *
 * The models room sits below the scenario loader, so a lever kind cannot
 * use the loader's key tables; it lists its keys as param_key rows with
 * offsets into its own parameter struct, and the loader (sim/scenario)
 * turns them into key tables: binding, defaults, the resolved scenario and
 * `tokensim keys` then follow from these rows alone. The flags and fields
 * mean what the loader's keyspec means (sim/scenario/schema.h). */
#ifndef TS_PARAM_H
#define TS_PARAM_H

#include <stddef.h>

enum param_type { PARAM_NUM, PARAM_INT, PARAM_STR, PARAM_ENUM, PARAM_LIST };

enum param_flags {
    PARAM_REQUIRED = 1,     /* in a list item: the item must give it (the binder says so) */
    PARAM_MIN_OPEN = 2,     /* value > min rather than >= min */
    PARAM_MAX_OPEN = 4,
    PARAM_NO_MAX = 8,
    PARAM_NO_MIN = 16,
    PARAM_NEEDED = 64       /* a kind's key that must be given ("a routing lever needs it") */
};

typedef struct param_key {
    const char *name;       /* NULL ends a list of keys */
    int type;               /* enum param_type */
    size_t offset;          /* of the field in the parameter struct (a list item's keys: in the item) */
    size_t size;            /* PARAM_STR: buffer size; PARAM_LIST: item size */
    double min, max;
    unsigned flags;
    const char *unit;
    const char *def;        /* default as text, NULL when none */
    const char *help;       /* one line; the kind's own meaning of the key */
    const char *const *enums;       /* PARAM_ENUM: NULL-terminated names, value = index */
    const struct param_key *sub;    /* PARAM_LIST: the keys of an item */
    size_t count_offset;    /* PARAM_LIST: the int item count, in the parameter struct */
    int max_items;          /* PARAM_LIST */
} param_key;

/* One row each, as the loader's schema_macros.h: struct, key name, field. */
#define PARAM_END { 0 }
#define PNUM(st, nm, fld, lo, hi, fl, unit, def, help) \
    { nm, PARAM_NUM, offsetof(st, fld), 0, lo, hi, fl, unit, def, help, NULL, NULL, 0, 0 }
#define PINT(st, nm, fld, lo, hi, fl, unit, def, help) \
    { nm, PARAM_INT, offsetof(st, fld), 0, lo, hi, fl, unit, def, help, NULL, NULL, 0, 0 }
#define PSTR(st, nm, fld, fl, def, help) \
    { nm, PARAM_STR, offsetof(st, fld), sizeof(((st *)0)->fld), 0, 0, fl, NULL, def, help, NULL, NULL, 0, 0 }
#define PENUM(st, nm, fld, names, fl, def, help) \
    { nm, PARAM_ENUM, offsetof(st, fld), 0, 0, 0, fl, NULL, def, help, names, NULL, 0, 0 }
#define PLIST(st, nm, fld, elem, cnt, maxn, sub, fl, help) \
    { nm, PARAM_LIST, offsetof(st, fld), sizeof(elem), 0, 0, fl, NULL, NULL, help, NULL, sub, offsetof(st, cnt), maxn }

#define PARAM_POS (PARAM_NO_MAX)                    /* >= 0 */
#define PARAM_GT0 (PARAM_NO_MAX | PARAM_MIN_OPEN)   /* > 0 */

/* The row of key `name` in `keys`, or NULL. */
const param_key *param_find(const param_key *keys, const char *name);

#endif
