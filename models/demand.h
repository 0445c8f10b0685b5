/* demand.h: customers who answer back. Each customer draws, at sign-up, a
 * monthly willingness to pay (WTP) from a usage law read in dollars a
 * month, tied to its usage intensity by a Gaussian copula; in a menu each
 * arriving customer then picks the plan of highest surplus (multinomial
 * logit) or none. Pure formulas, no simulation state: the engine calls
 * them once per sign-up, so per-customer work stays O(plans). */
#ifndef TS_DEMAND_H
#define TS_DEMAND_H

#include <gsl/gsl_rng.h>
#include <stdbool.h>

#include "usage.h"
#include "wtp_survey.h"

#define WTP_POINTS_MAX 32   /* survey points given in the scenario */

/* A survey's points given in the scenario: Gabor-Granger (price, share who
 * would buy) or Van Westendorp's four curves at a price. */
typedef struct wtp_gg_point {
    double price, share;
} wtp_gg_point;

typedef struct wtp_vw_point {
    double price, too_cheap, cheap, expensive, too_expensive;
} wtp_vw_point;

/* How the plans meet the customers. */
enum demand_choice {
    CHOICE_ALL,    /* every plan bills every customer (what-if, as without a wtp block) */
    CHOICE_MENU    /* each customer picks one plan, or none */
};

typedef struct wtp_cfg {
    bool on;                   /* a wtp block was given */
    usage_dist law;            /* the WTP law, its values in $ per month (unless from a survey) */
    /* or a survey's points, from which the law is tabulated (wtp_survey.h) */
    wtp_gg_point gg[WTP_POINTS_MAX];
    int ngg;
    wtp_vw_point vw[WTP_POINTS_MAX];
    int nvw;
    bool tabulated;            /* derived: the law is `curve` */
    wtp_curve curve;
    double rank_correlation;   /* Spearman rho between WTP and usage intensity, in [-1, 1] */
    int choice;                /* enum demand_choice */
    double logit_scale;        /* $: the spread of the choice's noise; 0: the highest surplus always */
    /* a menu: usage answering the marginal price m a customer faces,
     * intensity x (1 + m / usage_reference_price)^-usage_elasticity */
    double usage_elasticity;   /* >= 0; 0: usage ignores price */
    double usage_reference_price;   /* $ per interaction */
    /* a menu: churn answering value, an extra monthly hazard
     * -ln(1 - value_churn L), L = 1 / (1 + exp(-slope (bill / value - 1))),
     * value the WTP times the share of its usage the plan serves */
    double value_churn;        /* monthly probability at most, in [0, 1) */
    double value_churn_slope;  /* > 0 */
    /* a menu: the outside option, a competitor's monthly price c: "no
     * plan" is worth max(0, WTP - c) instead of 0 (0: no competitor) */
    double competitor_price;   /* $ a month, >= 0 */
    double rho;                /* derived: the copula's Pearson correlation of the normal scores */
} wtp_cfg;

/* The Gaussian copula's correlation giving Spearman rho `rs`:
 * rho = 2 sin(pi rs / 6) (exact for the bivariate normal). */
double demand_copula_rho(double rs);

/* A WTP for a customer whose intensity was drawn at probability u_intensity
 * in (0, 1): its normal score z1 = Phi^-1(u), the WTP's score
 * rho z1 + sqrt(1 - rho^2) z2 with z2 ~ N(0, 1) from r, mapped through the
 * WTP law's quantile. Draws one normal (plus the law's own power-user draw,
 * if any) from r. */
double demand_wtp_draw(const gsl_rng *r, const wtp_cfg *w, double u_intensity);

/* Usage answering the marginal price m ($ per interaction):
 * x (1 + m / w->usage_reference_price)^-w->usage_elasticity (x itself when
 * m <= 0 or the elasticity is 0). */
double demand_usage_response(const wtp_cfg *w, double x, double m);

/* The extra monthly churn hazard of a customer paying `bill` a month for
 * what is worth `value` to it (its WTP times the share of its usage the
 * plan serves): -ln(1 - value_churn L), L the logistic of
 * slope (bill / value - 1); 0 without value churn. */
double demand_value_hazard(const wtp_cfg *w, double bill, double value);

/* The surplus of "no plan" for a customer of willingness to pay `wtp`
 * when the competitor's price is w->competitor_price times `factor` (its
 * shocks in the month): max(0, wtp - price); 0 without a competitor. The
 * engine subtracts it from every plan's surplus, so the logit's "no plan"
 * at 0 stands for the competitor (the logit is unchanged by a shift). */
double demand_outside_surplus(const wtp_cfg *w, double wtp, double factor);

/* Choice probabilities of a menu of n plans with surpluses s[0..n) under
 * logit scale `scale` > 0: p[k] = exp(s_k / scale) / D for the plans and
 * p[n] = exp(0) / D for no plan, D their sum (computed from the largest
 * exponent, so no overflow). With scale 0 the plan of highest positive
 * surplus gets 1 (the first of ties), or no plan when none is positive. */
void demand_choice_shares(const double *s, int n, double scale, double *p);

/* The choice of one customer from its surpluses and a uniform u in [0, 1):
 * the plan index, or -1 for no plan (inversion of demand_choice_shares). */
int demand_choose(const double *s, int n, double scale, double u);

#endif
