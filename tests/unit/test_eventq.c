/* test_eventq.c: ordering, tie-breaking, cancellation and stale handles. */
#include "testutil.h"

#include "sim/engine/eventq.h"
#include "sim/engine/rng.h"

static void test_orders_by_time_then_kind_then_fifo(void **state)
{
    (void)state;
    evq *q = evq_create(2);
    evq_event_schedule(q, 2.0, 1, 10);
    evq_event_schedule(q, 1.0, 3, 11);
    evq_event_schedule(q, 1.0, 1, 12);
    evq_event_schedule(q, 1.0, 1, 13);
    evq_event_schedule(q, 0.5, 9, 14);
    unsigned want[] = { 14, 12, 13, 11, 10 };
    evq_event e;
    for (int i = 0; i < 5; i++) {
        assert_true(evq_event_next(q, &e));
        assert_int_equal(e.subject, want[i]);
    }
    assert_false(evq_event_next(q, &e));
    evq_destroy(q);
}

static void test_cancel_and_stale_handles(void **state)
{
    (void)state;
    evq *q = evq_create(4);
    evq_handle a = evq_event_schedule(q, 1.0, 0, 1);
    evq_handle b = evq_event_schedule(q, 2.0, 0, 2);
    evq_handle c = evq_event_schedule(q, 3.0, 0, 3);
    assert_true(evq_event_cancel(q, b));
    assert_false(evq_event_cancel(q, b));          /* already gone */
    evq_event e;
    assert_true(evq_event_next(q, &e));
    assert_int_equal(e.subject, 1);
    assert_false(evq_event_cancel(q, a));          /* popped: stale */
    evq_handle d = evq_event_schedule(q, 0.5, 0, 4);  /* reuses a slot */
    assert_false(evq_event_cancel(q, a));          /* old generation */
    assert_true(d != a);
    assert_int_equal(evq_size(q), 2);
    assert_true(evq_event_next(q, &e));
    assert_int_equal(e.subject, 4);
    assert_true(evq_event_cancel(q, c));
    assert_int_equal(evq_size(q), 0);
    assert_false(evq_event_cancel(q, 0));
    evq_destroy(q);
}

/* Random schedules and cancels against a plain sorted reference. */
static void test_random_against_reference(void **state)
{
    (void)state;
    enum { N = 5000 };
    gsl_rng *r = ts_rng_create(7, 0);
    evq *q = evq_create(1);
    static double t[N];
    static evq_handle h[N];
    static int alive[N];
    for (int i = 0; i < N; i++) {
        t[i] = floor(gsl_rng_uniform(r) * 100);    /* many ties */
        h[i] = evq_event_schedule(q, t[i], 0, (uint32_t)i);
        alive[i] = 1;
    }
    for (int i = 0; i < N; i += 3) {
        assert_true(evq_event_cancel(q, h[i]));
        alive[i] = 0;
    }
    evq_event e;
    double last_t = -1;
    int last_i = -1, count = 0;
    while (evq_event_next(q, &e)) {
        assert_true(alive[e.subject]);
        alive[e.subject] = 0;
        assert_true(e.time > last_t || (e.time == last_t && (int)e.subject > last_i));
        last_t = e.time;
        last_i = (int)e.subject;
        count++;
    }
    assert_int_equal(count, N - (N + 2) / 3);
    evq_destroy(q);
    gsl_rng_free(r);
}

/* Schedules, pops and cancels interleaved, against a plain list scanned
 * for its minimum (time, kind, then order of scheduling): times across
 * many whole units, in the unit being popped and before it, below zero,
 * far ahead and infinite, so that events move between the heap and the
 * buckets every way they can. */
static void test_interleaved_against_reference(void **state)
{
    (void)state;
    enum { N = 20000 };
    gsl_rng *r = ts_rng_create(11, 0);
    evq *q = evq_create(1);
    static double t[N];
    static int kind[N], alive[N];
    static evq_handle h[N];
    int made = 0, live = 0;
    double now = 0;
    for (int step = 0; step < 3 * N; step++) {
        double u = gsl_rng_uniform(r);
        if (made < N && (u < 0.45 || live == 0)) {
            double v = gsl_rng_uniform(r);
            t[made] = v < 0.05 ? now - 3 * gsl_rng_uniform(r)           /* the past, even below 0 */
                    : v < 0.08 ? (v < 0.065 ? 1e9 : INFINITY)            /* far ahead */
                    : v < 0.3 ? floor(now) + gsl_rng_uniform(r)          /* the unit being popped */
                    : now + floor(gsl_rng_uniform(r) * 40) / 4;          /* ties on quarters, many units */
            kind[made] = (int)gsl_rng_uniform_int(r, 3);
            h[made] = evq_event_schedule(q, t[made], kind[made], (uint32_t)made);
            assert_true(h[made] != 0);
            alive[made] = 1;
            made++;
            live++;
        } else if (u < 0.55 && live > 0) {
            int i = (int)gsl_rng_uniform_int(r, (unsigned long)made);
            assert_int_equal(evq_event_cancel(q, h[i]), alive[i]);
            live -= alive[i];
            alive[i] = 0;
        } else {
            int want = -1;
            for (int i = 0; i < made; i++)
                if (alive[i] && (want < 0 || t[i] < t[want] || (t[i] == t[want] && kind[i] < kind[want])))
                    want = i;
            evq_event e;
            assert_int_equal(evq_event_next(q, &e), want >= 0);
            if (want < 0)
                continue;
            assert_int_equal(e.subject, want);
            assert_false(evq_event_cancel(q, h[want]));   /* popped: stale */
            alive[want] = 0;
            live--;
            now = fmax(now, t[want] < 1e8 ? t[want] : now);
        }
        assert_int_equal(evq_size(q), live);
    }
    evq_clear(q);
    assert_int_equal(evq_size(q), 0);
    evq_event e;
    assert_false(evq_event_next(q, &e));
    evq_destroy(q);
    gsl_rng_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_orders_by_time_then_kind_then_fifo),
        cmocka_unit_test(test_cancel_and_stale_handles),
        cmocka_unit_test(test_random_against_reference),
        cmocka_unit_test(test_interleaved_against_reference),
    };
    return cmocka_run_group_tests_name("eventq", tests, NULL, NULL);
}
