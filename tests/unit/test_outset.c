/* test_outset.c: SHA-256 against the FIPS 180-4 example digests, and the
 * output set: staged files appear only after the commit, with a MANIFEST
 * whose lines are the digests of their contents; an abort leaves the old
 * set; a second claim on a held folder is refused; a file is refused. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/core/fileio.h"
#include "sim/core/sha256.h"
#include "sim/output/outset.h"

static void hex_of(const char *s, size_t repeat, char hex[65])
{
    ts_sha256 c;
    ts_sha256_init(&c);
    for (size_t i = 0; i < repeat; i++)
        ts_sha256_update(&c, s, strlen(s));
    ts_sha256_hex(&c, hex);
}

static void test_sha256_fips_examples(void **state)
{
    (void)state;
    char h[65];
    /* FIPS 180-4 / NIST CSRC example values */
    hex_of("abc", 1, h);
    assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    hex_of("", 1, h);
    assert_string_equal(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    hex_of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 1, h);
    assert_string_equal(h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    hex_of("a", 1000000, h);
    assert_string_equal(h, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

static char *slurp(const char *path)
{
    size_t n;
    return ts_file_read(path, &n);
}

static void put(const char *dir, const char *name, const char *text)
{
    char path[4400];
    ts_error err;
    ts_error_clear(&err);
    snprintf(path, sizeof path, "%s/%s", dir, name);
    assert_int_equal(ts_file_write(path, text, strlen(text), &err), TS_OK);
}

static void test_outset_swap_manifest_lock(void **state)
{
    (void)state;
    char root[] = "/tmp/ts_outset_XXXXXX", target[128];
    assert_non_null(mkdtemp(root));
    snprintf(target, sizeof target, "%s/set", root);
    ts_error err;
    ts_error_clear(&err);
    outset o, o2;
    assert_int_equal(outset_begin(&o, target, &err), TS_OK);
    /* held: a second claim is refused, the first goes on */
    assert_int_equal(outset_begin(&o2, target, &err), TS_ERR_RUNTIME);
    assert_non_null(strstr(err.message, "another tokensim is writing"));
    ts_error_clear(&err);
    put(o.staging, "a.csv", "abc");
    struct stat st;
    assert_int_not_equal(stat(target, &st), 0);         /* nothing visible yet */
    assert_int_equal(outset_commit(&o, NULL, &err), TS_OK);
    char path[256];
    snprintf(path, sizeof path, "%s/a.csv", target);
    char *a = slurp(path), *m;
    assert_string_equal(a, "abc");
    free(a);
    snprintf(path, sizeof path, "%s/MANIFEST", target);
    m = slurp(path);
    /* the digest of "abc" (above) and its size, 3 bytes */
    assert_non_null(strstr(m, "\nba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  a.csv\n"));
    assert_non_null(strstr(m, "\n# 3 a.csv\n"));
    free(m);
    /* an aborted set and an interrupted one leave the old one */
    volatile sig_atomic_t stop = 1;
    assert_int_equal(outset_begin(&o, target, &err), TS_OK);
    put(o.staging, "b.csv", "new");
    outset_abort(&o);
    assert_int_equal(outset_begin(&o, target, &err), TS_OK);
    put(o.staging, "b.csv", "new");
    assert_int_equal(outset_commit(&o, &stop, &err), TS_ERR_INTERRUPTED);
    snprintf(path, sizeof path, "%s/b.csv", target);
    assert_int_not_equal(stat(path, &st), 0);
    snprintf(path, sizeof path, "%s/a.csv", target);
    assert_int_equal(stat(path, &st), 0);
    /* a file where the folder should be */
    ts_error_clear(&err);
    snprintf(path, sizeof path, "%s/file", root);
    put(root, "file", "x");
    assert_int_equal(outset_begin(&o, path, &err), TS_ERR_INPUT);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256_fips_examples),
        cmocka_unit_test(test_outset_swap_manifest_lock),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
