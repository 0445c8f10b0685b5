/* test_ytree.c: the YAML tree: marks of every kind of node (aliases and
 * anchored keys included), the budgets at their exact edges, duplicate keys
 * past the size where maps are hashed, positions in text, and the input
 * size limit. Every line and column below is counted by hand in the text
 * beside it (1-based, in characters). */
#include "testutil.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "sim/core/fileio.h"
#include "sim/scenario/ytree.h"

static ytnode *load(const char *text, ts_error *e)
{
    ts_error_clear(e);
    return ytree_load_string(text, strlen(text), "t.yaml", e);
}

static void expect_error(const char *text, const char *want)
{
    ts_error e;
    ytnode *t = load(text, &e);
    ytree_free(t);
    assert_null(t);
    char msg[1200];
    ts_error_format(&e, msg, sizeof msg);
    assert_string_equal(msg, want);
}

static void expect_mark(const ytnode *n, int line, int col, int key_line, int key_col)
{
    assert_non_null(n);
    assert_int_equal(n->line, line);
    assert_int_equal(n->column, col);
    assert_int_equal(n->key_line, key_line);
    assert_int_equal(n->key_column, key_col);
}

static void test_marks(void **state)
{
    (void)state;
    const char *text =
        "a: 1\n"                   /* line 1: a at 1, 1 at 4 */
        "b:\n"                     /* line 2: a map whose value starts on line 3 */
        "  c: [x, &y 'q']\n"       /* line 3: c at 3, [ at 6, x at 7, &y at 10 */
        "&k d: *y\n"               /* line 4: &k at 1 starts the key, *y at 7 */
        "e: [*k, *y]\n";           /* line 5: a copy keeps its anchor's mark */
    ts_error e;
    ytnode *t = load(text, &e);
    assert_non_null(t);
    expect_mark(t, 1, 1, 0, 0);
    expect_mark(ytree_get(t, "a"), 1, 4, 1, 1);
    const ytnode *b = ytree_get(t, "b");
    expect_mark(b, 3, 3, 2, 1);
    const ytnode *c = ytree_get(b, "c");
    expect_mark(c, 3, 6, 3, 3);
    assert_int_equal(c->n, 2);
    expect_mark(c->items[0], 3, 7, 0, 0);
    expect_mark(c->items[1], 3, 10, 0, 0);
    assert_true(c->items[1]->quoted);
    /* an alias as a map value: the anchored node's mark, its own key's */
    const ytnode *d = ytree_get(t, "d");
    expect_mark(d, 3, 10, 4, 1);
    assert_string_equal(d->value, "q");
    assert_true(d->quoted);
    /* aliases in a list: no key; an anchored key aliased as a value */
    const ytnode *l = ytree_get(t, "e");
    assert_int_equal(l->n, 2);
    expect_mark(l->items[0], 4, 1, 0, 0);
    assert_string_equal(l->items[0]->value, "d");
    assert_null(l->items[0]->key);
    expect_mark(l->items[1], 3, 10, 0, 0);
    assert_null(l->items[1]->key);
    ytree_free(t);
}

static void test_aliased_map_is_a_copy(void **state)
{
    (void)state;
    ts_error e;
    ytnode *t = load("a: &m { x: 1 }\nb: *m\n", &e);
    assert_non_null(t);
    ytnode *a = ytree_get(t, "a"), *b = ytree_get(t, "b");
    assert_ptr_not_equal(a, b);
    assert_string_equal(b->key, "b");
    /* changing the copy leaves the original */
    assert_int_equal(ytree_set(t, "b.x=2", &e), TS_OK);
    assert_string_equal(ytree_get(a, "x")->value, "1");
    assert_string_equal(ytree_get(b, "x")->value, "2");
    ytree_free(t);
}

/* "a: [" then n - 2 items: with the root and the list, n nodes. */
static char *list_of_nodes(size_t n)
{
    char *s = malloc(2 * n + 16);
    assert_non_null(s);
    size_t k = (size_t)sprintf(s, "a: [");
    for (size_t i = 0; i + 2 < n; i++)
        k += (size_t)sprintf(s + k, i ? ",1" : "1");
    sprintf(s + k, "]\n");
    return s;
}

static void test_node_budget_edge(void **state)
{
    (void)state;
    ts_error e;
    char *s = list_of_nodes(YT_MAX_NODES);
    ytnode *t = load(s, &e);
    assert_non_null(t);
    assert_int_equal(ytree_get(t, "a")->n, YT_MAX_NODES - 2);
    ytree_free(t);
    free(s);
    /* one more: the last item, at column 5 + 2 x (200,000 - 2) = 400,001 */
    s = list_of_nodes(YT_MAX_NODES + 1);
    expect_error(s, "t.yaml:1:400001: document too large: more than 200000 nodes once aliases are expanded");
    free(s);
}

static void test_depth_edge(void **state)
{
    (void)state;
    /* "a: " then k '[': the k-th is at depth k and column 3 + k */
    char s[300];
    int k = sprintf(s, "a: ");
    for (int i = 0; i < YT_MAX_DEPTH; i++)
        s[k++] = '[';
    for (int i = 0; i < YT_MAX_DEPTH; i++)
        s[k++] = ']';
    s[k] = 0;
    ts_error e;
    ytnode *t = load(s, &e);
    assert_non_null(t);
    ytree_free(t);
    memmove(s + 4, s + 3, strlen(s + 3) + 1);
    s[3] = '[';
    strcat(s, "]");
    expect_error(s, "t.yaml:1:68: document nested deeper than 64 levels (a recursive alias?)");
    /* a recursive alias through a list and a map: n is copied at depths
     * 1, 4, 7, ..., 64 (= 1 + 3 x 21), and the first node of depth 65 met
     * in that copy is x's value, at 2:6 (as the old loader said) */
    expect_error("a: &n\n  x: 1\n  y: [1, {z: *n}]\n",
                 "t.yaml:2:6: document nested deeper than 64 levels (a recursive alias?)");
}

static void test_alias_bytes_edge(void **state)
{
    (void)state;
    /* with a limit of 1,000 bytes, ten aliases of a 100-byte scalar fit and
     * the eleventh, at column 5 + 10 x 4 = 45 of "b: [*a, *a, ...", does not */
    char s[400];
    int k = sprintf(s, "a: &a ");
    memset(s + k, 'x', 100);
    k += 100;
    k += sprintf(s + k, "\nb: [*a");
    for (int i = 1; i < 10; i++)
        k += sprintf(s + k, ", *a");
    sprintf(s + k, "]\n");
    setenv("TOKENSIM_MAX_INPUT", "1000", 1);
    ts_error e;
    ytnode *t = load(s, &e);
    assert_non_null(t);
    ytree_free(t);
    sprintf(s + k, ", *a]\n");
    expect_error(s, "t.yaml:2:45: document too large: aliases expand to more than 1000 bytes of text (the input "
                    "limit; TOKENSIM_MAX_INPUT raises it)");
    unsetenv("TOKENSIM_MAX_INPUT");
}

static void test_duplicates_in_big_maps(void **state)
{
    (void)state;
    /* 1,000 distinct keys: none is taken for another once the map is hashed */
    char *s = malloc(1000 * 12 + 32);
    assert_non_null(s);
    size_t k = 0;
    for (int i = 0; i < 1000; i++)
        k += (size_t)sprintf(s + k, "k%d: %d\n", i, i);
    ts_error e;
    ytnode *t = load(s, &e);
    assert_non_null(t);
    assert_int_equal(t->n, 1000);
    assert_string_equal(ytree_get(t, "k999")->value, "999");
    ytree_free(t);
    /* a repeat of the 3rd key after them all: line 1,001 */
    sprintf(s + k, "k2: again\n");
    expect_error(s, "t.yaml:1001:1: duplicate key 'k2'");
    free(s);
}

static void test_text_position(void **state)
{
    (void)state;
    int l, c;
    const char *t = "ab\ncd\r\nef\rg\xc3\xa9h";
    ytree_text_position(t, strlen(t), 0, &l, &c);
    assert_true(l == 1 && c == 1);
    ytree_text_position(t, strlen(t), 4, &l, &c);        /* 'd' */
    assert_true(l == 2 && c == 2);
    ytree_text_position(t, strlen(t), 7, &l, &c);        /* 'e': CR LF is one break */
    assert_true(l == 3 && c == 1);
    ytree_text_position(t, strlen(t), 10, &l, &c);       /* 'g' after a lone CR */
    assert_true(l == 4 && c == 1);
    ytree_text_position(t, strlen(t), 13, &l, &c);       /* 'h': "é" is one character */
    assert_true(l == 4 && c == 3);
    const char *bom = "\xef\xbb\xbfxy";
    ytree_text_position(bom, strlen(bom), 4, &l, &c);    /* 'y': the mark is not counted */
    assert_true(l == 1 && c == 2);
}

static void test_encoding_errors(void **state)
{
    (void)state;
    /* "x: ab" then a nul at column 6 of line 2 */
    ts_error e;
    ts_error_clear(&e);
    assert_null(ytree_load_string("n: 1\nx: ab\0c\n", 13, "t.yaml", &e));
    assert_int_equal(e.line, 2);
    assert_int_equal(e.column, 6);
    assert_string_equal(e.message, "invalid yaml: control characters are not allowed (found a nul byte)");
    expect_error("x: caf\xe9 au lait\n", "t.yaml:1:7: invalid yaml: invalid trailing UTF-8 octet (found byte 0x20 after 0xE9)");
}

static void test_input_limit(void **state)
{
    (void)state;
    unsetenv("TOKENSIM_MAX_INPUT");
    assert_int_equal(ts_input_limit(), 4u << 20);
    const struct { const char *v; size_t want; } cases[] = {
        { "1000", 1000 }, { "4K", 4096 }, { "3m", 3u << 20 }, { "1G", 1u << 30 },
        { "0", 0 }, { "-5", 0 }, { "4X", 0 }, { "K", 0 }, { "99999999999999999999", 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        setenv("TOKENSIM_MAX_INPUT", cases[i].v, 1);
        assert_int_equal(ts_input_limit(), cases[i].want);
    }
    unsetenv("TOKENSIM_MAX_INPUT");
    /* a file of 10 bytes: read under a limit of 10, refused under 9 */
    char path[] = "/tmp/test_ytree_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "0123456789", 10), 10);
    close(fd);
    size_t len = 0;
    char *buf = ts_file_read_max(path, 10, &len);
    assert_non_null(buf);
    assert_int_equal(len, 10);
    free(buf);
    errno = 0;
    assert_null(ts_file_read_max(path, 9, &len));
    assert_int_equal(errno, EFBIG);
    unlink(path);
}

/* "-" is standard input, read once and kept: a second read (an analysis
 * probing its scenario again) gets the same text from a pipe that gave it
 * once; messages name it <stdin>. */
static void test_stdin(void **state)
{
    (void)state;
    int fd[2];
    assert_int_equal(pipe(fd), 0);
    int saved = dup(0);
    assert_int_equal(dup2(fd[0], 0), 0);
    close(fd[0]);
    const char text[] = "a: 1\nb: [\n";   /* an unclosed flow sequence: a syntax error */
    assert_int_equal(write(fd[1], text, sizeof text - 1), (ssize_t)(sizeof text - 1));
    close(fd[1]);
    size_t len = 0;
    char *one = ts_file_read("-", &len), *two = NULL;
    assert_non_null(one);
    assert_int_equal(len, sizeof text - 1);
    assert_string_equal(one, text);
    two = ts_file_read("-", &len);
    assert_non_null(two);
    assert_string_equal(two, text);
    ts_error e;
    ts_error_clear(&e);
    assert_null(ytree_load_file("-", &e));
    assert_string_equal(e.source, "<stdin>");
    assert_string_equal(ts_file_name("-"), "<stdin>");
    assert_string_equal(ts_file_name("a.yaml"), "a.yaml");
    free(one);
    free(two);
    dup2(saved, 0);
    close(saved);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_marks),
        cmocka_unit_test(test_aliased_map_is_a_copy),
        cmocka_unit_test(test_node_budget_edge),
        cmocka_unit_test(test_depth_edge),
        cmocka_unit_test(test_alias_bytes_edge),
        cmocka_unit_test(test_duplicates_in_big_maps),
        cmocka_unit_test(test_text_position),
        cmocka_unit_test(test_encoding_errors),
        cmocka_unit_test(test_input_limit),
        cmocka_unit_test(test_stdin),
    };
    return cmocka_run_group_tests_name("ytree", tests, NULL, NULL);
}
