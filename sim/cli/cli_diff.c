/* cli_diff.c: `tokensim diff SUMMARY_A SUMMARY_B [--json]`, what moved
 * between two runs (sim/analysis/rundiff.h). It reads two files and runs
 * nothing, so it parses its own few arguments. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "sim/analysis/rundiff.h"

const char diff_help[] =
    "usage: tokensim diff SUMMARY_A SUMMARY_B [--json]\n"
    "\n"
    "Explains what moved between two runs from their summary.json files: the\n"
    "inputs that differ (provenance; the resolved scenario key by key when\n"
    "both scenario files still resolve to the hashes the runs recorded, else\n"
    "the plans' terms and the cost of an interaction), then every plan's\n"
    "headline figures, A, B, the change B - A, the runs' combined 95%\n"
    "interval 1.96 sqrt(seA^2 + seB^2) and whether the change lies beyond it.\n"
    "\n"
    "options:\n"
    "  --json   print the difference as JSON instead of tables\n";

int cmd_diff(int argc, char **argv)
{
    const char *file[2] = { NULL, NULL };
    bool json = false;
    int nfiles = 0;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(diff_help, stdout);
            return TS_EXIT_OK;
        }
        if (!strcmp(argv[i], "--json"))
            json = true;
        else if (argv[i][0] == '-' && argv[i][1])
            return cli_usage_error("unknown option '%s'%s", argv[i], " for 'tokensim diff'");
        else if (nfiles == 2)
            return cli_usage_error("unexpected argument '%s'%s", argv[i], " (two summary files)");
        else
            file[nfiles++] = argv[i];
    }
    if (nfiles < 2)
        return cli_usage_error("missing summary file: 'tokensim diff SUMMARY_A SUMMARY_B'%s%s", "", "");
    rundiff d;
    ts_error err;
    ts_error_clear(&err);
    if (rundiff_build(file[0], file[1], &d, &err))
        return cli_fail(&err);
    if (json) {
        char *t = rundiff_json(&d);
        if (!t) {
            rundiff_free(&d);
            ts_error_set(&err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory");
            return cli_fail(&err);
        }
        puts(t);
        free(t);
    } else {
        rundiff_print(stdout, &d);
    }
    rundiff_free(&d);
    return TS_EXIT_OK;
}
