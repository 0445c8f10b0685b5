/* fuzz_scenario.c: libFuzzer harness for the scenario loader. Any input
 * must end in TS_OK or an error with a message: no crash, no hang, no leak.
 * `make fuzz` runs it for FUZZ_SECONDS (default 60) from the scenarios and
 * the corrupted files as seeds. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sim/scenario/scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static scenario s;
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = 0;
    ts_error e;
    ts_error_clear(&e);
    const char *sets[] = { "usage.alpha=1.5" };
    if (scenario_load_string(&s, text, "fuzz.yaml", NULL, 0, &e) != TS_OK && e.message[0] == 0)
        abort();            /* an error must say what it is */
    ts_error_clear(&e);
    (void)scenario_load_string(&s, text, "fuzz.yaml", sets, 1, &e);
    free(text);
    return 0;
}
