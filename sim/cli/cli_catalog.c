/* cli_catalog.c: `tokensim catalog`: the price catalogs the program
 * carries, and the import of a LiteLLM model-prices file. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/scenario/catalog.h"
#include "cli.h"
#include "sim/core/fileio.h"

const char catalog_help[] =
    "usage: tokensim catalog list\n"
    "       tokensim catalog show NAME\n"
    "       tokensim catalog import FILE [--out CATALOG.yaml] [--only TEXT] [--date DATE]\n"
    "\n"
    "list: the price catalogs the program carries, with their dates and models.\n"
    "show: one of them as YAML. A scenario uses one with 'prices: { catalog: NAME }'\n"
    "(or the path of a catalog file) and overrides entries under prices.models.\n"
    "import: converts a LiteLLM model-prices JSON file (USD per token, keyed by\n"
    "model name) into a catalog: input, output, cache read and write prices,\n"
    "the batch discount and long-context rates, per million tokens. Chat models\n"
    "without an input or output price, other kinds of model, and cost fields it\n"
    "does not convert (audio, images, reasoning) are reported, not guessed.\n"
    "--only keeps models whose name contains TEXT; --date stamps the catalog\n"
    "(default: undated); --out writes the file (default: standard output).\n";

static int import(int argc, char **argv)
{
    const char *file = NULL, *out = NULL, *only = NULL, *date = "undated";
    for (int i = 3; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = !strcmp(a, "--out") ? &out : !strcmp(a, "--only") ? &only : !strcmp(a, "--date") ? &date
                          : NULL;
        if (slot) {
            if (i + 1 >= argc)
                return cli_usage_error("option '%s' needs a value%s", a, "");
            *slot = argv[++i];
        } else if (a[0] == '-') {
            return cli_usage_error("unknown option '%s' for 'tokensim catalog import'%s", a, "");
        } else if (file) {
            return cli_usage_error("unexpected argument '%s'%s", a, " (one price file at a time)");
        } else {
            file = a;
        }
    }
    if (!file)
        return cli_usage_error("missing price file: 'tokensim catalog import FILE'%s%s", "", "");
    ts_error err;
    ts_error_clear(&err);
    size_t len = 0;
    char *text = ts_file_read(file, &len);
    if (!text) {
        ts_error_set(&err, TS_ERR_INPUT, NULL, 0, 0, "cannot read '%s': %s", file, strerror(errno));
        return cli_fail(&err);
    }
    catalog_import_report rep;
    char *yaml = catalog_import_litellm(text, file, only, date, &rep, &err);
    free(text);
    if (!yaml)
        return cli_fail(&err);
    int rc = TS_OK;
    if (out)
        rc = ts_file_write(out, yaml, strlen(yaml), &err);
    else
        fputs(yaml, stdout);
    free(yaml);
    if (rc)
        return cli_fail(&err);
    fprintf(stderr, "tokensim: imported %d model%s from %s%s%s\n", rep.converted, rep.converted == 1 ? "" : "s", file,
            out ? " into " : "", out ? out : "");
    if (rep.skipped_mode)
        fprintf(stderr, "tokensim: skipped %d entr%s that %s not a chat or completion model%s\n", rep.skipped_mode,
                rep.skipped_mode == 1 ? "y" : "ies", rep.skipped_mode == 1 ? "is" : "are",
                rep.skipped_mode == 1 ? "" : "s");
    if (rep.skipped_missing)
        fprintf(stderr, "tokensim: skipped %d chat model%s without an input or output price (or a name over 47 "
                        "characters): %s\n", rep.skipped_missing, rep.skipped_missing == 1 ? "" : "s", rep.missing);
    if (rep.unconverted[0])
        fprintf(stderr, "tokensim: cost fields not converted (models): %s\n", rep.unconverted);
    return TS_EXIT_OK;
}

int cmd_catalog(int argc, char **argv)
{
    const char *sub = argc > 2 ? argv[2] : NULL;
    if (!sub || !strcmp(sub, "--help") || !strcmp(sub, "-h")) {
        fputs(catalog_help, sub ? stdout : stderr);
        return sub ? TS_EXIT_OK : TS_EXIT_INPUT;
    }
    if (!strcmp(sub, "list") && argc == 3) {
        catalog_list(stdout);
        return TS_EXIT_OK;
    }
    if (!strcmp(sub, "show") && argc == 4) {
        const char *t = catalog_text(argv[3]);
        if (!t)
            return cli_usage_error("unknown catalog '%s' (see 'tokensim catalog list')%s", argv[3], "");
        fputs(t, stdout);
        return TS_EXIT_OK;
    }
    if (!strcmp(sub, "import"))
        return import(argc, argv);
    return cli_usage_error("unknown or incomplete 'tokensim catalog %s': expected list, show NAME or import FILE%s",
                           sub, "");
}
