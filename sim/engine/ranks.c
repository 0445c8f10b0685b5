/* ranks.c: the MPI job behind ranks.h. Built with TS_MPI only into
 * bin/tokensim-mpi; without it, a job of one process and no MPI at all.
 * Failures travel as (code, message) pairs in one all-gather, so a rank
 * that ran out of memory stops every rank with its own words. */
#include "ranks.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ranks_block(int count, int size, int r, int *off, int *n)
{
    int base = count / size, extra = count % size;
    *n = base + (r < extra);
    *off = r * base + (r < extra ? r : extra);
}

#ifndef TS_MPI

int ranks_init(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

void ranks_finalize(void) {}

int ranks_rank(void)
{
    return 0;
}

int ranks_size(void)
{
    return 1;
}

int ranks_agree(int rc, ts_error *err)
{
    (void)err;
    return rc;
}

int ranks_share(double *rows, size_t row, int count, ts_error *err)
{
    (void)rows;
    (void)row;
    (void)count;
    (void)err;
    return TS_OK;
}

#else

#include <mpi.h>

static int started;

int ranks_init(int *argc, char ***argv)
{
    int provided;
    if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
        return -1;
    started = 1;
    /* errors come back as codes, which ranks_share turns into messages */
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    return 0;
}

void ranks_finalize(void)
{
    if (started)
        MPI_Finalize();
    started = 0;
}

int ranks_rank(void)
{
    int r = 0;
    if (started)
        MPI_Comm_rank(MPI_COMM_WORLD, &r);
    return r;
}

int ranks_size(void)
{
    int n = 1;
    if (started)
        MPI_Comm_size(MPI_COMM_WORLD, &n);
    return n;
}

typedef struct outcome {
    int code;
    char message[sizeof ((ts_error *)0)->message];
} outcome;

int ranks_agree(int rc, ts_error *err)
{
    int size = ranks_size();
    if (size == 1)
        return rc;
    outcome mine = { rc, "" };
    /* the test suite's way to make one rank fail like an allocation would */
    const char *fail = getenv("TOKENSIM_TEST_FAIL_RANK");
    if (rc == TS_OK && fail && atoi(fail) == ranks_rank()) {
        mine.code = TS_ERR_RUNTIME;
        snprintf(mine.message, sizeof mine.message, "failure injected by TOKENSIM_TEST_FAIL_RANK");
    } else if (rc != TS_OK) {
        char buf[sizeof mine.message];
        ts_error_format(err, buf, sizeof buf);
        snprintf(mine.message, sizeof mine.message, "%s", buf);
    }
    outcome *all = malloc((size_t)size * sizeof *all);
    if (!all || MPI_Allgather(&mine, (int)sizeof mine, MPI_BYTE, all, (int)sizeof mine, MPI_BYTE, MPI_COMM_WORLD)
                    != MPI_SUCCESS) {
        free(all);
        ts_error_clear(err);
        return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "rank %d: could not exchange outcomes", ranks_rank());
    }
    int worst = -1;
    for (int r = 0; r < size; r++)
        if (all[r].code != TS_OK && (worst < 0 || (all[worst].code == TS_ERR_INTERRUPTED
                                                   && all[r].code != TS_ERR_INTERRUPTED)))
            worst = r;
    int code = worst < 0 ? TS_OK : all[worst].code;
    if (worst >= 0) {
        ts_error_clear(err);
        if (code == TS_ERR_INTERRUPTED)
            ts_error_set(err, code, NULL, 0, 0, "%s", all[worst].message);
        else
            ts_error_set(err, code, NULL, 0, 0, "rank %d failed: %s", worst, all[worst].message);
    }
    free(all);
    return code;
}

int ranks_share(double *rows, size_t row, int count, ts_error *err)
{
    int size = ranks_size();
    if (size == 1 || row == 0 || count == 0)
        return TS_OK;
    if ((size_t)count * row > INT_MAX)
        return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "%d replications of %zu values are too many to gather",
                            count, row);
    int *counts = malloc(2 * (size_t)size * sizeof *counts);
    if (!counts)
        return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory for the gather");
    int *displs = counts + size;
    for (int r = 0; r < size; r++) {
        int off, n;
        ranks_block(count, size, r, &off, &n);
        counts[r] = n * (int)row;
        displs[r] = off * (int)row;
    }
    int rc = MPI_Allgatherv(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, rows, counts, displs, MPI_DOUBLE, MPI_COMM_WORLD);
    free(counts);
    if (rc != MPI_SUCCESS)
        return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "rank %d: the gather of replications failed", ranks_rank());
    return TS_OK;
}

#endif
