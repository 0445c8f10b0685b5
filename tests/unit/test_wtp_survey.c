/* test_wtp_survey.c: the price surveys of models/wtp_survey.h against hand
 * calculations: a Van Westendorp survey whose four figures are worked below,
 * the empirical curves of four respondents counted by hand, the monotone
 * (Fritsch-Carlson) interpolation's properties, a linear demand curve's
 * revenue optimum in closed form, draws through the quantile function
 * against the curve's mean, and the bad-input messages with their place. */
#include "testutil.h"

#include <gsl/gsl_rng.h>
#include <string.h>

#include "models/wtp_survey.h"

/* Prices 10, 20, 30, 40 and the four curves:
 *   too_cheap      .6  .2  0   0
 *   cheap          .9  .5  .1  0
 *   expensive      0   .3  .7  1
 *   too_expensive  0   .1  .4  .8
 * PMC: too_cheap - (1 - cheap) = .5 at 10, -.3 at 20 -> 10 + .5/.8 x 10 = 16.25
 * OPP: too_cheap - too_expensive = .1 at 20, -.4 at 30 -> 20 + .1/.5 x 10 = 22
 * IPP: cheap - expensive = .2 at 20, -.6 at 30 -> 20 + .2/.8 x 10 = 22.5
 * PME: (1 - expensive) - too_expensive = .6 at 20, -.1 at 30
 *      -> 20 + .6/.7 x 10 = 28.571428... */
static const double P[4] = {10, 20, 30, 40};
static const double TC[4] = {.6, .2, 0, 0}, C[4] = {.9, .5, .1, 0}, E[4] = {0, .3, .7, 1}, TE[4] = {0, .1, .4, .8};

static void test_vw_figures_by_hand(void **state)
{
    (void)state;
    wtp_vw vw;
    ts_error e;
    ts_error_clear(&e);
    assert_int_equal(wtp_vw_from_curves(&vw, P, TC, C, E, TE, 4, NULL, &e), TS_OK);
    wtp_vw_points f;
    wtp_vw_figures(&vw, &f);
    assert_close(f.pmc, 16.25, 1e-12);
    assert_close(f.opp, 22.0, 1e-12);
    assert_close(f.ipp, 22.5, 1e-12);
    assert_close(f.pme, 20 + 60.0 / 7, 1e-12);
}

/* The WTP law S = 1 - (expensive + too_expensive)/2: the means of the two
 * curves are 0, .2, .55, .9, so S = 1, .8, .45, .1 at 10..40, linear.
 *   S(25) = (.8 + .45)/2 = .625;  quantile(.375): S = .625 -> 25
 *   mean = 1 x 10 + 10 (1 + .8)/2 + 10 (.8 + .45)/2 + 10 (.45 + .1)/2 = 28
 *   revenue p S(p): on [20, 40] S = 1.5 - .035 p, so p S peaks at
 *   p = 1.5/.07 = 150/7 with S = .75 and revenue 112.5/7 = 16.07; on
 *   [10, 20] S = 1.2 - .02 p peaks beyond 20, so its best is 16 at 20 */
static void test_vw_wtp_law(void **state)
{
    (void)state;
    wtp_vw vw;
    wtp_curve c;
    ts_error e;
    ts_error_clear(&e);
    assert_int_equal(wtp_vw_from_curves(&vw, P, TC, C, E, TE, 4, NULL, &e), TS_OK);
    assert_int_equal(wtp_vw_curve(&vw, &c, &e), TS_OK);
    assert_close(wtp_curve_survival(&c, 25), .625, 1e-12);
    assert_close(wtp_curve_survival(&c, 5), 1, 1e-12);     /* below the first price: share[0] = 1 */
    assert_close(wtp_curve_survival(&c, 41), 0, 1e-12);    /* above the last: nothing extrapolated */
    assert_close(wtp_curve_quantile(&c, .375), 25, 1e-12);
    assert_close(wtp_curve_quantile(&c, .9), 40, 1e-12);   /* the .1 who would pay 40 sit at 40 */
    assert_close(wtp_curve_mean(&c), 28, 1e-12);
    double bp, bs, br;
    wtp_curve_best_price(&c, &bp, &bs, &br);
    assert_close(bp, 150.0 / 7, 1e-6);
    assert_close(bs, .75, 1e-6);
    assert_close(br, 112.5 / 7, 1e-9);
}

/* Four respondents (too_cheap, cheap, expensive, too_expensive):
 *   (5,10,15,20) (10,15,20,25) (5,10,20,30) (10,15,25,30)
 * prices answered: 5 10 15 20 25 30; counts out of 4:
 *   too_cheap >= p   4 2 0 0 0 0       cheap >= p        4 4 2 0 0 0
 *   expensive <= p   0 0 1 3 4 4       too_expensive <= p 0 0 0 1 2 4
 * With weight 2 on the first (total 5): too_cheap(10) = (1 + 1)/5 = .4,
 * too_expensive(20) = 2/5 = .4. */
static void test_vw_from_answers(void **state)
{
    (void)state;
    const double a[4][4] = {{5, 10, 15, 20}, {10, 15, 20, 25}, {5, 10, 20, 30}, {10, 15, 25, 30}};
    const double tc[6] = {1, .5, 0, 0, 0, 0}, ch[6] = {1, 1, .5, 0, 0, 0};
    const double ex[6] = {0, 0, .25, .75, 1, 1}, te[6] = {0, 0, 0, .25, .5, 1};
    wtp_vw vw;
    ts_error e;
    ts_error_clear(&e);
    assert_int_equal(wtp_vw_from_answers(&vw, a, NULL, 4, NULL, &e), TS_OK);
    assert_int_equal(vw.n, 6);
    assert_close(vw.respondents, 4, 1e-12);
    for (int i = 0; i < 6; i++) {
        assert_close(vw.price[i], 5.0 * (i + 1), 1e-12);
        assert_close(vw.too_cheap[i], tc[i], 1e-12);
        assert_close(vw.cheap[i], ch[i], 1e-12);
        assert_close(vw.expensive[i], ex[i], 1e-12);
        assert_close(vw.too_expensive[i], te[i], 1e-12);
    }
    /* PMC: too_cheap - (1 - cheap) = .5 at 10, -.5 at 15 -> 12.5 */
    wtp_vw_points f;
    wtp_vw_figures(&vw, &f);
    assert_close(f.pmc, 12.5, 1e-12);
    const double w[4] = {2, 1, 1, 1};
    assert_int_equal(wtp_vw_from_answers(&vw, a, w, 4, NULL, &e), TS_OK);
    assert_close(vw.too_cheap[1], .4, 1e-12);
    assert_close(vw.too_expensive[3], .4, 1e-12);
}

/* Fritsch-Carlson: through the points, never rising, each piece within its
 * end values, and exact on collinear data (every tangent is the secant). */
static void test_gg_monotone(void **state)
{
    (void)state;
    const double p[5] = {5, 10, 20, 30, 40}, s[5] = {.95, .8, .5, .45, .1};
    wtp_curve c;
    ts_error e;
    ts_error_clear(&e);
    assert_int_equal(wtp_gg_curve(&c, p, s, 5, NULL, &e), TS_OK);
    for (int i = 0; i < 5; i++)
        assert_close(wtp_curve_survival(&c, p[i]), s[i], 1e-12);
    double prev = 1;
    for (int j = 0; j <= 3500; j++) {
        double x = 5 + j / 100.0, y = wtp_curve_survival(&c, x);
        assert_true(y <= prev + 1e-15);
        int k = x <= 10 ? 0 : x <= 20 ? 1 : x <= 30 ? 2 : 3;
        assert_true(y <= s[k] + 1e-15 && y >= s[k + 1] - 1e-15);
        /* the quantile inverts the survival function where it falls */
        if (y < s[0] && y > s[4] && j % 50 == 0 && y < prev - 1e-9)
            assert_close(wtp_curve_quantile(&c, 1 - y), x, 1e-9);
        prev = y;
    }
    /* S = 1 - p/50 sampled at 10..40: p S(p) = p - p^2/50 peaks at p = 25
     * with S = .5 and revenue 12.5; mean = .8 x 10 + [p - p^2/100] from 10
     * to 40 = 8 + 24 - 9 = 23 */
    const double lp[4] = {10, 20, 30, 40}, ls[4] = {.8, .6, .4, .2};
    assert_int_equal(wtp_gg_curve(&c, lp, ls, 4, NULL, &e), TS_OK);
    assert_close(wtp_curve_survival(&c, 17), 1 - 17.0 / 50, 1e-12);
    double bp, bs, br;
    wtp_curve_best_price(&c, &bp, &bs, &br);
    assert_close(bp, 25, 1e-6);
    assert_close(bs, .5, 1e-6);
    assert_close(br, 12.5, 1e-9);
    assert_close(wtp_curve_mean(&c), 23, 1e-12);
}

/* Draws U -> quantile(U) have the curve's mean, within 4 standard errors. */
static void test_quantile_draws(void **state)
{
    (void)state;
    const double p[5] = {5, 10, 20, 30, 40}, s[5] = {.95, .8, .5, .45, .1};
    wtp_curve c;
    ts_error e;
    ts_error_clear(&e);
    assert_int_equal(wtp_gg_curve(&c, p, s, 5, NULL, &e), TS_OK);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 12);
    int n = test_draws(200000);
    double sum = 0, sum2 = 0;
    for (int i = 0; i < n; i++) {
        double x = wtp_curve_quantile(&c, gsl_rng_uniform(r));
        sum += x;
        sum2 += x * x;
    }
    gsl_rng_free(r);
    double m = sum / n, var = sum2 / n - m * m;
    assert_within_sigma(m, wtp_curve_mean(&c), sqrt(var / n), 4);
}

static void expect_bad(int rc, const ts_error *e, const char *words, int line, int column)
{
    assert_int_equal(rc, TS_ERR_INPUT);
    if (!strstr(e->message, words)) {
        print_error("message '%s' lacks '%s'\n", e->message, words);
        fail();
    }
    assert_int_equal(e->line, line);
    assert_int_equal(e->column, column);
}

static void test_bad_input(void **state)
{
    (void)state;
    int line[4][WTP_FIELDS], col[4][WTP_FIELDS];
    for (int i = 0; i < 4; i++)
        for (int f = 0; f < WTP_FIELDS; f++) {
            line[i][f] = i + 2;
            col[i][f] = 1 + 5 * f;
        }
    wtp_loc loc = {"s.csv", (const int (*)[WTP_FIELDS])line, (const int (*)[WTP_FIELDS])col};
    wtp_vw vw;
    wtp_curve c;
    ts_error e;
    /* too cheap above cheap at 20 (.6 > .5); every curve itself monotone */
    const double tc[4] = {.6, .6, 0, 0};
    ts_error_clear(&e);
    expect_bad(wtp_vw_from_curves(&vw, P, tc, C, E, TE, 4, &loc, &e), &e, "'too_cheap' 0.6 is above 'cheap' 0.5",
               3, 6);
    assert_string_equal(e.source, "s.csv");
    /* 'cheap' rising */
    const double ch[4] = {.9, .95, .1, 0};
    ts_error_clear(&e);
    expect_bad(wtp_vw_from_curves(&vw, P, TC, ch, E, TE, 4, &loc, &e), &e, "share of 'cheap' rises from 0.9 at price 10 to 0.95 at price 20", 3, 11);
    /* a share above 1 */
    const double ex[4] = {0, .3, .7, 1.2};
    ts_error_clear(&e);
    expect_bad(wtp_vw_from_curves(&vw, P, TC, C, ex, TE, 4, &loc, &e), &e, "outside [0, 1]", 5, 16);
    /* prices out of order */
    const double p[4] = {10, 30, 20, 40};
    ts_error_clear(&e);
    expect_bad(wtp_vw_from_curves(&vw, p, TC, C, E, TE, 4, &loc, &e), &e, "expected prices in increasing order", 4,
               1);
    /* Gabor-Granger shares rising with the price, and above 1 */
    const double gs[4] = {.8, .6, .7, .2}, gs1[4] = {1.1, .6, .4, .2};
    ts_error_clear(&e);
    expect_bad(wtp_gg_curve(&c, P, gs, 4, &loc, &e), &e, "gabor-granger share rises from 0.6 at price 20 to 0.7 at price 30: expected shares that fall", 4, 6);
    ts_error_clear(&e);
    expect_bad(wtp_gg_curve(&c, P, gs1, 4, &loc, &e), &e, "gabor-granger share 1.1 at price 10 is outside [0, 1]", 2, 6);
    /* a respondent whose 'cheap' is below its 'too cheap' */
    const double a[2][4] = {{5, 10, 15, 20}, {12, 10, 20, 25}};
    ts_error_clear(&e);
    expect_bad(wtp_vw_from_answers(&vw, a, NULL, 2, &loc, &e), &e, "'cheap' 10 is below 'too_cheap' 12", 3, 11);
    /* a single price point is not a curve */
    ts_error_clear(&e);
    expect_bad(wtp_gg_curve(&c, P, gs, 1, NULL, &e), &e, "gives 1 price: expected 2 to", 0, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vw_figures_by_hand), cmocka_unit_test(test_vw_wtp_law),
        cmocka_unit_test(test_vw_from_answers),    cmocka_unit_test(test_gg_monotone),
        cmocka_unit_test(test_quantile_draws),     cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests_name("wtp_survey", tests, NULL, NULL);
}
