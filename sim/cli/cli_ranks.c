/* cli_ranks.c: the command line under `mpirun` (bin/tokensim-mpi). Every
 * rank runs the whole command, so that all take the same path through an
 * analysis (sim/engine/ranks.h); ranks other than 0 print nothing and
 * write their files into a scratch folder of their own, removed at the
 * end, so that only rank 0's outputs reach the user. */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli.h"
#include "sim/engine/ranks.h"

static char scratch[4096];

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

int cli_ranks_begin(int *argc, char ***argv)
{
    if (ranks_init(argc, argv) < 0) {
        fprintf(stderr, "tokensim: could not start MPI\n");
        return TS_EXIT_RUNTIME;
    }
    if (ranks_rank() == 0)
        return TS_EXIT_OK;
    const char *tmp = getenv("TMPDIR");
    snprintf(scratch, sizeof scratch, "%s/tokensim-rank%d-XXXXXX", tmp && *tmp ? tmp : "/tmp", ranks_rank());
    if (!mkdtemp(scratch)) {
        fprintf(stderr, "tokensim: rank %d: cannot create its scratch folder %s\n", ranks_rank(), scratch);
        scratch[0] = 0;
        return TS_EXIT_RUNTIME;
    }
    if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
        return TS_EXIT_RUNTIME;
    return TS_EXIT_OK;
}

void cli_ranks_quiet(cli *c)
{
    if (!scratch[0])
        return;
    c->opt[O_OUT] = scratch;
    c->quiet = c->no_plots = c->no_progress = true;
}

void cli_ranks_end(void)
{
    if (scratch[0])
        nftw(scratch, remove_one, 16, FTW_DEPTH | FTW_PHYS);
    scratch[0] = 0;
    ranks_finalize();
}
