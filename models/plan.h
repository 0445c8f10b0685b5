/* plan.h: pricing plans behind one interface, each type a descriptor.
 *
 * Every plan in a scenario bills the very same simulated customers, so plans
 * are compared on identical usage (common random numbers). A plan type is a
 * `plan_type` descriptor in its own file plan_<type>.c: the keys it takes,
 * its cross-key checks, how it bills a month, what the engine keeps per
 * customer for it, and how it reads on a pricing page. The registry
 * (plan_registry.c) lists the built-in ones; a library user may add more
 * with plan_type_register. Charges common to every type (per-seat fees, a
 * monthly minimum and maximum, proration in arrears) are applied by
 * plan_bill around the type's own bill. */
#ifndef TS_PLAN_H
#define TS_PLAN_H

#include <gsl/gsl_rng.h>
#include <stdbool.h>
#include <stddef.h>

#include "sim/core/error.h"

#define PLAN_NAME_LEN 48
#define PLAN_MAX 8
#define PLAN_MAX_TIERS 8
#define PLAN_TYPE_MAX 16         /* built-in and registered types together (a type is a bit in the loader's rules) */
#define PLAN_PARAMS_SIZE 64      /* bytes for a type's own parameters in every plan */
#define PLAN_TYPE_PARAMS_MAX 16  /* own keys of one type */

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

/* A plan as loaded. The built-in types' keys have fields of their own
 * below; a new type keeps its keys in `params` instead of adding fields. */
typedef struct plan {
    char name[PLAN_NAME_LEN];
    int kind;                    /* the type: its index in the registry (plan_type_at) */
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
    /* parameters of a type's own keys (plan_type.params), laid out as the
     * type likes: read them through a struct of its own, e.g.
     * `const my_params *mp = (const void *)p->params;` */
    _Alignas(max_align_t) unsigned char params[PLAN_PARAMS_SIZE];
} plan;

/* Billed in advance (whole months, as soon as the customer is signed up)
 * or in arrears (at the month's end, the fixed fees in proportion to the
 * part of the month the customer was signed up). */
enum plan_billing { BILLING_ADVANCE, BILLING_ARREARS };

/* Who a pricing change reaches: every customer, or those who sign up after it. */
enum plan_migrate { MIGRATE_ALL, MIGRATE_NEW };

/* ---- descriptors ---------------------------------------------------------- */

/* What a customer holds under a plan from month to month: an assigned tier,
 * and the months in a row it spent over its quota / within the lower
 * tier's (PLAN_KEEPS_TIER). */
typedef struct plan_hold {
    int tier;
    int over, under;
} plan_hold;

/* What the engine keeps per customer for a plan (plan_type.keeps). */
enum plan_keeps {
    PLAN_KEEPS_CREDITS = 1,      /* credits burned, at plan_type.credit_rate per interaction */
    PLAN_KEEPS_TIER = 2,         /* a held tier: plan_type.tier_start at sign-up, tier_move at each month's end */
    PLAN_KEEPS_WALLET = 4        /* a wallet of credits that roll over (wallet.h) */
};

/* The loader's side of a type's cross-key checks (plan_type.check), so that
 * a type can report at the place a key was written without knowing the
 * loader. Every function returns what the type's check should return. */
typedef struct plan_checker plan_checker;
struct plan_checker {
    void *ctx;                   /* the loader's */
    /* whether `field` (of the plan being checked) was written, not defaulted */
    bool (*given)(const plan_checker *ck, const void *field);
    /* an input error at the origin of `field` (else of `fallback`, else the
     * file); the message is as git writes them: lowercase, no full stop */
    int (*fail_at)(const plan_checker *ck, const void *field, const void *fallback, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
    /* checks that model `name`, written at `field`, is in the price table,
     * then stores its index in *index; the message names `path` */
    int (*model)(const plan_checker *ck, const char *name, const void *field, const char *path, int *index);
};

/* A key of a type's own, bound into plan.params at the level of the common
 * plan keys (`plans: [{name: x, type: mytype, my_key: 3}]`). */
enum plan_param_kind { PLAN_PARAM_NUMBER, PLAN_PARAM_WHOLE, PLAN_PARAM_FLAG };   /* double, int, bool */
typedef struct plan_param {
    const char *name;            /* unique among every plan key, common or any type's own */
    int kind;                    /* enum plan_param_kind */
    size_t offset;               /* of the value in plan.params */
    double min, max;             /* allowed values, inclusive; -INFINITY / INFINITY: unbounded */
    bool required;               /* a plan of the type must give it; else it has `def` */
    const char *unit;            /* for the key reference; NULL: none */
    const char *def;             /* the default as YAML text; NULL when required */
    const char *help;            /* one line for the key reference */
} plan_param;

/* A plan type. Only name, summary, bill and describe are required; a NULL
 * hook means "nothing of that kind". The functions must not keep state:
 * replications call them from many threads. */
typedef struct plan_type {
    const char *name;            /* the value of a plan's `type:` key */
    const char *summary;         /* one line: what it charges for */
    /* keys: common plan keys that only some types take (the loader lists
     * them) must be named here to apply; `needs` must be given, `takes`
     * may be; NULL-terminated lists */
    const char *const *needs;
    const char *const *takes;
    const plan_param *params;    /* its own keys, ended by a name NULL */
    /* cross-key checks once bound (errors through ck); may resolve indices */
    int (*check)(plan *p, const plan_checker *ck);
    /* whether a key the type takes is written back in the resolved
     * scenario (keys that mean nothing under the plan's other values are
     * left out); NULL: every key it takes */
    bool (*shows)(const plan *p, const char *key);
    /* billing: the type's charge for one customer-month, before the common
     * charges; r is the plan's own stream (only random bills draw from it) */
    double (*bill)(const plan *p, const plan_usage *u, const gsl_rng *r);
    /* the part of the bill that does not depend on usage, prorated in
     * arrears; NULL: p->price */
    double (*fixed_fee)(const plan *p, const plan_usage *u);
    /* what the engine keeps per customer (enum plan_keeps bits) */
    unsigned (*keeps)(const plan *p);
    int (*tier_start)(const plan *p, double intensity);      /* PLAN_KEEPS_TIER: the tier a new customer holds */
    /* PLAN_KEEPS_TIER: at a month's end, moves the held tier after `served`
     * interactions; +1 up, -1 down, 0 none */
    int (*tier_move)(const plan *p, plan_hold *h, double served, const gsl_rng *r);
    double (*credit_rate)(const plan *p, int model_index);  /* credits an interaction burns; NULL: 1 */
    /* PLAN_KEEPS_WALLET: one month of the customer's wallet `lots` (see
     * wallet.h); returns the packs bought, *expired the credits lost */
    double (*wallet)(const plan *p, double *lots, double burned, double *expired);
    /* $ billed for credits that expired unused (revenue with no cost behind
     * it); expired < 0 when no wallet counted them */
    double (*breakage)(const plan *p, double burned, double expired);
    /* words: the terms as a pricing page gives them ("$20.00 a month +
     * $0.05 per interaction over 200"), and in a few words for a table
     * column (compare); NULL terms: describe */
    void (*describe)(const plan *p, char *buf, size_t n);
    void (*terms)(const plan *p, char *buf, size_t n);
    /* the key of the headline price that solve, tornado and stress vary;
     * NULL (or a NULL hook): none */
    const char *(*price_key)(const plan *p);
    /* the key of a monthly budget of interactions that `tokensim quota`
     * sizes, NULL: none. "quota" (the common key) is a limit the quota's
     * soft limit and hard cap act on; any other is units the fee covers,
     * with the common `overage` beyond them */
    const char *budget_key;
} plan_type;

/* The common keys of a quota inside the month, for the `takes` of types
 * whose customers may be limited (all but tiered, whose tiers are quotas). */
#define PLAN_QUOTA_KEYS "quota", "soft_at", "soft_model", "soft_keep", "hard_cap"

/* ---- the registry --------------------------------------------------------- */

/* Types in kind order: the built-in ones first, then registered ones. */
int plan_type_count(void);
int plan_type_builtin_count(void);
const plan_type *plan_type_at(int kind);          /* kind in [0, plan_type_count()) */
int plan_type_find(const char *name);             /* the kind, or -1 */
/* The names in kind order, NULL-terminated (the loader's `type:` choices). */
const char *const *plan_type_names(void);

/* Adds type t (not copied: it must outlive its use) and stores its kind in
 * *kind (may be NULL). Not thread-safe: call it before loading scenarios
 * that use it, from one thread. Fails with TS_ERR_INPUT when t lacks a
 * name, summary, bill or describe, reuses a type's name or another type's
 * own key, declares more than PLAN_TYPE_PARAMS_MAX keys or keys that do not
 * fit PLAN_PARAMS_SIZE, or the registry is full. The loader checks later
 * that the keys it names are plan keys and that its own are not common ones. */
int plan_type_register(const plan_type *t, int *kind, ts_error *err);

/* The type of plan p (inline: the engine asks for every customer-month). */
extern const plan_type *plan_types_[PLAN_TYPE_MAX];   /* the registry's table; use plan_type_at */
static inline const plan_type *plan_type_of(const plan *p)
{
    return plan_types_[p->kind];
}

/* The type name of a kind ("flat"). */
const char *plan_kind_name(int kind);

/* ---- dispatch ------------------------------------------------------------- */

/* The revenue from one customer-month: the type's bill, per-seat fees,
 * proration in arrears, then the monthly minimum and maximum. Nothing for a
 * customer not signed up that month. `r` is the plan's own random stream
 * (only outcome-based plans draw from it), so one plan's draws never shift
 * another's. */
double plan_bill(const plan *p, const plan_usage *u, const gsl_rng *r);

/* The part of a type's bill that does not depend on usage (the price, a
 * base fee, a tier's price). */
double plan_fixed_fee(const plan *p, const plan_usage *u);

/* The plan's terms as a pricing page gives them, with the common charges
 * (per seat, minimum, maximum): "$20.00 a month + $0.05 per interaction
 * over 200". Always NUL-terminated; truncated to n - 1 characters. */
void plan_describe(const plan *p, char *buf, size_t n);

/* The type's terms in a few words, for a narrow table column. */
void plan_terms(const plan *p, char *buf, size_t n);

/* The key of the plan's headline price, or NULL. */
const char *plan_price_key(const plan *p);

/* What the engine keeps per customer for p (enum plan_keeps bits). */
unsigned plan_keeps(const plan *p);

/* Credits an interaction on model `model_index` burns under p (1 for
 * types without credits, which bill none). */
double plan_credit_rate(const plan *p, int model_index);

/* "$20.00" for whole cents, else 4 significant digits ("$0.002"): money as
 * the descriptions write it. Returns buf. */
const char *plan_money(char *buf, size_t n, double v);

/* ---- helpers of the built-in types, exposed for tests ---------------------- */

/* Credits: packs bought for a month's burn (at least min_packs; more packs
 * bought automatically as credits run out), and a model's burn rate. */
double plan_credits_packs(const plan *p, double credits);
double plan_credits_rate(const plan *p, int model_index);

/* Outcome-based: the mean and variance of the interactions one attempt
 * takes (uniform on the whole numbers min..max). */
double plan_outcome_mean(const plan *p);
double plan_outcome_var(const plan *p);

/* The usage-based charge for `units` under p's tiers, packages and unit
 * price (no base fee, no minimum). */
double plan_usage_charge(const plan *p, double units);

/* The subscription tier a month of `interactions` falls in: the smallest
 * whose quota covers it, or the largest. */
int plan_tier_of(const plan *p, double interactions);

#endif
