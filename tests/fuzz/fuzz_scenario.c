/* fuzz_scenario.c: libFuzzer harness for the scenario loader. Any input
 * must end in TS_OK or an error with a message: no crash, no hang, no leak.
 * A scenario it accepts, written back as YAML (`tokensim show`), must also
 * load again to the same hash (TS_FUZZ_RELOAD=0 turns that check off, to
 * look for crashes alone). `make fuzz` runs it from tests/fuzz/corpus_scenario,
 * the scenarios and the corrupted files as seeds; `make fuzz-smoke` briefly. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/scenario/scenario.h"
#include "sim/scenario/ytree.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static scenario s, again;
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = 0;
    ts_error e;
    ts_error_clear(&e);
    const char *sets[] = { "usage.alpha=1.5" };
    if (scenario_load_string(&s, text, "fuzz.yaml", NULL, 0, &e) != TS_OK) {
        if (e.message[0] == 0)
            abort();            /* an error must say what it is */
    } else if (!getenv("TS_FUZZ_RELOAD") || strcmp(getenv("TS_FUZZ_RELOAD"), "0")) {
        char *shown = NULL;
        size_t n = 0;
        FILE *f = open_memstream(&shown, &n);
        if (f) {
            scenario_write(f, &s);
            fclose(f);
            ts_error_clear(&e);
            if (scenario_load_string(&again, shown, "shown.yaml", NULL, 0, &e) != TS_OK || again.hash != s.hash) {
                fprintf(stderr, "fuzz_scenario: the written scenario does not reload: %s\n%s\n", e.message, shown);
                abort();
            }
            free(shown);
        }
    }
    ts_error_clear(&e);
    (void)scenario_load_string(&s, text, "fuzz.yaml", sets, 1, &e);
    free(text);
    ytree_forget_sources();     /* each input's --set sources would stay otherwise */
    return 0;
}
