/* test_output.c: the CSV writer (RFC 4180 by hand: which fields are
 * quoted, doubled quotes, empty non-finite numbers, the escaped provenance
 * comment) and the JSON layer (null for non-finite numbers, the provenance
 * object, strings escaped by cJSON). Expected texts are written out from
 * the rules in csv.h and RFC 4180 / RFC 8259, not copied from the program. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/core/fileio.h"
#include "sim/output/csv.h"
#include "sim/output/doc.h"
#include "sim/output/json.h"

static char *finish(csv_writer *w)
{
    size_t len = 0;
    char *t = csv_finish(w, &len);
    assert_non_null(t);
    assert_int_equal(len, strlen(t));
    return t;
}

static void test_csv_quotes_only_what_must_be(void **state)
{
    (void)state;
    csv_writer w;
    assert_true(csv_begin(&w));
    csv_text(&w, "plain");
    csv_text(&w, "a,b");
    csv_text(&w, "say \"hi\"");
    csv_text(&w, "two\nlines");
    csv_text(&w, "cr\r");
    csv_text(&w, "");
    csv_row_end(&w);
    char *t = finish(&w);
    assert_string_equal(t, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\r\",\n");
    free(t);
}

static void test_csv_names_always_quoted(void **state)
{
    (void)state;
    csv_writer w;
    assert_true(csv_begin(&w));
    csv_name(&w, "starter");
    csv_name(&w, "a\"b, c");
    csv_int(&w, -3);
    csv_row_end(&w);
    csv_name(&w, "x,y");
    csv_row_end(&w);
    char *t = finish(&w);
    assert_string_equal(t, "\"starter\",\"a\"\"b, c\",-3\n\"x,y\"\n");
    free(t);
}

static void test_csv_numbers(void **state)
{
    (void)state;
    csv_writer w;
    assert_true(csv_begin(&w));
    csv_number(&w, 1.0 / 3);          /* ten significant digits */
    csv_value(&w, 1.0 / 3);           /* twelve */
    csv_number(&w, NAN);
    csv_value(&w, INFINITY);
    csv_number(&w, 1e21);
    csv_empty(&w, 2);
    csv_number(&w, 0.1);
    csv_row_end(&w);
    char *t = finish(&w);
    assert_string_equal(t, "0.3333333333,0.333333333333,,,1e+21,,,0.1\n");
    free(t);
}

static void test_json_layer(void **state)
{
    (void)state;
    provenance pv = { .version = "9.9", .scenario_file = "a\"b\n.yaml", .hash = 0xffULL, .seed = 18446744073709551615ULL,
                      .replications = 3 };
    cJSON *root = cJSON_CreateObject();
    assert_non_null(json_provenance_add(root, &pv));
    json_number_add(root, "missing", NAN);
    json_number_add(root, "half", 0.5);
    cJSON *a = cJSON_AddArrayToObject(root, "a");
    cJSON_AddItemToArray(a, json_number_create(-INFINITY));
    cJSON_AddItemToArray(a, json_number_create(2));
    char *t = json_text_take(root);
    assert_non_null(t);
    cJSON *back = cJSON_Parse(t);     /* a bare nan or inf would not parse */
    assert_non_null(back);
    const cJSON *prov = cJSON_GetObjectItemCaseSensitive(back, "provenance");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(prov, "scenario_file")->valuestring, "a\"b\n.yaml");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(prov, "scenario_hash")->valuestring, "00000000000000ff");
    /* 2^64 - 1 as text: no double holds it */
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(prov, "seed")->valuestring, "18446744073709551615");
    assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(back, "missing")));
    assert_true(cJSON_GetObjectItemCaseSensitive(back, "half")->valuedouble == 0.5);
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(back, "a");
    assert_true(cJSON_IsNull(cJSON_GetArrayItem(arr, 0)));
    assert_true(cJSON_GetArrayItem(arr, 1)->valuedouble == 2);
    cJSON_Delete(back);
    free(t);
    assert_null(json_text_take(NULL));
}

/* User text in report.md: a line break cannot end a heading, paragraph or
 * row; a tag, link brackets and backquotes are escaped; tokensim's own
 * "P(margin < 50%)" stays as written. Expected text worked by hand from
 * the rules in doc.c (md_text). */
static void test_markdown_escapes_user_text(void **state)
{
    (void)state;
    char dir[] = "/tmp/ts_md_XXXXXX";
    assert_non_null(mkdtemp(dir));
    doc d = { 0 };
    doc_text(&d, B_H1, "%s", "evil\n# <script>alert(1)</script>");
    doc_text(&d, B_P, "%s", "see [here](javascript:x) and `code`; P(margin < 50%)");
    block *t = doc_table(&d, 2, 2);
    doc_cell(&d, t, 0, 0, "plan");
    doc_cell(&d, t, 0, 1, "P(margin < 50%%)");
    doc_cell(&d, t, 1, 0, "a|b\nc");
    doc_cell(&d, t, 1, 1, "1");
    ts_error e;
    ts_error_clear(&e);
    assert_int_equal(doc_write(&d, dir, "r", &e), TS_OK);
    doc_free(&d);
    char path[64];
    snprintf(path, sizeof path, "%s/r.md", dir);
    size_t n = 0;
    char *md = ts_file_read(path, &n);
    assert_non_null(md);
    assert_non_null(strstr(md, "# evil # \\<script>alert(1)\\</script>\n\n"));
    assert_non_null(strstr(md, "see \\[here\\](javascript:x) and \\`code\\`; P(margin < 50%)\n\n"));
    assert_non_null(strstr(md, "| plan | P(margin < 50%) |\n"));
    assert_non_null(strstr(md, "| a\\|b c | 1 |\n"));
    free(md);
    snprintf(path, sizeof path, "%s/r.md", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/r.html", dir);
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_quotes_only_what_must_be),
        cmocka_unit_test(test_csv_names_always_quoted),
        cmocka_unit_test(test_csv_numbers),
        cmocka_unit_test(test_json_layer),
        cmocka_unit_test(test_markdown_escapes_user_text),
    };
    return cmocka_run_group_tests_name("output", tests, NULL, NULL);
}
