/* ranks.h: replications spread over the processes of an MPI job.
 *
 * bin/tokensim-mpi is the same program as bin/tokensim with ranks.c built
 * with TS_MPI (Makefile: `make bin/tokensim-mpi`); everywhere else these
 * functions describe a job of one process and do nothing. Under `mpirun
 * -np N`, every rank runs the whole command: engine_run gives each rank a
 * contiguous block of the replications and then hands every rank all of
 * them (an all-gather of the per-replication rows, which are small), so
 * every rank computes the same statistics and takes the same path through
 * an analysis; only rank 0 writes (the CLI points the other ranks' outputs
 * at a scratch folder). Replication k still depends only on (seed, k), so
 * the files are byte-identical to those of one process.
 *
 * MPI is called only from the thread that called ranks_init, outside the
 * engine's OpenMP region (MPI_THREAD_FUNNELED). */
#ifndef TS_RANKS_H
#define TS_RANKS_H

#include <stddef.h>

#include "sim/core/error.h"

/* Starts MPI when built with it; argc and argv may be NULL. Call once,
 * first thing in main. Returns 0, or -1 when MPI could not start. */
int ranks_init(int *argc, char ***argv);

/* Ends MPI (after every rank's last collective call); harmless without. */
void ranks_finalize(void);

/* This process's rank (0 without MPI) and the job's size (1 without). */
int ranks_rank(void);
int ranks_size(void);

/* Rank r's block of `count` replications: *off from the first, *n of them.
 * The first count % size ranks take one more, so rank 0's block holds the
 * first replication whenever count > 0. */
void ranks_block(int count, int size, int r, int *off, int *n);

/* Every rank's outcome of its block, agreed: each rank passes its own rc
 * (with its message in err) and gets the same answer back: TS_OK when all
 * succeeded; else a failure over an interruption, the lowest rank first,
 * as "rank R failed: MESSAGE" in err (an interruption keeps its own
 * words). Every rank must call this, in the same order. In the MPI
 * build, TOKENSIM_TEST_FAIL_RANK=R in the environment makes rank R report
 * a failure here (the test suite's way to fail a rank). */
int ranks_agree(int rc, ts_error *err);

/* rows[count][row] gets every rank's block (ranks_block) from the rank
 * that computed it; this rank's block must already be in place. Every rank
 * must call this, in the same order, after ranks_agree said TS_OK.
 * Returns TS_OK, or TS_ERR_RUNTIME when MPI failed or the block is too
 * large for one call. */
int ranks_share(double *rows, size_t row, int count, ts_error *err);

#endif
