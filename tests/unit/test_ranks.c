/* test_ranks.c: how replications are cut into blocks for the ranks of an
 * MPI job (sim/engine/ranks.h), and the one-process job of the plain build. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "sim/engine/ranks.h"

/* Every count from 0 to 40 over 1 to 7 ranks: the blocks follow each other
 * without gap or overlap, cover every replication, differ in size by at
 * most one, and rank 0's holds the first replication when there is one. */
static void test_blocks_tile(void **state)
{
    (void)state;
    for (int size = 1; size <= 7; size++)
        for (int count = 0; count <= 40; count++) {
            int next = 0, lo = count, hi = 0;
            for (int r = 0; r < size; r++) {
                int off, n;
                ranks_block(count, size, r, &off, &n);
                assert_int_equal(off, next);
                next = off + n;
                lo = n < lo ? n : lo;
                hi = n > hi ? n : hi;
            }
            assert_int_equal(next, count);
            assert_true(hi - lo <= 1);
            int off0, n0;
            ranks_block(count, size, 0, &off0, &n0);
            assert_int_equal(off0, 0);
            assert_true(count == 0 || n0 >= 1);
        }
}

/* 7 over 3: 3, 2, 2 (the first 7 % 3 = 1 rank takes one more) */
static void test_blocks_by_hand(void **state)
{
    (void)state;
    int off, n;
    ranks_block(7, 3, 0, &off, &n);
    assert_int_equal(off, 0);
    assert_int_equal(n, 3);
    ranks_block(7, 3, 1, &off, &n);
    assert_int_equal(off, 3);
    assert_int_equal(n, 2);
    ranks_block(7, 3, 2, &off, &n);
    assert_int_equal(off, 5);
    assert_int_equal(n, 2);
}

/* Without MPI: one process, outcomes and rows pass through unchanged. */
static void test_one_process(void **state)
{
    (void)state;
    assert_int_equal(ranks_init(NULL, NULL), 0);
    assert_int_equal(ranks_rank(), 0);
    assert_int_equal(ranks_size(), 1);
    ts_error err;
    ts_error_clear(&err);
    assert_int_equal(ranks_agree(TS_ERR_INTERRUPTED, &err), TS_ERR_INTERRUPTED);
    double rows[4] = { 1, 2, 3, 4 };
    assert_int_equal(ranks_share(rows, 2, 2, &err), TS_OK);
    assert_true(rows[0] == 1 && rows[3] == 4);
    ranks_finalize();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_blocks_tile),
        cmocka_unit_test(test_blocks_by_hand),
        cmocka_unit_test(test_one_process),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
