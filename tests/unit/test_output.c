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
#include "sim/engine/planswitch.h"

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

/* The plan-switch analysis on five customers whose bills are written out:
 * plan 0 charges 20 each; plan 1 charges 0, 20, 20.004, 30 and 100. The
 * changes are -20, 0, +0.004, +10, +80: two rise by more than half a cent,
 * one falls, two stay (0.004 counts as the same). Quantiles by GSL's rule
 * (position (n-1)q on the sorted changes -20, 0, 0.004, 10, 80): P5 at 0.2
 * is -20 + 0.2 x 20 = -16; P25 at 1 is 0; median at 2 is 0.004; P75 at 3
 * is 10; P95 at 3.8 is 10 + 0.8 x 70 = 66. Segments: 0 holds customers 0
 * and 1 (changes -20, 0: mean -10; interactions 2 and 4: mean 3), 1 holds
 * the rest (mean change (0.004 + 10 + 80) / 3). */
static void test_plan_switch_by_hand(void **state)
{
    (void)state;
    double bill[10] = { 20, 0, 20, 20, 20, 20.004, 20, 30, 20, 100 };
    double inter[5] = { 2, 4, 6, 50, 400 };
    unsigned char seg[5] = { 0, 0, 1, 1, 1 };
    run_result r = { 0 };
    r.nplans = 2;
    r.nsegments = 2;
    r.snap_bill = bill;
    r.snap_interactions = inter;
    r.snap_segment = seg;
    r.nsnapshot = 5;
    plan_switch *sw = NULL;
    int n = -1;
    assert_int_equal(plan_switch_build(&r, &sw, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(sw[0].to, 1);
    assert_int_equal(sw[0].customers, 5);
    const double q[5] = { -16, 0, 0.004, 10, 66 };
    for (int k = 0; k < 5; k++)
        assert_true(fabs(sw[0].q[k] - q[k]) < 1e-9);
    assert_true(fabs(sw[0].pct_more - 40) < 1e-12);
    assert_true(fabs(sw[0].pct_less - 20) < 1e-12);
    assert_true(fabs(sw[0].pct_same - 40) < 1e-12);
    assert_true(fabs(sw[0].seg[0].customers - 2) < 1e-12 && fabs(sw[0].seg[0].change + 10) < 1e-12);
    assert_true(fabs(sw[0].seg[0].interactions - 3) < 1e-12);
    assert_true(fabs(sw[0].seg[1].change - 90.004 / 3) < 1e-9);
    assert_int_equal(sw[0].nrises, 3);
    assert_true(sw[0].rises[0].to == 100 && sw[0].rises[0].interactions == 400);
    assert_true(sw[0].rises[1].to == 30 && sw[0].falls[0].to == 0 && sw[0].falls[0].segment == 0);
    plan_switch_free(sw, n);
    /* one plan, or no snapshot: no switch and nothing to free */
    r.nplans = 1;
    assert_int_equal(plan_switch_build(&r, &sw, &n), 0);
    assert_int_equal(n, 0);
    assert_null(sw);
}

/* report.html: **bold** markers become <strong> around escaped text, a
 * picture is the SVG beside the PNG as a data image (never inline <svg>),
 * the PNG where no SVG is, and the page carries its sorting script. */
static void test_html_bold_and_pictures(void **state)
{
    (void)state;
    char dir[] = "/tmp/ts_html_XXXXXX", path[96];
    assert_non_null(mkdtemp(dir));
    ts_error e;
    ts_error_clear(&e);
    snprintf(path, sizeof path, "%s/a.svg", dir);
    assert_int_equal(ts_file_write(path, "<svg/>", 6, &e), TS_OK);
    snprintf(path, sizeof path, "%s/a.png", dir);
    assert_int_equal(ts_file_write(path, "PNGA", 4, &e), TS_OK);
    snprintf(path, sizeof path, "%s/b.png", dir);
    assert_int_equal(ts_file_write(path, "PNGB", 4, &e), TS_OK);
    doc d = { .rich = true };
    doc_text(&d, B_P, "%s", "**On margin, <x> wins:** by 2");
    doc_image(&d, "a.png", "a");
    doc_image(&d, "b.png", "b");
    assert_int_equal(doc_write(&d, dir, "r", &e), TS_OK);
    doc_free(&d);
    snprintf(path, sizeof path, "%s/r.html", dir);
    size_t n = 0;
    char *html = ts_file_read(path, &n);
    assert_non_null(html);
    assert_non_null(strstr(html, "<p><strong>On margin, &lt;x&gt; wins:</strong> by 2</p>"));
    /* base64 of "<svg/>" is PHN2Zy8+ and of "PNGB" UE5HQg== (RFC 4648) */
    assert_non_null(strstr(html, "src=\"data:image/svg+xml;base64,PHN2Zy8+\""));
    assert_non_null(strstr(html, "src=\"data:image/png;base64,UE5HQg==\""));
    assert_null(strstr(html, "<svg"));
    assert_non_null(strstr(html, "<script>"));
    free(html);
    /* a plain document (stress.html, tornado.html...) keeps the PNG, the
     * markers as written and no script; base64 of "PNGA" is UE5HQQ== */
    doc p = { 0 };
    doc_text(&p, B_P, "%s", "**kept**");
    doc_image(&p, "a.png", "a");
    assert_int_equal(doc_write(&p, dir, "r", &e), TS_OK);
    doc_free(&p);
    html = ts_file_read(path, &n);
    assert_non_null(html);
    assert_non_null(strstr(html, "<p>**kept**</p>"));
    assert_non_null(strstr(html, "src=\"data:image/png;base64,UE5HQQ==\""));
    assert_null(strstr(html, "<script>"));
    free(html);
    const char *files[] = { "a.svg", "a.png", "b.png", "r.md", "r.html" };
    for (int i = 0; i < 5; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
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
        cmocka_unit_test(test_plan_switch_by_hand),
        cmocka_unit_test(test_html_bold_and_pictures),
    };
    return cmocka_run_group_tests_name("output", tests, NULL, NULL);
}
