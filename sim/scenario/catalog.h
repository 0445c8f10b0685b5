/* catalog.h: dated model price tables carried by the program
 * (models/catalog/NAME.yaml), merged into a scenario that names one, and
 * made from a LiteLLM model-prices JSON file.
 *
 * A scenario writes `prices: { catalog: 2026-03 }` (or a path to a catalog
 * file) and may list models under prices.models: an entry with a catalog
 * model's name overrides its keys, a new name adds a model. Merging happens
 * on the YAML tree before binding, so an error in a catalog entry is
 * reported at its own file, line and column. */
#ifndef TS_CATALOG_H
#define TS_CATALOG_H

#include <stdio.h>

#include "sim/core/error.h"
#include "ytree.h"

/* The text of embedded catalog `name`, or NULL. */
const char *catalog_text(const char *name);

/* Writes the embedded catalogs, one line each (name, date, models). */
void catalog_list(FILE *out);

/* If root names prices.catalog, merges that catalog's models (and date,
 * unless the scenario has one) into root. `dir` is the scenario file's
 * folder, for catalog paths relative to it. Returns TS_OK or TS_ERR_INPUT
 * (unknown catalog with the nearest name, unreadable or malformed file). */
int catalog_merge(ytnode *root, const char *dir, ts_error *err);

/* What an import found: models converted and what it could not use. */
typedef struct catalog_import_report {
    int converted;
    int skipped_mode;          /* entries that are not chat or completion models */
    int skipped_missing;       /* chat models without an input or output price */
    char missing[400];         /* their names, as many as fit */
    char unconverted[600];     /* cost fields seen but not converted, with counts */
} catalog_import_report;

/* Converts a LiteLLM model-prices JSON text (USD per token, keyed by model
 * name) into catalog YAML (caller frees). `only`, if not NULL, keeps the
 * models whose name contains it. Returns NULL and fills err (exit 2) when
 * the text is not such a file. */
char *catalog_import_litellm(const char *json, const char *source, const char *only, const char *date,
                             catalog_import_report *rep, ts_error *err);

#endif
