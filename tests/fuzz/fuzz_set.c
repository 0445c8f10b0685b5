/* fuzz_set.c: libFuzzer harness for --set values. Each line of the input
 * is one `--set path=value` (at most 4) applied to a real scenario
 * (TS_FUZZ_SCENARIO, default scenarios/default.yaml, read once): the load
 * must end in TS_OK or an error with a message, never a crash or a leak. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/core/fileio.h"
#include "sim/scenario/scenario.h"
#include "sim/scenario/ytree.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *base;

static const char *base_text(void)
{
    if (!base) {
        const char *path = getenv("TS_FUZZ_SCENARIO") ? getenv("TS_FUZZ_SCENARIO") : "scenarios/default.yaml";
        size_t len;
        if (!(base = ts_file_read(path, &len))) {
            fprintf(stderr, "fuzz_set: cannot read %s (run from the project's top folder)\n", path);
            abort();
        }
    }
    return base;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static scenario s;
    const char *text = base_text();
    /* a command-line argument ends at a nul byte */
    char *args = strndup((const char *)data, size);
    if (!args)
        return 0;
    const char *sets[4];
    int n = 0;
    char *save = NULL;
    for (char *a = strtok_r(args, "\n", &save); a && n < 4; a = strtok_r(NULL, "\n", &save))
        sets[n++] = a;
    ts_error e;
    ts_error_clear(&e);
    if (scenario_load_string(&s, text, "fuzz.yaml", sets, n, &e) != TS_OK && e.message[0] == 0)
        abort();
    free(args);
    ytree_forget_sources();     /* each input's --set sources would stay otherwise */
    return 0;
}
