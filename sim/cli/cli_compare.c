/* cli_compare.c: `tokensim compare A.yaml B.yaml [C.yaml ...]`, the plans of
 * several scenario files side by side (sim/analysis/cmpfiles.h). One file
 * is `compare` as it always was (main.c). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "sim/analysis/cmpfiles.h"

int cmd_compare_files(cli *c)
{
    if (c->replication || c->opt[O_PRECISION])
        return cli_usage_error("option '%s' does not apply to 'tokensim compare' across files%s",
                               c->replication ? "--replication" : "--precision", "");
    const char *files[CMPF_MAX_FILES];
    int n = 0;
    files[n++] = c->file;
    for (int i = 0; i < c->nfiles; i++) {
        if (n == CMPF_MAX_FILES)
            return cli_usage_error("too many scenario files: at most %s%s", "8", "");
        files[n++] = c->files[i];
    }
    char outdir[4096];
    cli_out_dir(c, "-compare", outdir, sizeof outdir);
    cmpf_result *r = calloc(1, sizeof *r);
    if (!r) {
        ts_error e;
        ts_error_set(&e, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory");
        return cli_fail(&e);
    }
    outset os;
    int rc = cli_outset_begin(outdir, &os);
    if (rc >= 0) {
        free(r);
        return rc;
    }
    cli_catch_signals();
    ts_error err;
    ts_error_clear(&err);
    if ((rc = cmpf_run(files, n, c->sets, c->nsets, c->threads, &stop_flag, r, &err))) {
        outset_abort(&os);
        free(r);
        return cli_outset_fail(outdir, rc, &err);
    }
    char *texts[2] = { cmpf_csv(r), cmpf_json(r) };
    const char *names[2] = { "compare.csv", "summary.json" };
    rc = cli_write_files(os.staging, names, texts, 2, &err);
    rc = cli_outset_end(&os, rc, &err);
    if (rc == TS_OK && !c->quiet) {
        if (c->json)
            puts(texts[1]);
        else {
            cmpf_print(stdout, r);
            printf("wrote %s/compare.csv, summary.json\n", outdir);
        }
    }
    free(texts[0]);
    free(texts[1]);
    cmpf_free(r);
    free(r);
    if (rc)
        return cli_outset_fail(outdir, rc, &err);
    return TS_EXIT_OK;
}
