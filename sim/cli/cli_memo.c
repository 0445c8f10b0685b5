/* cli_memo.c: `tokensim memo FILE`: the options and the output set; the
 * runs and the two pages are sim/analysis/memo.c's. */
#include <stdio.h>
#include <string.h>

#include "sim/analysis/memo.h"
#include "cli.h"

const char memo_help[] =
    "usage: tokensim memo FILE [options]\n"
    "\n"
    "A two-page investor memo: the base case (gross margin and gross profit\n"
    "with 95% intervals), the P5 downside, the three inputs that drive a\n"
    "plan's margin (total Sobol indices over the 'uncertain:' section, else\n"
    "the tornado's top three), the stress battery's worst shocks, unit\n"
    "economics and runway when the scenario has 'finance:', and the\n"
    "assumptions behind them. Writes memo.md and memo.html (docs/memo.md).\n"
    "\n"
    "options: --plan NAME (default: the first), --points N (Sobol base samples,\n"
    "default 16; 2 replications per evaluation), --out DIR (default:\n"
    "out/NAME-memo), --replications R, --seed S, --threads T, --set PATH=VALUE,\n"
    "--quiet\n";

static int memo(cli *c, scenario *s)
{
    ts_error err;
    ts_error_clear(&err);
    int pidx, rc0 = cli_load_plan(c, s, &pidx);
    if (rc0 >= 0)
        return rc0;
    double n;
    if (!cli_number(c, O_POINTS, 16, 1 << 20, 16, &n))
        return TS_EXIT_INPUT;
    memo_opts o = { .file = c->file, .sets = c->sets, .nsets = c->nsets, .plan = pidx, .sobol_n = (int)n,
                    .sobol_reps = s->replications < 2 ? s->replications : 2, .threads = c->threads,
                    .stop = &stop_flag, .version = TS_VERSION };
    char outdir[4096];
    cli_out_dir(c, "-memo", outdir, sizeof outdir);
    outset os;
    int rc = cli_outset_begin(outdir, &os);
    if (rc >= 0)
        return rc;
    cli_catch_signals();
    memo_result r;
    if (memo_run(s, &o, &r, &err)) {
        outset_abort(&os);
        return cli_outset_fail(outdir, err.code, &err);
    }
    rc = memo_document(s, &o, &r, os.staging, &err);
    rc = cli_outset_end(&os, rc, &err);
    if (rc == TS_OK && !c->quiet) {
        if (!r.stress_ok)
            fprintf(stderr, "tokensim: warning: the memo has no stress section: %s\n", r.stress_err.message);
        if (r.drivers == MEMO_DRIVERS_NONE)
            fprintf(stderr, "tokensim: warning: the memo has no drivers section: %s\n", r.drivers_err.message);
        printf("wrote %s/memo.md and memo.html\n", outdir);
    }
    memo_free(&r);
    return rc ? cli_outset_fail(outdir, rc, &err) : TS_EXIT_OK;
}

int cmd_memo(cli *c)
{
    return cli_with_scenario(c, memo);
}
