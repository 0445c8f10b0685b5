/* schema_macros.h: shorthands for the key tables of scenario.c and
 * scenario_analysis.c (one keyspec per line). Private to those files. */
#ifndef TS_SCHEMA_MACROS_H
#define TS_SCHEMA_MACROS_H

#include <stddef.h>

#include "schema.h"

#define END { 0 }
#define NUM(st, nm, fld, lo, hi, fl, unit, def, help) \
    { nm, K_NUM, offsetof(st, fld), 0, lo, hi, fl, unit, def, help, NULL, NULL, 0, 0 }
#define INT(st, nm, fld, lo, hi, fl, unit, def, help) \
    { nm, K_INT, offsetof(st, fld), 0, lo, hi, fl, unit, def, help, NULL, NULL, 0, 0 }
#define STR(st, nm, fld, fl, def, help) \
    { nm, K_STR, offsetof(st, fld), sizeof(((st *)0)->fld), 0, 0, fl, NULL, def, help, NULL, NULL, 0, 0 }
#define ENUM(st, nm, fld, names, fl, def, help) \
    { nm, K_ENUM, offsetof(st, fld), 0, 0, 0, fl, NULL, def, help, names, NULL, 0, 0 }
#define MAP(st, nm, fld, sub, help) \
    { nm, K_MAP, offsetof(st, fld), 0, 0, 0, 0, NULL, NULL, help, NULL, &sub, 0, 0 }
#define LIST(st, nm, fld, elem, cnt, maxn, sub, fl, help) \
    { nm, K_LIST, offsetof(st, fld), sizeof(elem), 0, 0, fl, NULL, NULL, help, NULL, &sub, offsetof(st, cnt), maxn }

#define POS (KF_NO_MAX)                     /* >= 0 */
#define GT0 (KF_NO_MAX | KF_MIN_OPEN)       /* > 0 */
#define UNIT01 0                            /* [0, 1] */

#endif
