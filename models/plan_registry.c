/* plan_registry.c: the plan types the program knows, in kind order.
 *
 * A new built-in type is a file plan_<name>.c defining
 * `const plan_type plan_type_<name>` plus one line in PLAN_TYPES below (its
 * place there is its kind number, which nothing outside this file relies
 * on). Types a library user registers follow the built-in ones. */
#include "plan.h"

#include <string.h>

#define PLAN_TYPES(X) \
    X(flat)           \
    X(tiered)         \
    X(usage)          \
    X(hybrid)         \
    X(outcome)        \
    X(credits)

#define DECLARE(n) extern const plan_type plan_type_##n;
PLAN_TYPES(DECLARE)
#define ADDRESS(n) &plan_type_##n,
#define NAME(n) #n,
#define ONE(n) +1

enum { BUILTIN = 0 PLAN_TYPES(ONE) };

const plan_type *plan_types_[PLAN_TYPE_MAX] = { PLAN_TYPES(ADDRESS) };
static const char *names[PLAN_TYPE_MAX + 1] = { PLAN_TYPES(NAME) };
static int ntypes = BUILTIN;

int plan_type_count(void)
{
    return ntypes;
}

int plan_type_builtin_count(void)
{
    return BUILTIN;
}

const plan_type *plan_type_at(int kind)
{
    return plan_types_[kind];
}

int plan_type_find(const char *name)
{
    for (int k = 0; k < ntypes; k++)
        if (!strcmp(plan_types_[k]->name, name))
            return k;
    return -1;
}

const char *const *plan_type_names(void)
{
    return names;
}

/* Whether some registered type already has an own key `name`. */
static const char *own_key_owner(const char *name)
{
    for (int k = 0; k < ntypes; k++)
        for (const plan_param *q = plan_types_[k]->params; q && q->name; q++)
            if (!strcmp(q->name, name))
                return plan_types_[k]->name;
    return NULL;
}

static size_t param_size(const plan_param *q)
{
    return q->kind == PLAN_PARAM_NUMBER ? sizeof(double) : q->kind == PLAN_PARAM_WHOLE ? sizeof(int) : sizeof(bool);
}

int plan_type_register(const plan_type *t, int *kind, ts_error *err)
{
    const char *what = "";
    if (!t || !t->name || !t->name[0] || !t->summary || !t->bill || !t->describe)
        return ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0, "invalid plan type: expected a name, a summary, a bill "
                            "function and a describe function");
    if (plan_type_find(t->name) >= 0)
        return ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0, "duplicate plan type '%s'", t->name);
    if (ntypes == PLAN_TYPE_MAX)
        return ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0, "too many plan types: '%s' would be number %d, expected "
                            "at most %d", t->name, ntypes + 1, PLAN_TYPE_MAX);
    int nparams = 0;
    for (const plan_param *q = t->params; q && q->name; q++) {
        if (++nparams > PLAN_TYPE_PARAMS_MAX)
            return ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0, "plan type '%s' declares too many keys: expected at "
                                "most %d", t->name, PLAN_TYPE_PARAMS_MAX);
        if ((what = own_key_owner(q->name)) != NULL)
            return ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0, "plan type '%s' declares key '%s', which plan type "
                                "'%s' already declares", t->name, q->name, what);
        if (q->offset + param_size(q) > PLAN_PARAMS_SIZE || q->offset % param_size(q))
            return ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0, "plan type '%s' places key '%s' at byte %zu, expected "
                                "an aligned place within the %d bytes of plan.params", t->name, q->name, q->offset,
                                PLAN_PARAMS_SIZE);
        if (q->kind < PLAN_PARAM_NUMBER || q->kind > PLAN_PARAM_FLAG || (!q->required && !q->def))
            return ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0, "plan type '%s' declares key '%s' without a kind or "
                                "a default", t->name, q->name);
    }
    plan_types_[ntypes] = t;    /* set before its kind is handed out: the table is read without locks */
    names[ntypes] = t->name;
    if (kind)
        *kind = ntypes;
    ntypes++;
    return TS_OK;
}
