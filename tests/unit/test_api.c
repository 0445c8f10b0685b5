/* test_api.c: the public API (include/tokensim.h), seen as a user sees it:
 * this file includes no internal header.
 *
 *  - figures against hand calculations: 100 customers on a $10 plan for 3
 *    months bill exactly $3,000; $0.50 of infrastructure a customer-month
 *    is $150; 10 interactions a customer-month at $0.002 (1,000 input
 *    tokens at $1/Mtok and 500 output at $2/Mtok) cost $6 in expectation;
 *    cost, gross profit and margin follow from those by their definitions;
 *  - reentrancy: two scenarios from two different strings, loaded together,
 *    changed and run interleaved, then run at the same time on two threads,
 *    each give bit for bit the figures of that scenario run alone;
 *  - the options (replications, seed) equal the same changes made with
 *    ts_scenario_set, and a file equals its text; progress counts every
 *    replication once, and an output folder gets the run's files;
 *  - errors: where and what, for a bad key, a bad change, a missing file,
 *    bad options and a stop request. */
#include "testutil.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "include/tokensim.h"

static const char *const text_a =
    "name: api test a\n"
    "horizon_months: 3\n"
    "replications: 8\n"
    "seed: 7\n"
    "prices:\n"
    "  models:\n"
    "    - { name: m, input_per_mtok: 1, output_per_mtok: 2 }\n"
    "customers: { initial: 100 }\n"
    "usage: { distribution: constant, value: 10 }\n"
    "features:\n"
    "  - name: chat\n"
    "    model: m\n"
    "    tokens: { user: 1000, output: 500 }\n"
    "plans:\n"
    "  - { name: basic, price: 10 }\n"
    "  - { name: plus, price: 25 }\n"
    "costs: { infra_per_customer_month: 0.5 }\n";

/* Another product altogether: a power law, arrivals and churn, a year. */
static const char *const text_b =
    "name: api test b\n"
    "horizon_months: 12\n"
    "replications: 10\n"
    "seed: 2024\n"
    "prices:\n"
    "  models:\n"
    "    - { name: small, input_per_mtok: 0.25, output_per_mtok: 1.25 }\n"
    "    - { name: big, input_per_mtok: 3, output_per_mtok: 15 }\n"
    "customers: { initial: 300, new_per_month: 40, churn_monthly: 0.04 }\n"
    "usage: { distribution: pareto, alpha: 1.4, min: 5, cap: 2000 }\n"
    "features:\n"
    "  - name: ask\n"
    "    routes: [ { model: small, share: 0.8 }, { model: big, share: 0.2 } ]\n"
    "    tokens: { system: 800, user: 300, output: 400 }\n"
    "plans:\n"
    "  - { name: flat, price: 20 }\n"
    "  - { name: metered, type: usage, unit_price: 0.05 }\n";

/* Every figure of a run, to compare runs bit for bit. */
typedef struct figures_all {
    int nplans, nmonths;
    ts_figures horizon[4];
    ts_figures month[4][12];
} figures_all;

static ts_scenario *load(const char *text, const char *name)
{
    ts_error e;
    ts_error_clear(&e);
    ts_scenario *sc = NULL;
    int rc = ts_scenario_load_string(text, name, &sc, &e);
    if (rc)
        print_error("%s\n", e.message);
    assert_int_equal(rc, TS_OK);
    assert_non_null(sc);
    return sc;
}

static void collect(const ts_result *r, figures_all *f)
{
    memset(f, 0, sizeof *f);
    f->nplans = ts_result_plans(r);
    f->nmonths = ts_result_months(r);
    assert_true(f->nplans <= 4 && f->nmonths <= 12);
    for (int p = 0; p < f->nplans; p++) {
        assert_int_equal(ts_result_plan(r, p, &f->horizon[p]), TS_OK);
        for (int m = 0; m < f->nmonths; m++)
            assert_int_equal(ts_result_month(r, p, m, &f->month[p][m]), TS_OK);
    }
}

static void run(const ts_scenario *sc, const ts_run_options *o, figures_all *f)
{
    ts_error e;
    ts_error_clear(&e);
    ts_result *r = NULL;
    int rc = ts_run(sc, o, &r, &e);
    if (rc)
        print_error("%s\n", e.message);
    assert_int_equal(rc, TS_OK);
    collect(r, f);
    ts_result_free(r);
}

/* Bit for bit, NaNs included. */
static bool same_estimate(const ts_estimate *a, const ts_estimate *b)
{
    const double x[] = { a->mean, a->sd, a->se, a->ci_lo, a->ci_hi, a->p5, a->p25, a->p50, a->p75, a->p95 };
    const double y[] = { b->mean, b->sd, b->se, b->ci_lo, b->ci_hi, b->p5, b->p25, b->p50, b->p75, b->p95 };
    return a->n == b->n && memcmp(x, y, sizeof x) == 0;
}

static bool same_figures(const ts_figures *a, const ts_figures *b)
{
    return same_estimate(&a->revenue, &b->revenue) && same_estimate(&a->cost, &b->cost)
           && same_estimate(&a->inference_cost, &b->inference_cost) && same_estimate(&a->other_cost, &b->other_cost)
           && same_estimate(&a->gross_profit, &b->gross_profit) && same_estimate(&a->margin, &b->margin);
}

static bool same_run(const figures_all *a, const figures_all *b)
{
    if (a->nplans != b->nplans || a->nmonths != b->nmonths)
        return false;
    for (int p = 0; p < a->nplans; p++) {
        if (!same_figures(&a->horizon[p], &b->horizon[p]))
            return false;
        for (int m = 0; m < a->nmonths; m++)
            if (!same_figures(&a->month[p][m], &b->month[p][m]))
                return false;
    }
    return true;
}

/* The scenario's run in a process of its own would give this: load, run,
 * free, nothing else loaded meanwhile. */
static void alone(const char *text, const char *name, figures_all *f)
{
    ts_scenario *sc = load(text, name);
    run(sc, NULL, f);
    ts_scenario_free(sc);
}

static void test_figures_by_hand(void **state)
{
    (void)state;
    ts_scenario *sc = load(text_a, "a.yaml");
    assert_string_equal(ts_scenario_name(sc), "api test a");
    assert_int_equal(ts_scenario_plans(sc), 2);
    assert_string_equal(ts_scenario_plan_name(sc, 1), "plus");
    assert_null(ts_scenario_plan_name(sc, 2));
    assert_int_equal(ts_scenario_months(sc), 3);
    assert_int_equal(ts_scenario_replications(sc), 8);
    assert_true(ts_scenario_seed(sc) == 7);

    ts_run_options o;
    ts_run_options_init(&o);
    o.threads = 2;
    ts_error e;
    ts_error_clear(&e);
    ts_result *r = NULL;
    assert_int_equal(ts_run(sc, &o, &r, &e), TS_OK);
    assert_int_equal(ts_result_plans(r), 2);
    assert_string_equal(ts_result_plan_name(r, 0), "basic");
    assert_null(ts_result_plan_name(r, -1));
    assert_int_equal(ts_result_months(r), 3);
    assert_int_equal(ts_result_replications(r), 8);
    assert_true(ts_result_seed(r) == 7);
    assert_true(ts_result_hash(r) == ts_scenario_hash(sc));

    const double price[2] = { 10, 25 };
    for (int p = 0; p < 2; p++) {
        ts_figures f;
        assert_int_equal(ts_result_plan(r, p, &f), TS_OK);
        /* 100 customers x price x 3 months, the same in every replication */
        assert_int_equal(f.revenue.n, 8);
        assert_true(f.revenue.mean == 300 * price[p]);
        assert_true(f.revenue.ci_lo == 300 * price[p] && f.revenue.ci_hi == 300 * price[p]);
        assert_true(f.revenue.p5 == 300 * price[p] && f.revenue.p95 == 300 * price[p]);
        /* 100 x $0.50 x 3 */
        assert_close(f.other_cost.mean, 150, 1e-12);
        /* 100 x 10 x 3 interactions at $0.002 */
        assert_within_sigma(f.inference_cost.mean, 6.0, f.inference_cost.se, 4);
        assert_true(f.inference_cost.se > 0);
        assert_true(f.inference_cost.ci_lo < f.inference_cost.mean && f.inference_cost.mean < f.inference_cost.ci_hi);
        assert_true(f.inference_cost.p5 <= f.inference_cost.p50 && f.inference_cost.p50 <= f.inference_cost.p95);
        /* the definitions: cost = inference + other, profit = revenue - cost,
         * margin = profit / revenue, linear here as revenue is constant */
        assert_close(f.cost.mean, f.inference_cost.mean + f.other_cost.mean, 1e-12);
        assert_close(f.cost.se, f.inference_cost.se, 1e-9);
        assert_close(f.gross_profit.mean, f.revenue.mean - f.cost.mean, 1e-12);
        assert_close(f.margin.mean, 100 * f.gross_profit.mean / f.revenue.mean, 1e-12);
        assert_close(f.margin.p95, 100 * f.gross_profit.p95 / f.revenue.mean, 1e-12);
        double inference = 0;
        for (int m = 0; m < 3; m++) {
            ts_figures fm;
            assert_int_equal(ts_result_month(r, p, m, &fm), TS_OK);
            assert_true(fm.revenue.mean == 100 * price[p]);
            assert_close(fm.other_cost.mean, 50, 1e-12);
            assert_close(fm.cost.mean, fm.inference_cost.mean + fm.other_cost.mean, 1e-12);
            inference += fm.inference_cost.mean;
        }
        assert_close(inference, f.inference_cost.mean, 1e-12);
    }
    ts_figures untouched = { .revenue = { .n = -1 } };
    assert_int_equal(ts_result_plan(r, 2, &untouched), TS_ERR_INPUT);
    assert_int_equal(ts_result_month(r, 0, 3, &untouched), TS_ERR_INPUT);
    assert_int_equal(ts_result_month(r, 0, -1, &untouched), TS_ERR_INPUT);
    assert_int_equal(untouched.revenue.n, -1);
    ts_result_free(r);
    ts_scenario_free(sc);
}

static void test_interleaved(void **state)
{
    (void)state;
    static figures_all ref_a, ref_b, got;
    alone(text_a, "a.yaml", &ref_a);
    alone(text_b, "b.yaml", &ref_b);
    /* the two differ, so a mix-up would show */
    assert_false(same_run(&ref_a, &ref_b));

    ts_scenario *a = load(text_a, "a.yaml");
    ts_scenario *b = load(text_b, "b.yaml");
    run(b, NULL, &got);
    assert_true(same_run(&got, &ref_b));
    run(a, NULL, &got);
    assert_true(same_run(&got, &ref_a));
    /* a change of b (and back) between two runs of a */
    ts_error e;
    ts_error_clear(&e);
    assert_int_equal(ts_scenario_set(b, "plans.flat.price=30", &e), TS_OK);
    run(b, NULL, &got);
    assert_false(same_run(&got, &ref_b));
    run(a, NULL, &got);
    assert_true(same_run(&got, &ref_a));
    assert_int_equal(ts_scenario_set(b, "plans.flat.price=20", &e), TS_OK);
    run(b, NULL, &got);
    assert_true(same_run(&got, &ref_b));
    ts_scenario_free(a);
    run(b, NULL, &got);
    assert_true(same_run(&got, &ref_b));
    ts_scenario_free(b);
}

typedef struct job {
    const char *text, *name;
    figures_all f;
} job;

static void *job_run(void *arg)
{
    job *j = arg;
    ts_scenario *sc = NULL;
    ts_error e;
    ts_error_clear(&e);
    if (ts_scenario_load_string(j->text, j->name, &sc, &e) == TS_OK) {
        ts_run_options o = { .threads = 2 };
        ts_result *r = NULL;
        /* several rounds, so that the two threads' runs overlap */
        for (int k = 0; k < 3; k++) {
            if (ts_run(sc, &o, &r, &e) != TS_OK)
                break;
            collect(r, &j->f);
            ts_result_free(r);
        }
    }
    ts_scenario_free(sc);
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    static figures_all ref_a, ref_b;
    static job ja, jb;
    alone(text_a, "a.yaml", &ref_a);
    alone(text_b, "b.yaml", &ref_b);
    ja = (job){ .text = text_a, .name = "a.yaml" };
    jb = (job){ .text = text_b, .name = "b.yaml" };
    pthread_t ta, tb;
    assert_int_equal(pthread_create(&ta, NULL, job_run, &ja), 0);
    assert_int_equal(pthread_create(&tb, NULL, job_run, &jb), 0);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    assert_true(same_run(&ja.f, &ref_a));
    assert_true(same_run(&jb.f, &ref_b));
}

static void test_options(void **state)
{
    (void)state;
    static figures_all ref, got, other;
    ts_scenario *a = load(text_a, "a.yaml");
    run(a, NULL, &ref);
    /* the scenario's own seed and count, given as options: the same run */
    ts_run_options o = { .replications = 8, .seed_set = true, .seed = 7, .threads = 1 };
    run(a, &o, &got);
    assert_true(same_run(&got, &ref));

    ts_error e;
    ts_error_clear(&e);
    ts_result *r = NULL;
    o = (ts_run_options){ .replications = 5, .seed_set = true, .seed = 8 };
    assert_int_equal(ts_run(a, &o, &r, &e), TS_OK);
    assert_int_equal(ts_result_replications(r), 5);
    assert_true(ts_result_seed(r) == 8);
    uint64_t hash = ts_result_hash(r);
    collect(r, &got);
    ts_result_free(r);
    assert_false(same_run(&got, &ref));
    /* options are the changes replications=5, seed=8 */
    assert_int_equal(ts_scenario_set(a, "replications=5", &e), TS_OK);
    assert_int_equal(ts_scenario_set(a, "seed=8", &e), TS_OK);
    assert_true(ts_scenario_hash(a) == hash);
    run(a, NULL, &other);
    assert_true(same_run(&got, &other));
    ts_scenario_free(a);

    /* a file is its text */
    char path[] = "/tmp/tokensim-test-api-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text_a, strlen(text_a)), (ssize_t)strlen(text_a));
    close(fd);
    ts_scenario *f = NULL;
    assert_int_equal(ts_scenario_load_file(path, &f, &e), TS_OK);
    unlink(path);
    run(f, NULL, &got);
    assert_true(same_run(&got, &ref));
    ts_scenario_free(f);
}

typedef struct counter {
    int calls, last_done, total;
} counter;

static void count_progress(void *ctx, int done, int total)
{
    counter *c = ctx;
    c->calls++;
    c->last_done = done > c->last_done ? done : c->last_done;
    c->total = total;
}

/* Progress reports every replication once; out_dir gets the run's files. */
static void test_progress_and_files(void **state)
{
    (void)state;
    char dir[] = "/tmp/tokensim-test-api-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char out[128];
    snprintf(out, sizeof out, "%s/run", dir);
    counter c = { 0 };
    ts_run_options o = { .progress = count_progress, .progress_ctx = &c, .out_dir = out, .threads = 2 };
    ts_scenario *sc = load(text_a, "a.yaml");
    ts_error e;
    ts_error_clear(&e);
    ts_result *r = NULL;
    assert_int_equal(ts_run(sc, &o, &r, &e), TS_OK);
    assert_int_equal(c.calls, 8);
    assert_int_equal(c.last_done, 8);
    assert_int_equal(c.total, 8);
    const char *files[] = { "summary.json", "monthly.csv", "segments.csv", "replications.csv", "report.md",
                            "report.html" };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[256];
        snprintf(path, sizeof path, "%s/%s", out, files[i]);
        FILE *f = fopen(path, "r");
        assert_non_null(f);
        assert_true(fgetc(f) != EOF);
        fclose(f);
        unlink(path);
    }
    rmdir(out);
    rmdir(dir);
    ts_result_free(r);
    ts_scenario_free(sc);
}

static void test_errors(void **state)
{
    (void)state;
    ts_error e;
    ts_error_clear(&e);
    ts_scenario *sc = (ts_scenario *)&e;   /* anything but NULL: a failed load sets NULL */
    const char *bad = "name: bad\nhorizon_months: 3\nusage: { distribution: constant, valeu: 10 }\n";
    assert_int_equal(ts_scenario_load_string(bad, "bad.yaml", &sc, &e), TS_ERR_INPUT);
    assert_null(sc);
    assert_int_equal(e.code, TS_ERR_INPUT);
    assert_string_equal(e.source, "bad.yaml");
    assert_int_equal(e.line, 3);
    /* the column of 'valeu' in its line, counted from 1 */
    assert_int_equal(e.column, (int)(strstr(bad, "valeu") - strstr(bad, "usage:")) + 1);
    assert_non_null(strstr(e.message, "'usage.valeu'"));
    assert_non_null(strstr(e.message, "did you mean 'usage.value'?"));
    char msg[1200];
    int n = ts_error_format(&e, msg, sizeof msg);
    assert_int_equal(n, (int)strlen(msg));
    assert_true(!strncmp(msg, "bad.yaml:3:34: unknown key", 26));

    /* a bad change leaves the scenario as it was */
    static figures_all ref, got;
    sc = load(text_a, "a.yaml");
    run(sc, NULL, &ref);
    ts_error_clear(&e);
    assert_int_equal(ts_scenario_set(sc, "usage.alfa=2", &e), TS_ERR_INPUT);
    assert_string_equal(e.source, "usage.alfa=2");
    assert_non_null(strstr(e.message, "did you mean 'usage.alpha'?"));
    ts_error_clear(&e);
    assert_int_equal(ts_scenario_set(sc, "customers.churn_monthly=2", &e), TS_ERR_INPUT);
    run(sc, NULL, &got);
    assert_true(same_run(&got, &ref));

    /* options out of range, and a stop requested before the run */
    ts_result *r = (ts_result *)&e;
    ts_run_options o = { .replications = -1 };
    ts_error_clear(&e);
    assert_int_equal(ts_run(sc, &o, &r, &e), TS_ERR_INPUT);
    assert_null(r);
    o.replications = 100001;
    ts_error_clear(&e);
    assert_int_equal(ts_run(sc, &o, &r, &e), TS_ERR_INPUT);
    assert_non_null(strstr(e.message, "replications"));
    volatile sig_atomic_t stop = 1;
    o = (ts_run_options){ .stop = &stop };
    ts_error_clear(&e);
    assert_int_equal(ts_run(sc, &o, &r, &e), TS_ERR_INTERRUPTED);
    assert_null(r);
    ts_scenario_free(sc);

    ts_error_clear(&e);
    assert_int_equal(ts_scenario_load_file("/nonexistent/tokensim.yaml", &sc, &e), TS_ERR_INPUT);
    assert_null(sc);
    assert_non_null(strstr(e.message, "cannot open scenario"));
    ts_scenario_free(NULL);
    ts_result_free(NULL);
    assert_true(strlen(ts_version()) >= 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_figures_by_hand),
        cmocka_unit_test(test_interleaved),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_options),
        cmocka_unit_test(test_progress_and_files),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
