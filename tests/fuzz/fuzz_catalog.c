/* fuzz_catalog.c: libFuzzer harness for `catalog import`: any JSON text
 * must give an error with a message, or catalog YAML that loads again with
 * one entry, named, for each model the report counts. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/scenario/catalog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* the command reads the file as text: it ends at a nul byte */
    char *json = strndup((const char *)data, size);
    if (!json)
        return 0;
    ts_error e;
    ts_error_clear(&e);
    catalog_import_report rep;
    char *yaml = catalog_import_litellm(json, "fuzz.json", size % 3 ? NULL : "a", "2026-\"01\"\n", &rep, &e);
    if (!yaml) {
        if (e.message[0] == 0)
            abort();
    } else {
        ytnode *t = ytree_load_string(yaml, strlen(yaml), "imported.yaml", &e);
        const ytnode *m = t ? ytree_get(t, "models") : NULL;
        if (!m || m->kind != YT_SEQ || m->n != (size_t)rep.converted) {
            fprintf(stderr, "fuzz_catalog: the catalog does not load back (%s):\n%s\n", e.message, yaml);
            abort();
        }
        for (size_t i = 0; i < m->n; i++) {
            const ytnode *nm = ytree_get(m->items[i], "name");
            if (!nm || nm->kind != YT_SCALAR || !nm->value) {
                fprintf(stderr, "fuzz_catalog: entry %zu has no name:\n%s\n", i, yaml);
                abort();
            }
        }
        ytree_free(t);
        free(yaml);
    }
    free(json);
    ytree_forget_sources();
    return 0;
}
