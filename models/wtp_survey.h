/* wtp_survey.h: willingness to pay (WTP) from price surveys.
 *
 * A tabulated WTP law (wtp_curve) with its survival and quantile functions,
 * and the two surveys it is built from: the Van Westendorp price-sensitivity
 * meter (four cumulative curves, or each respondent's four prices) and
 * Gabor-Granger (the share who would buy at each price asked). Pure math:
 * no I/O; bad input is TS_ERR_INPUT in the caller's ts_error, located when
 * the caller says where each point came from (wtp_loc). docs/pricing.md,
 * "Price surveys", has the formulas. */
#ifndef TS_WTP_SURVEY_H
#define TS_WTP_SURVEY_H

#include <stdbool.h>
#include <stddef.h>

#include "sim/core/error.h"

#define WTP_CURVE_MAX 128  /* points of a tabulated curve or survey */

/* ---- a tabulated WTP law --------------------------------------------- */

enum wtp_interp {
    WTP_INTERP_LINEAR,     /* piecewise linear between the points */
    WTP_INTERP_MONOTONE    /* Fritsch-Carlson monotone cubic Hermite */
};

/* The WTP survival function S(p) = share of customers with WTP >= p, known
 * at n points and interpolated between them. The survey says nothing
 * outside its prices, so nothing is extrapolated: S(p) = 1 at p = 0,
 * S(p) = share[0] on (0, price[0]] (the 1 - share[0] who would not buy even
 * at the lowest price have WTP 0), and S(p) = 0 above price[n-1] (those who
 * would buy at the highest price have WTP price[n-1]). A plain value type:
 * copy it freely, nothing to free. */
typedef struct wtp_curve {
    int n;                         /* 2..WTP_CURVE_MAX */
    int interp;                    /* enum wtp_interp */
    double price[WTP_CURVE_MAX];   /* strictly increasing, >= 0 */
    double share[WTP_CURVE_MAX];   /* S(price[i]): in [0, 1], non-increasing */
    double slope[WTP_CURVE_MAX];   /* dS/dp at each point (set by wtp_curve_init) */
} wtp_curve;

/* Where the points came from, for located messages: source (a file name, or
 * NULL), and for point i and field f (0 the price, then the shares or
 * answers in the order of the function's arguments) its 1-based line[i][f]
 * and column[i][f]; either array may be NULL (then 0: unknown). */
#define WTP_FIELDS 5
typedef struct wtp_loc {
    const char *source;
    const int (*line)[WTP_FIELDS];
    const int (*column)[WTP_FIELDS];
} wtp_loc;

/* Fills c from n points (price, share) and computes its slopes. TS_ERR_INPUT
 * (located through loc, which may be NULL) when n is outside
 * 2..WTP_CURVE_MAX, a price is negative, not finite or not above the one
 * before, a share is outside [0, 1], or the shares rise with the price. */
int wtp_curve_init(wtp_curve *c, const double *price, const double *share, int n, int interp, const wtp_loc *loc,
                   ts_error *e);

/* S(p), the share with WTP >= p; see wtp_curve for p outside the points. */
double wtp_curve_survival(const wtp_curve *c, double p);

/* The WTP of the customer at rank u in [0, 1), lowest first: the smallest
 * p with 1 - S(p) >= u, i.e. the inverse of the WTP distribution function.
 * So wtp_curve_quantile(c, U) with U uniform draws from the law. Returns 0
 * for u <= 1 - share[0] and price[n-1] for u >= 1 - share[n-1]. */
double wtp_curve_quantile(const wtp_curve *c, double u);

/* The mean WTP, integral of S(p) over [0, price[n-1]]. */
double wtp_curve_mean(const wtp_curve *c);

/* The revenue-maximising price of the curve: argmax p S(p) over
 * [price[0], price[n-1]] (a fine grid refined by golden section), with
 * its share and revenue per potential customer. */
void wtp_curve_best_price(const wtp_curve *c, double *price, double *share, double *revenue);

/* ---- Van Westendorp ---------------------------------------------------- */

/* The four cumulative curves at n common prices (strictly increasing), each
 * a share in [0, 1] of the respondents, by the usual convention:
 *   too_cheap(p)     share whose "too cheap" price is >= p   (falls with p)
 *   cheap(p)         share whose "cheap" (bargain) price >= p (falls)
 *   expensive(p)     share whose "expensive" price is <= p   (rises)
 *   too_expensive(p) share whose "too expensive" price <= p  (rises)
 * and, at the same price, too_cheap <= cheap and too_expensive <= expensive
 * (whoever finds p too cheap finds it cheap). */
typedef struct wtp_vw {
    int n;
    double price[WTP_CURVE_MAX];
    double too_cheap[WTP_CURVE_MAX], cheap[WTP_CURVE_MAX];
    double expensive[WTP_CURVE_MAX], too_expensive[WTP_CURVE_MAX];
    double respondents;            /* sum of weights (raw answers); 0 when given as curves */
} wtp_vw;

/* The survey's figures, intersections by linear interpolation between the
 * given prices (Van Westendorp 1976):
 *   PMC, point of marginal cheapness:     too_cheap = 1 - cheap
 *   OPP, optimal price point:             too_cheap = too_expensive
 *   IPP, indifference price point:        cheap = expensive
 *   PME, point of marginal expensiveness: too_expensive = 1 - expensive
 * The range of acceptable prices is [PMC, PME]. A figure whose curves do not
 * cross within the prices is NAN. */
typedef struct wtp_vw_points {
    double pmc, opp, ipp, pme;
} wtp_vw_points;

/* Fills vw from the curves (fields in the order price, too_cheap, cheap,
 * expensive, too_expensive for loc). TS_ERR_INPUT when a price is not above
 * the one before, a share is outside [0, 1], a curve goes the wrong way, or
 * too_cheap > cheap or too_expensive > expensive at some price. */
int wtp_vw_from_curves(wtp_vw *vw, const double *price, const double *too_cheap, const double *cheap,
                       const double *expensive, const double *too_expensive, int n, const wtp_loc *loc,
                       ts_error *e);

/* Fills vw from m respondents' answers: answers[i] = {too_cheap, cheap,
 * expensive, too_expensive} prices, weight[i] (NULL: all 1). The curves are
 * the weighted empirical ones at the distinct prices answered (or, beyond
 * WTP_CURVE_MAX of them, at WTP_CURVE_MAX evenly spaced prices). loc's
 * fields are 1..4 for the answers and 0 for the weight. TS_ERR_INPUT when a
 * price is negative or not finite, a weight negative, or a respondent's
 * answers are not ordered too_cheap <= cheap <= expensive <= too_expensive. */
int wtp_vw_from_answers(wtp_vw *vw, const double (*answers)[4], const double *weight, size_t m, const wtp_loc *loc,
                        ts_error *e);

/* The four figures of vw. */
void wtp_vw_figures(const wtp_vw *vw, wtp_vw_points *pts);

/* The WTP law the survey implies. A respondent would still buy at its
 * "expensive" price and would not at its "too expensive" one, so its WTP
 * lies between the two: 1 - expensive(p) and 1 - too_expensive(p) are the
 * lower and upper bounds of S(p), and the law takes their mean,
 *   S(p) = 1 - (expensive(p) + too_expensive(p)) / 2,
 * piecewise linear between the survey's prices (each respondent's WTP at
 * either end of its bracket with even odds). TS_ERR_INPUT when vw has fewer
 * than 2 prices. */
int wtp_vw_curve(const wtp_vw *vw, wtp_curve *c, ts_error *e);

/* ---- Gabor-Granger ------------------------------------------------------ */

/* The demand curve from n points (price, share who would buy): a
 * wtp_curve with interp WTP_INTERP_MONOTONE (shares at the points kept
 * exactly, never rising between them). Messages say "Gabor-Granger". */
int wtp_gg_curve(wtp_curve *c, const double *price, const double *share, int n, const wtp_loc *loc,
                 ts_error *e);

#endif
