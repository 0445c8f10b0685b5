/* plan.h: pricing plans behind one interface.
 *
 * Every plan in a scenario bills the very same simulated customers, so plans
 * are compared on identical usage (common random numbers). A plan type is a
 * row in the registry (plan.c) with its bill function; adding a type means a
 * new plan_<type>.c, a row there, and its keys in the scenario schema. */
#ifndef TS_PLAN_H
#define TS_PLAN_H

#include <stdbool.h>

#define PLAN_NAME_LEN 48
#define PLAN_MAX 8

enum plan_kind { PLAN_FLAT };

/* What a customer did in one month, as a plan sees it. */
typedef struct plan_usage {
    double interactions;
    double tokens;
    double inference_cost;       /* $ the provider paid for this customer */
    double active_fraction;      /* of the month the customer was signed up */
    int month;                   /* 0-based */
} plan_usage;

typedef struct plan {
    char name[PLAN_NAME_LEN];
    int kind;                    /* enum plan_kind */
    double price;                /* $ per customer-month (flat) */
    double target_margin;        /* the plan's gross-margin goal, for reports */
} plan;

/* The revenue from one customer-month. */
double plan_bill(const plan *p, const plan_usage *u);

/* The type name of a kind ("flat"), and the list of names for the loader. */
const char *plan_kind_name(int kind);
extern const char *const plan_kind_names[];

/* Per-type bill functions. */
double plan_flat_bill(const plan *p, const plan_usage *u);

#endif
