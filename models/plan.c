/* plan.c: dispatch to a plan's type, and what is common to every type: the
 * charges around the type's bill, and the common parts of its description. */
#include "plan.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const char *plan_kind_name(int kind)
{
    return plan_type_at(kind)->name;
}

double plan_fixed_fee(const plan *p, const plan_usage *u)
{
    const plan_type *t = plan_type_of(p);
    return t->fixed_fee ? t->fixed_fee(p, u) : p->price;
}

/* bill = type's bill + per_seat x seats; in arrears the fixed fees are
 * prorated: bill - (1 - active) x (fixed fee + seat fees). */
double plan_bill(const plan *p, const plan_usage *u, const gsl_rng *r)
{
    if (u->active_fraction <= 0)
        return 0.0;
    double seats = u->seats > 0 ? u->seats : 1;
    double b = plan_type_of(p)->bill(p, u, r) + p->per_seat * seats;
    if (p->billing == BILLING_ARREARS && u->active_fraction < 1)
        b -= (1 - u->active_fraction) * (plan_fixed_fee(p, u) + p->per_seat * seats);
    if (p->minimum > 0 && b < p->minimum)
        b = p->minimum;
    if (p->maximum > 0 && b > p->maximum)
        b = p->maximum;
    return b;
}

const char *plan_money(char *buf, size_t n, double v)
{
    double cents = v * 100;
    if (fabs(cents - nearbyint(cents)) < 1e-6 * fmax(1, fabs(cents)))
        snprintf(buf, n, "$%.2f", v);
    else
        snprintf(buf, n, "$%.4g", v);
    return buf;
}

void plan_describe(const plan *p, char *buf, size_t n)
{
    if (n == 0)
        return;
    buf[0] = 0;
    plan_type_of(p)->describe(p, buf, n);
    size_t len = strnlen(buf, n);
    char a[32];
    if (p->per_seat > 0 && len < n)
        len += (size_t)snprintf(buf + len, n - len, " + %s per seat", plan_money(a, sizeof a, p->per_seat));
    if (p->minimum > 0 && len < n)
        len += (size_t)snprintf(buf + len, n - len, ", at least %s a month", plan_money(a, sizeof a, p->minimum));
    if (p->maximum > 0 && len < n)
        snprintf(buf + len, n - len, ", at most %s a month", plan_money(a, sizeof a, p->maximum));
}

void plan_terms(const plan *p, char *buf, size_t n)
{
    const plan_type *t = plan_type_of(p);
    if (n == 0)
        return;
    buf[0] = 0;
    (t->terms ? t->terms : t->describe)(p, buf, n);
}

const char *plan_price_key(const plan *p)
{
    const plan_type *t = plan_type_of(p);
    return t->price_key ? t->price_key(p) : NULL;
}

unsigned plan_keeps(const plan *p)
{
    const plan_type *t = plan_type_of(p);
    return t->keeps ? t->keeps(p) : 0;
}

double plan_credit_rate(const plan *p, int model_index)
{
    const plan_type *t = plan_type_of(p);
    return t->credit_rate ? t->credit_rate(p, model_index) : 1;
}
