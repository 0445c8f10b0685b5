/* margin.c: a program that links libtokensim. It loads the scenario file
 * named on its command line, runs it 20 times (replications, with the
 * scenario's seed) and prints each plan's gross margin over the horizon
 * with its 95% interval and its P5..P95 spread across replications.
 *
 *   make && ./margin scenario.yaml
 *
 * Numbers are printed with 17 significant digits, enough to tell any two
 * doubles apart: they are those of `tokensim run FILE --replications 20`
 * to the last bit (tests/e2e/library.sh checks). */
#include <stdio.h>
#include <tokensim.h>

static int fail(const ts_error *err)
{
    char msg[1200];
    ts_error_format(err, msg, sizeof msg);
    fprintf(stderr, "margin: %s\n", msg);
    return err->code == TS_ERR_INPUT ? 2 : 1;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: margin SCENARIO.yaml\n");
        return 2;
    }
    ts_error err;
    ts_error_clear(&err);
    ts_scenario *sc;
    if (ts_scenario_load_file(argv[1], &sc, &err))
        return fail(&err);

    ts_run_options opts;
    ts_run_options_init(&opts);
    opts.replications = 20;
    ts_result *res;
    if (ts_run(sc, &opts, &res, &err)) {
        ts_scenario_free(sc);
        return fail(&err);
    }

    printf("%s: %d replications, seed %llu, %d months\n", ts_scenario_name(sc), ts_result_replications(res),
           (unsigned long long)ts_result_seed(res), ts_result_months(res));
    for (int p = 0; p < ts_result_plans(res); p++) {
        ts_figures f;
        ts_result_plan(res, p, &f);
        printf("plan %s: margin %.17g%%, 95%% interval %.17g to %.17g, P5..P95 %.17g to %.17g\n",
               ts_result_plan_name(res, p), f.margin.mean, f.margin.ci_lo, f.margin.ci_hi, f.margin.p5,
               f.margin.p95);
    }
    ts_result_free(res);
    ts_scenario_free(sc);
    return 0;
}
