/* plan.h: pricing plans behind one interface.
 *
 * Every plan in a scenario bills the very same simulated customers, so plans
 * are compared on identical usage (common random numbers). A plan type is a
 * row in the registry (plan.c) with its bill function, in its own file
 * plan_<type>.c; its keys live in the scenario schema with the list of keys
 * each type takes. Charges common to every type (a monthly minimum and
 * maximum) are applied by plan_bill after the type's own bill. */
#ifndef TS_PLAN_H
#define TS_PLAN_H

#include <gsl/gsl_rng.h>
#include <stdbool.h>

#define PLAN_NAME_LEN 48
#define PLAN_MAX 8
#define PLAN_MAX_TIERS 8

enum plan_kind { PLAN_FLAT, PLAN_TIERED, PLAN_USAGE, PLAN_HYBRID, PLAN_OUTCOME, PLAN_CREDITS, PLAN_KIND_COUNT };

/* What usage-based prices count. */
enum plan_unit { UNIT_INTERACTION, UNIT_KTOKENS, UNIT_COST };
/* How usage tiers price: each unit at the price of the tier it falls in
 * (graduated), or every unit at the price of the tier the total reaches
 * (volume). */
enum plan_tiering { TIERING_GRADUATED, TIERING_VOLUME };
/* How units are rounded into packages. */
enum plan_rounding { ROUND_UP, ROUND_DOWN, ROUND_NEAREST };

/* What a customer did in one month, as a plan sees it. */
typedef struct plan_usage {
    double interactions;
    double tokens;
    double inference_cost;       /* $ the provider paid for this customer */
    double credits;              /* credits burned (credit plans) */
    double packs;                /* credit plans with a wallet: packs bought; < 0: from credits */
    double active_fraction;      /* of the month the customer was signed up */
    double seats;                /* the customer's seats */
    int tier;                    /* the tier a customer holds (read only when the plan assigns tiers) */
    int month;                   /* 0-based */
} plan_usage;

/* A usage tier: units up to `up_to` (0 in the last tier: no limit) at
 * `unit_price` each, plus `flat_fee` once the tier is reached. */
typedef struct price_tier {
    double up_to;
    double unit_price;
    double flat_fee;
} price_tier;

/* How many credits an interaction served by `model` burns. */
typedef struct credit_rate {
    char model[PLAN_NAME_LEN];
    double credits;
    int model_index;             /* resolved by the loader */
} credit_rate;

/* A subscription tier: `price` a month for up to `included` interactions. */
typedef struct sub_tier {
    char name[32];
    double price;
    double included;
} sub_tier;

typedef struct plan {
    char name[PLAN_NAME_LEN];
    int kind;                    /* enum plan_kind */
    double price;                /* flat: the subscription; hybrid and usage: the base fee */
    double target_margin;        /* the plan's gross-margin goal, for reports */
    double minimum, maximum;     /* charge per month at least / at most; 0: none */
    double per_seat;             /* $ per seat and month, added to any type's bill */
    double commit;               /* committed spend per period, trued up at its end; 0: none */
    int commit_months;           /* the period */
    int billing;                 /* enum plan_billing */
    /* hybrid, and tiered above the largest tier */
    double included;             /* interactions in the base fee */
    double overage;              /* $ per interaction beyond them */
    /* usage-based */
    int unit;                    /* enum plan_unit */
    double unit_price;           /* $ per unit (per package when packages are on) */
    double markup;               /* UNIT_COST: revenue = cost x (1 + markup) */
    int tiering;                 /* enum plan_tiering */
    price_tier tiers[PLAN_MAX_TIERS];
    int ntiers;
    double package;              /* units per package; 0: none */
    int rounding;                /* enum plan_rounding */
    /* tiered subscription */
    sub_tier subs[PLAN_MAX_TIERS];
    int nsubs;
    int assigned;                /* customers hold a tier (1) or are billed the tier their month needs (0) */
    double assign_share;         /* a new customer picks the tier that covers this share of its usage */
    int upgrade_after, downgrade_after;   /* months over the tier's quota / under the lower tier's */
    double upgrade_prob, downgrade_prob;  /* then, each month, the chance to move */
    /* outcome-based */
    double per_outcome;          /* $ per resolved outcome */
    double outcome_min, outcome_max;  /* interactions an attempt takes, uniform whole numbers */
    double failure_rate;         /* share of attempts that resolve nothing */
    /* a quota inside the month (any type but tiered) */
    double quota;                /* interactions per month; 0: none */
    double soft_at;              /* share of the quota after which soft_model serves; 0: no soft limit */
    char soft_model[PLAN_NAME_LEN];
    int soft_model_index;        /* resolved by the loader */
    bool hard_cap;               /* refuse every interaction beyond the quota */
    double soft_keep;            /* share of demand still made past the soft limit (a delay deters the rest) */
    /* a free tier in front of the plan */
    bool free_tier;              /* new customers start free, pay nothing */
    double free_limit;           /* interactions a month while free, beyond them refused; 0: no limit */
    char free_model[PLAN_NAME_LEN];   /* the model free customers get; empty: the plan's own */
    int free_model_index;        /* resolved by the loader, -1 when none */
    double conversion;           /* monthly probability that a free customer starts paying */
    /* credits: packs bought each month, burned per interaction */
    double pack_credits, pack_price;
    double min_packs;            /* packs bought every month whatever the usage */
    double credits_per_interaction;   /* burn rate of models without their own */
    credit_rate rates[PLAN_MAX_TIERS];
    int nrates;
    int rollover;                /* months unused credits are kept (0: they expire at the month's end) */
    int drawdown;                /* enum wallet_drawdown */
    /* customers this plan loses that others keep */
    double cap_churn;            /* chance to leave after a month in which it was refused */
    double shock_churn;          /* chance to leave after its bill rose by more than shock_threshold */
    double shock_threshold;      /* share of the previous month's bill */
    /* a change of pricing during the horizon */
    char switch_to[PLAN_NAME_LEN];    /* the plan whose bill applies after the change; empty: none */
    int switch_index;            /* resolved by the loader, -1 when none */
    int switch_month;            /* 1-based month from which it applies */
    int migrate;                 /* enum plan_migrate */
} plan;

/* Billed in advance (whole months, as soon as the customer is signed up)
 * or in arrears (at the month's end, the fixed fees in proportion to the
 * part of the month the customer was signed up). */
enum plan_billing { BILLING_ADVANCE, BILLING_ARREARS };

/* Who a pricing change reaches: every customer, or those who sign up after it. */
enum plan_migrate { MIGRATE_ALL, MIGRATE_NEW };

/* The revenue from one customer-month: the type's bill, then the monthly
 * minimum and maximum. Nothing for a customer not signed up that month.
 * `r` is the plan's own random stream (only outcome-based plans draw from
 * it), so one plan's draws never shift another's. */
double plan_bill(const plan *p, const plan_usage *u, const gsl_rng *r);

/* The type name of a kind ("flat"), and the list of names for the loader. */
const char *plan_kind_name(int kind);
extern const char *const plan_kind_names[];

/* Per-type bill functions. */
double plan_flat_bill(const plan *p, const plan_usage *u, const gsl_rng *r);
double plan_tiered_bill(const plan *p, const plan_usage *u, const gsl_rng *r);
double plan_usage_bill(const plan *p, const plan_usage *u, const gsl_rng *r);
double plan_hybrid_bill(const plan *p, const plan_usage *u, const gsl_rng *r);
double plan_outcome_bill(const plan *p, const plan_usage *u, const gsl_rng *r);
double plan_credits_bill(const plan *p, const plan_usage *u, const gsl_rng *r);

/* Credits: packs bought for a month's burn (at least min_packs; more packs
 * bought automatically as credits run out), and the credits left to expire. */
double plan_credits_packs(const plan *p, double credits);
double plan_credits_rate(const plan *p, int model_index);

/* Outcome-based: the mean and variance of the interactions one attempt
 * takes (uniform on the whole numbers min..max). */
double plan_outcome_mean(const plan *p);
double plan_outcome_var(const plan *p);

/* The part of a type's bill that does not depend on usage (the price, a
 * base fee, a tier's price). */
double plan_fixed_fee(const plan *p, const plan_usage *u);

/* The usage-based charge for `units` under p's tiers, packages and unit
 * price (no base fee, no minimum). Exposed for tests. */
double plan_usage_charge(const plan *p, double units);

/* The subscription tier a month of `interactions` falls in: the smallest
 * whose quota covers it, or the largest. */
int plan_tier_of(const plan *p, double interactions);

#endif
