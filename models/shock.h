/* shock.h: shocks in time, the scenario's `shocks:` list and the timed rows
 * of the stress battery.
 *
 * A shock multiplies one quantity (the usage of the heaviest customers, a
 * model's prices, a competitor's entry price) by a factor k that starts at
 * a month, ramps in linearly over some months, as a lever does, and may
 * end. Its strength in month t (1-based) is
 *   w(t) = 0                                  t < start or end < t (end > 0)
 *        = min(1, (t - start + 1) / ramp)     ramp > 0
 *        = 1                                  ramp = 0
 * and its factor 1 + (k - 1) w(t). Shocks on the same quantity multiply. */
#ifndef TS_SHOCK_H
#define TS_SHOCK_H

#include <stdbool.h>

#include "cost.h"
#include "usage.h"

#define TIMED_SHOCK_MAX 16

enum shock_type {
    SHOCK_USAGE,             /* the intensity of customers above the (1 - top) quantile */
    SHOCK_MODEL_PRICES,      /* every price of one model, or of all */
    SHOCK_COMPETITOR_PRICE,  /* a competitor's entry price: read by the demand side (willingness to pay) */
    SHOCK_WTP,               /* the willingness to pay of customers signing up in the month */
    SHOCK_TYPES
};

extern const char *const shock_type_names[];   /* NULL-terminated, indexed by enum shock_type */

typedef struct timed_shock {
    char name[COST_NAME_LEN];   /* first: a message about the whole shock points where its name was written */
    int type;                   /* enum shock_type */
    double factor;              /* k at full strength (2: doubled, 0.7: a 30% cut) */
    double top;                 /* usage: the heaviest share of customers it touches (1: all) */
    char model[COST_NAME_LEN];  /* model prices: the model ("": every model) */
    int model_index;            /* -1: every model (resolved by the loader) */
    int start;                  /* 1-based first month */
    int ramp;                   /* months to full strength (0: at once) */
    int end;                    /* last month with the shock (0: to the horizon) */
    double threshold;           /* usage: the intensity from which a customer is in the top (derived) */
} timed_shock;

/* Derives the usage threshold: the law's own quantile Q(1 - top), so the
 * shock reaches the heaviest share `top` of customers whatever the law
 * (a law with an atom there takes the whole atom); every customer when
 * top is 1. */
void shock_prepare(timed_shock *k, const usage_dist *u);

/* The shock's strength w(t) in [0, 1] in month t (1-based). */
double shock_strength(const timed_shock *k, int month);

/* Its factor in month t: 1 + (factor - 1) w(t). */
double shock_factor(const timed_shock *k, int month);

/* The product of the factors, in month t, of the usage shocks of v[0..n)
 * that reach a customer of this intensity. 1 when none does. */
double shock_usage_factor(const timed_shock *v, int n, int month, double intensity);

/* The product of the factors, in month t, of the shocks of v[0..n) of
 * `type` (model prices: those on every model and those on model k). */
double shock_type_factor(const timed_shock *v, int n, int type, int k, int month);

/* The shock in words, "usage x2 for the heaviest 5% of customers from
 * month 1" (ramp and end when it has them). Returns what snprintf returns. */
int shock_describe(const timed_shock *k, char *buf, size_t n);

#endif
