/* wtp_survey.c: tabulated WTP laws and the two price surveys they come from.
 *
 * Monotone interpolation (Fritsch & Carlson 1980, "Monotone piecewise cubic
 * interpolation", SIAM J. Numer. Anal. 17): secants d_k between points; the
 * tangents m_k start as the mean of the two neighbouring secants (0 where
 * they differ in sign or one is 0; the end ones take their piece's secant),
 * and on each piece where a = m_k/d_k, b = m_(k+1)/d_k give a^2 + b^2 > 9,
 * both are scaled by 3/sqrt(a^2 + b^2). The cubic Hermite piece through
 * those tangents is then monotone, so a survival curve never rises.
 *
 * Van Westendorp (1976, "NSS price sensitivity meter", ESOMAR congress): the
 * four figures are crossings of the cumulative curves; between two prices
 * each curve is taken linear, so the crossing of f (falling) and g (rising)
 * on [x_i, x_(i+1)] with d = f - g is x_i + d_i / (d_i - d_(i+1)) (x_(i+1) - x_i). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "wtp_survey.h"

/* ---- located messages -------------------------------------------------- */

static int bad(ts_error *e, const wtp_loc *loc, int i, int f, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static int bad(ts_error *e, const wtp_loc *loc, int i, int f, const char *fmt, ...)
{
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    int line = loc && loc->line && i >= 0 ? loc->line[i][f] : 0;
    int col = loc && loc->column && i >= 0 ? loc->column[i][f] : 0;
    return ts_error_set(e, TS_ERR_INPUT, loc ? loc->source : NULL, line, col, "%s", msg);
}

/* Prices: finite, >= 0, strictly increasing. */
static int check_prices(const char *what, const double *price, int n, const wtp_loc *loc, ts_error *e)
{
    if (n < 2 || n > WTP_CURVE_MAX)
        return bad(e, loc, -1, 0, "%s gives %d price%s: expected 2 to %d", what, n, n == 1 ? "" : "s",
                   WTP_CURVE_MAX);
    for (int i = 0; i < n; i++) {
        if (!isfinite(price[i]) || price[i] < 0)
            return bad(e, loc, i, 0, "%s price %g is not a price: expected a number >= 0", what, price[i]);
        if (i > 0 && price[i] <= price[i - 1])
            return bad(e, loc, i, 0, "%s price %g comes after %g: expected prices in increasing order", what,
                       price[i], price[i - 1]);
    }
    return TS_OK;
}

/* Shares in [0, 1], monotone in the direction dir (-1 falling, +1 rising);
 * curve names the curve among several, NULL for a survey's only curve. */
static int check_shares(const char *what, const char *curve, const double *price, const double *s, int n,
                        int dir, int field, const wtp_loc *loc, ts_error *e)
{
    char name[48] = "";
    if (curve)
        snprintf(name, sizeof name, " of '%s'", curve);
    for (int i = 0; i < n; i++) {
        if (!(s[i] >= 0 && s[i] <= 1))
            return bad(e, loc, i, field, "%s share %g%s at price %g is outside [0, 1]", what, s[i], name, price[i]);
        if (i > 0 && (s[i] - s[i - 1]) * dir < 0)
            return bad(e, loc, i, field,
                       "%s share%s %s from %g at price %g to %g at price %g: expected shares that %s as the "
                       "price rises", what, name, dir < 0 ? "rises" : "falls", s[i - 1], price[i - 1], s[i],
                       price[i], dir < 0 ? "fall" : "rise");
    }
    return TS_OK;
}

/* ---- the tabulated curve -------------------------------------------------- */

static void fritsch_carlson(wtp_curve *c)
{
    int n = c->n;
    double d[WTP_CURVE_MAX] = {0};
    for (int k = 0; k < n - 1; k++)
        d[k] = (c->share[k + 1] - c->share[k]) / (c->price[k + 1] - c->price[k]);
    c->slope[0] = d[0];
    c->slope[n - 1] = d[n - 2];
    for (int k = 1; k < n - 1; k++)
        c->slope[k] = d[k - 1] * d[k] > 0 ? (d[k - 1] + d[k]) / 2 : 0;
    for (int k = 0; k < n - 1; k++) {
        if (d[k] == 0) {
            c->slope[k] = c->slope[k + 1] = 0;
            continue;
        }
        double a = c->slope[k] / d[k], b = c->slope[k + 1] / d[k], r = a * a + b * b;
        if (r > 9) {
            double t = 3 / sqrt(r);
            c->slope[k] = t * a * d[k];
            c->slope[k + 1] = t * b * d[k];
        }
    }
}

int wtp_curve_init(wtp_curve *c, const double *price, const double *share, int n, int interp, const wtp_loc *loc,
                   ts_error *e)
{
    if (check_prices("wtp curve", price, n, loc, e) ||
        check_shares("wtp curve", NULL, price, share, n, -1, 1, loc, e))
        return e->code;
    c->n = n;
    c->interp = interp;
    for (int i = 0; i < n; i++) {
        c->price[i] = price[i];
        c->share[i] = share[i];
    }
    if (interp == WTP_INTERP_MONOTONE) {
        fritsch_carlson(c);
    } else {
        for (int k = 0; k < n - 1; k++)
            c->slope[k] = (share[k + 1] - share[k]) / (price[k + 1] - price[k]);
        c->slope[n - 1] = c->slope[n - 2];
    }
    return TS_OK;
}

/* S on piece k at t in [0, 1] (cubic Hermite, or linear). */
static double piece_at(const wtp_curve *c, int k, double t)
{
    double y0 = c->share[k], y1 = c->share[k + 1];
    if (c->interp != WTP_INTERP_MONOTONE)
        return y0 + (y1 - y0) * t;
    double h = c->price[k + 1] - c->price[k], t2 = t * t, t3 = t2 * t;
    double s = (2 * t3 - 3 * t2 + 1) * y0 + (t3 - 2 * t2 + t) * h * c->slope[k] + (-2 * t3 + 3 * t2) * y1 +
               (t3 - t2) * h * c->slope[k + 1];
    return s > y0 ? y0 : s < y1 ? y1 : s;   /* rounding only: the piece is monotone */
}

double wtp_curve_survival(const wtp_curve *c, double p)
{
    if (p <= 0)
        return 1;
    if (p <= c->price[0])
        return c->share[0];
    if (p > c->price[c->n - 1])
        return 0;
    int lo = 0, hi = c->n - 1;      /* price[lo] < p <= price[hi] */
    while (hi - lo > 1) {
        int mid = (lo + hi) / 2;
        if (c->price[mid] < p)
            lo = mid;
        else
            hi = mid;
    }
    return piece_at(c, lo, (p - c->price[lo]) / (c->price[hi] - c->price[lo]));
}

double wtp_curve_quantile(const wtp_curve *c, double u)
{
    double s = 1 - u;
    int n = c->n;
    if (s >= c->share[0])
        return 0;
    if (s <= c->share[n - 1])
        return c->price[n - 1];
    int k = 0;                       /* the first piece that reaches down to s */
    while (c->share[k + 1] > s)
        k++;
    double y0 = c->share[k], y1 = c->share[k + 1], h = c->price[k + 1] - c->price[k];
    if (c->interp != WTP_INTERP_MONOTONE)
        return c->price[k] + (y0 - s) / (y0 - y1) * h;
    double a = 0, b = 1;             /* bisection: the piece falls from y0 > s to y1 <= s */
    for (int it = 0; it < 60; it++) {
        double m = (a + b) / 2;
        if (piece_at(c, k, m) > s)
            a = m;
        else
            b = m;
    }
    return c->price[k] + b * h;
}

double wtp_curve_mean(const wtp_curve *c)
{
    /* integral of the Hermite basis over [0, 1]: h00, h01 -> 1/2; h10 -> 1/12, h11 -> -1/12 */
    double sum = c->share[0] * c->price[0];
    for (int k = 0; k < c->n - 1; k++) {
        double h = c->price[k + 1] - c->price[k];
        sum += h * (c->share[k] + c->share[k + 1]) / 2;
        if (c->interp == WTP_INTERP_MONOTONE)
            sum += h * h * (c->slope[k] - c->slope[k + 1]) / 12;
    }
    return sum;
}

void wtp_curve_best_price(const wtp_curve *c, double *price, double *share, double *revenue)
{
    enum { STEPS = 32 };
    double best_p = c->price[0], best_r = -1, lo = c->price[0], hi = c->price[0];
    for (int k = 0; k < c->n - 1; k++)
        for (int j = 0; j <= STEPS; j++) {
            double p = c->price[k] + (c->price[k + 1] - c->price[k]) * j / STEPS;
            double r = p * wtp_curve_survival(c, p);
            if (r > best_r) {
                best_r = r;
                best_p = p;
                double step = (c->price[k + 1] - c->price[k]) / STEPS;
                double before = k > 0 ? (c->price[k] - c->price[k - 1]) / STEPS : 0;
                lo = p - (j > 0 ? step : before);
                hi = j < STEPS ? p + step : p;
            }
        }
    /* golden section inside the grid cell either side of the best grid point */
    const double g = (sqrt(5.0) - 1) / 2;
    for (int it = 0; it < 80 && hi - lo > 1e-12 * (1 + hi); it++) {
        double x1 = hi - g * (hi - lo), x2 = lo + g * (hi - lo);
        if (x1 * wtp_curve_survival(c, x1) >= x2 * wtp_curve_survival(c, x2))
            hi = x2;
        else
            lo = x1;
    }
    double p = (lo + hi) / 2, r = p * wtp_curve_survival(c, p);
    if (r > best_r) {
        best_r = r;
        best_p = p;
    }
    *price = best_p;
    *share = wtp_curve_survival(c, best_p);
    *revenue = best_r;
}

/* ---- Van Westendorp --------------------------------------------------------- */

static const char *const vw_names[4] = {"too_cheap", "cheap", "expensive", "too_expensive"};

static int vw_check(const wtp_vw *vw, const wtp_loc *loc, ts_error *e)
{
    const char *what = "van westendorp";
    const double *curve[4] = {vw->too_cheap, vw->cheap, vw->expensive, vw->too_expensive};
    if (check_prices(what, vw->price, vw->n, loc, e))
        return e->code;
    for (int j = 0; j < 4; j++)
        if (check_shares(what, vw_names[j], vw->price, curve[j], vw->n, j < 2 ? -1 : 1, j + 1, loc, e))
            return e->code;
    for (int i = 0; i < vw->n; i++) {
        if (vw->too_cheap[i] > vw->cheap[i])
            return bad(e, loc, i, 1,
                       "%s curves inconsistent at price %g: 'too_cheap' %g is above 'cheap' %g; expected "
                       "too_cheap <= cheap (whoever finds a price too cheap finds it cheap)", what, vw->price[i],
                       vw->too_cheap[i], vw->cheap[i]);
        if (vw->too_expensive[i] > vw->expensive[i])
            return bad(e, loc, i, 4,
                       "%s curves inconsistent at price %g: 'too_expensive' %g is above 'expensive' %g; expected "
                       "too_expensive <= expensive", what, vw->price[i], vw->too_expensive[i], vw->expensive[i]);
    }
    return TS_OK;
}

int wtp_vw_from_curves(wtp_vw *vw, const double *price, const double *too_cheap, const double *cheap,
                       const double *expensive, const double *too_expensive, int n, const wtp_loc *loc,
                       ts_error *e)
{
    if (n < 2 || n > WTP_CURVE_MAX)
        return bad(e, loc, -1, 0, "van westendorp survey gives %d price%s: expected 2 to %d", n,
                   n == 1 ? "" : "s", WTP_CURVE_MAX);
    vw->n = n;
    vw->respondents = 0;
    for (int i = 0; i < n; i++) {
        vw->price[i] = price[i];
        vw->too_cheap[i] = too_cheap[i];
        vw->cheap[i] = cheap[i];
        vw->expensive[i] = expensive[i];
        vw->too_expensive[i] = too_expensive[i];
    }
    return vw_check(vw, loc, e);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The prices the empirical curves are tabulated at: the distinct answers,
 * or an even grid over them when there are too many. */
static int vw_prices(wtp_vw *vw, const double (*answers)[4], size_t m, ts_error *e)
{
    double *all = malloc(4 * m * sizeof *all);
    if (!all)
        return ts_error_set(e, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory reading a survey");
    for (size_t i = 0; i < m; i++)
        for (int j = 0; j < 4; j++)
            all[4 * i + j] = answers[i][j];
    qsort(all, 4 * m, sizeof *all, cmp_double);
    size_t distinct = 0;
    for (size_t i = 0; i < 4 * m; i++)
        if (i == 0 || all[i] != all[i - 1])
            all[distinct++] = all[i];
    if (distinct <= WTP_CURVE_MAX) {
        for (size_t i = 0; i < distinct; i++)
            vw->price[i] = all[i];
        vw->n = (int)distinct;
    } else {
        double lo = all[0], hi = all[distinct - 1];
        for (int i = 0; i < WTP_CURVE_MAX; i++)
            vw->price[i] = lo + (hi - lo) * i / (WTP_CURVE_MAX - 1);
        vw->n = WTP_CURVE_MAX;
    }
    free(all);
    if (vw->n < 2)
        return ts_error_set(e, TS_ERR_INPUT, NULL, 0, 0,
                            "van westendorp answers hold a single price: expected answers at 2 prices or more");
    return TS_OK;
}

int wtp_vw_from_answers(wtp_vw *vw, const double (*answers)[4], const double *weight, size_t m, const wtp_loc *loc,
                        ts_error *e)
{
    double total = 0;
    for (size_t i = 0; i < m; i++) {
        int r = (int)i;
        for (int j = 0; j < 4; j++) {
            if (!isfinite(answers[i][j]) || answers[i][j] < 0)
                return bad(e, loc, r, j + 1, "van westendorp answer '%s' %g is not a price: expected a number >= 0",
                           vw_names[j], answers[i][j]);
            if (j > 0 && answers[i][j] < answers[i][j - 1])
                return bad(e, loc, r, j + 1,
                           "van westendorp answers out of order: '%s' %g is below '%s' %g; expected too_cheap <= "
                           "cheap <= expensive <= too_expensive", vw_names[j], answers[i][j], vw_names[j - 1],
                           answers[i][j - 1]);
        }
        double w = weight ? weight[i] : 1;
        if (!isfinite(w) || w < 0)
            return bad(e, loc, r, 0, "van westendorp weight %g is not a weight: expected a number >= 0", w);
        total += w;
    }
    if (!(total > 0))
        return ts_error_set(e, TS_ERR_INPUT, loc ? loc->source : NULL, 0, 0,
                            "van westendorp survey has no respondents: expected rows with a weight above 0");
    if (vw_prices(vw, answers, m, e))
        return e->code;
    for (int k = 0; k < vw->n; k++) {
        double p = vw->price[k], s[4] = {0, 0, 0, 0};
        for (size_t i = 0; i < m; i++) {
            double w = weight ? weight[i] : 1;
            s[0] += answers[i][0] >= p ? w : 0;
            s[1] += answers[i][1] >= p ? w : 0;
            s[2] += answers[i][2] <= p ? w : 0;
            s[3] += answers[i][3] <= p ? w : 0;
        }
        vw->too_cheap[k] = s[0] / total;
        vw->cheap[k] = s[1] / total;
        vw->expensive[k] = s[2] / total;
        vw->too_expensive[k] = s[3] / total;
    }
    vw->respondents = total;
    return TS_OK;
}

/* The crossing of falling f with rising g (d = f - g never rises); NAN when
 * d keeps one strict sign over the prices. */
static double crossing(const double *x, const double *f, const double *g, bool f_flip, bool g_flip, int n)
{
    double prev = 0;
    for (int i = 0; i < n; i++) {
        double d = (f_flip ? 1 - f[i] : f[i]) - (g_flip ? 1 - g[i] : g[i]);
        if (d == 0)
            return x[i];
        if (d < 0)
            return i == 0 ? NAN : x[i - 1] + prev / (prev - d) * (x[i] - x[i - 1]);
        prev = d;
    }
    return NAN;
}

void wtp_vw_figures(const wtp_vw *vw, wtp_vw_points *pts)
{
    const double *x = vw->price;
    pts->pmc = crossing(x, vw->too_cheap, vw->cheap, false, true, vw->n);
    pts->opp = crossing(x, vw->too_cheap, vw->too_expensive, false, false, vw->n);
    pts->ipp = crossing(x, vw->cheap, vw->expensive, false, false, vw->n);
    pts->pme = crossing(x, vw->expensive, vw->too_expensive, true, false, vw->n);
}

int wtp_vw_curve(const wtp_vw *vw, wtp_curve *c, ts_error *e)
{
    double s[WTP_CURVE_MAX];
    for (int i = 0; i < vw->n; i++)
        s[i] = 1 - (vw->expensive[i] + vw->too_expensive[i]) / 2;
    return wtp_curve_init(c, vw->price, s, vw->n, WTP_INTERP_LINEAR, NULL, e);
}

/* ---- Gabor-Granger ----------------------------------------------------------- */

int wtp_gg_curve(wtp_curve *c, const double *price, const double *share, int n, const wtp_loc *loc, ts_error *e)
{
    const char *what = "gabor-granger";
    if (check_prices(what, price, n, loc, e) || check_shares(what, NULL, price, share, n, -1, 1, loc, e))
        return e->code;
    return wtp_curve_init(c, price, share, n, WTP_INTERP_MONOTONE, loc, e);
}
