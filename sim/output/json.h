/* json.h: the one JSON writer layer of tokensim, on cJSON, used by every
 * command that writes JSON (summary.json of run, compare, stress, tornado,
 * solve, quota and optimize; exercise.json).
 *
 * cJSON builds the tree and escapes every string (quotes, backslashes,
 * control characters), so names from the scenario come back exactly. These
 * helpers add what tokensim's files share: numbers that may not be finite
 * (written as null), the provenance object, and the rendering of a tree to
 * text. Building never fails loudly: cJSON drops what it cannot allocate,
 * and json_text_take returns NULL when the text cannot be made. */
#ifndef TS_JSON_H
#define TS_JSON_H

#include <cjson/cJSON.h>

#include "report.h"

/* Adds o[key] = v, or null when v is not finite. */
void json_number_add(cJSON *o, const char *key, double v);

/* A number item, or a null item when v is not finite (to put in an array). */
cJSON *json_number_create(double v);

/* A statistic as every one in summary.json: { mean, se, ci95: [lo, hi],
 * p5, p25, p50, p75, p95, n } (defined in outputs.c). */
cJSON *json_stat(const ts_stat *st);

/* Adds root["provenance"] = { tokensim_version, scenario_file,
 * scenario_hash, seed, replications } and returns it for more members
 * (NULL when out of memory). */
cJSON *json_provenance_add(cJSON *root, const provenance *pv);

/* The version of the layout of summary.json and provenance.json (docs/outputs.md):
 * raised when a member is renamed, removed or changes meaning, not when one is added. */
#define OUTPUTS_SCHEMA_VERSION 1

/* A new document's root: an object holding only schema_version, which every
 * JSON file and --json output of tokensim opens with (docs/schemas/). NULL
 * when out of memory; the caller owns it (json_text_take frees it). */
cJSON *json_document_create(void);

/* provenance.json for a command's CSVs: { schema_version, provenance }
 * (caller frees; NULL when out of memory). */
char *json_provenance_text(const provenance *pv);

/* The tree as indented text (caller frees with free()), and the tree
 * deleted. NULL when out of memory or root is NULL. */
char *json_text_take(cJSON *root);

#endif
