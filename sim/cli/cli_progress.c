/* cli_progress.c: the one progress line of every command that runs the
 * engine (run's replications, the many simulations of sweep, stress,
 * tornado, solve, quota, optimize, sampling).
 *
 * Shown on stderr only when it is a terminal and neither --quiet nor
 * --no-progress is given; with TERM=dumb (or unset) the line is redrawn
 * with a carriage return and spaces, never an escape code. The line is
 * erased when the count is complete and before any message, so results
 * and errors start on a clean line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

/* The line on the terminal now, for cli_fail and cli_interrupted to erase. */
static cli_progress *drawn;

static double since(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) + 1e-9 * (double)(b->tv_nsec - a->tv_nsec);
}

bool cli_progress_wanted(const cli *c)
{
    return !c->no_progress && !c->quiet && isatty(STDERR_FILENO);
}

void cli_progress_init(cli_progress *pg, const char *what)
{
    memset(pg, 0, sizeof *pg);
    clock_gettime(CLOCK_MONOTONIC, &pg->start);
    pg->last = pg->start;
    pg->what = what;
    const char *term = getenv("TERM");
    pg->plain = !term || !*term || !strcmp(term, "dumb");
    pg->meter.show = cli_progress_show;
    pg->meter.ctx = pg;
}

void cli_progress_clear(cli_progress *pg)
{
    if (!pg->width)
        return;
    if (pg->plain)
        fprintf(stderr, "\r%*s\r", pg->width, "");
    else
        fputs("\r\033[K", stderr);
    fflush(stderr);
    pg->width = 0;
    drawn = NULL;
}

void cli_progress_clear_drawn(void)
{
    if (drawn)
        cli_progress_clear(drawn);
}

void cli_progress_show(void *ctx, double done, int total)
{
    cli_progress *pg = ctx;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (done >= total) {
        cli_progress_clear(pg);
        return;
    }
    if (pg->width && since(&pg->last, &now) < 0.2)
        return;
    pg->last = now;
    double el = since(&pg->start, &now);
    char line[160];
    int n = snprintf(line, sizeof line, "tokensim: %s %d of %d (%.0f%%), %.1f s", pg->what, (int)done + 1, total,
                     100.0 * done / total, el);
    if (done > 0 && n > 0 && (size_t)n < sizeof line)
        n += snprintf(line + n, sizeof line - (size_t)n, ", about %.0f s left", el * (total - done) / done);
    if (n < 0)
        return;
    if (pg->plain)   /* overwrite the longer line before it with spaces */
        fprintf(stderr, "\r%s%*s", line, pg->width > n ? pg->width - n : 0, "");
    else
        fprintf(stderr, "\r\033[K%s", line);
    fflush(stderr);
    if (n > pg->width)
        pg->width = n;
    drawn = pg;
}
