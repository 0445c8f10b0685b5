/* plots.c: building the gnuplot scripts and running gnuplot safely. */
#include "plots.h"
#include "sim/output/format.h"

#include "sim/core/fileio.h"
#include "sim/engine/uncvar.h"
#include "sim/engine/finance.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern const char *const plot_template_waterfall;
extern const char *const plot_template_margin_fan;
extern const char *const plot_template_revenue_cost;
extern const char *const plot_template_cost_ccdf;
extern const char *const plot_template_lorenz;
extern const char *const plot_template_segments;
extern const char *const plot_template_plans;
extern const char *const plot_template_uncertain;
extern const char *const plot_template_cohorts;
extern const char *const plot_template_cash;
extern const char *const plot_template_plan_mix;
extern const char *const plot_template_wtp_usage;

#define CCDF_POINTS 1500

double plots_hill_alpha(const double *desc, size_t n, size_t k)
{
    if (k == 0 || k >= n || !(desc[k] > 0))
        return NAN;
    double sum = 0;
    for (size_t i = 0; i < k; i++)
        sum += log(desc[i] / desc[k]);
    return sum > 0 ? (double)k / sum : NAN;
}

double plots_gini(const double *asc, size_t n)
{
    /* G = sum_i (2i - n + 1) x_i / (n sum x), i from 0 */
    double total = 0, weighted = 0;
    for (size_t i = 0; i < n; i++) {
        total += asc[i];
        weighted += (2.0 * (double)i - (double)n + 1) * asc[i];
    }
    return total > 0 ? weighted / ((double)n * total) : NAN;
}

static int cmp_desc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x < y) - (x > y);
}

/* A gnuplot single-quoted string: ' doubles, nothing else is special (no
 * backslash escapes, no backquote or @ substitution); a control character
 * would end the command line, so none is kept. */
static void gp_str(FILE *f, const char *s)
{
    fputc('\'', f);
    for (; *s; s++) {
        if (*s == '\'')
            fputc('\'', f);
        if ((unsigned char)*s >= 0x20 && *s != 0x7f)
            fputc(*s, f);
    }
    fputc('\'', f);
}

/* User text in a comment: a newline would start a command, a trailing
 * backslash would continue the comment onto the next line. */
static void gp_comment(FILE *f, const char *s)
{
    for (; *s; s++)
        fputc((unsigned char)*s < 0x20 || *s == 0x7f || (*s == '\\' && !s[1]) ? '?' : *s, f);
}

/* User text as a quoted string inside a datablock: a line break would end
 * the block (a line "EOD" and commands after it), a double quote the
 * column; gnuplot reads no escapes there, so both become harmless. */
static void gp_datum(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++)
        fputc(*s == '"' ? '\'' : (unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s, f);
    fputc('"', f);
}

/* Plan names as file names: letters, digits, '-' and '_' kept. */
static void file_part(char *out, size_t n, const char *name)
{
    size_t j = 0;
    for (; *name && j + 1 < n; name++)
        out[j++] = (strchr("-_", *name) || (*name >= 'a' && *name <= 'z') || (*name >= 'A' && *name <= 'Z')
                    || (*name >= '0' && *name <= '9')) ? *name : '_';
    out[j] = 0;
}

/* The script's head: provenance, title variable. Data and the rest follow. */
static void head(FILE *f, const char *what, const scenario *s, const provenance *pv, const char *title)
{
    fprintf(f, "# tokensim %s: %s\n# scenario ", pv->version, what);
    gp_comment(f, pv->scenario_file ? pv->scenario_file : "(null)");
    fprintf(f, ", resolved hash %016llx, seed %llu, %d replication%s\n", (unsigned long long)pv->hash,
            (unsigned long long)pv->seed, pv->replications, pv->replications == 1 ? "" : "s");
    fprintf(f, "# render again with: gnuplot THIS_FILE (from its folder)\n");
    fprintf(f, "title_text = ");
    gp_str(f, title);
    fputc('\n', f);
    (void)s;
}

/* The terminals: PNG first (the template ends in one plot command, which
 * `replot` repeats on the others). `pdf` may be NULL. Every terminal is
 * noenhanced: titles, keys and tic labels carry user names, and enhanced
 * text would turn "base10_overage" into a subscript and eat ^ { } @ &. */
static void tail(FILE *f, const char *template, const char *png, const char *svg, const char *pdf)
{
    fprintf(f, "set terminal pngcairo size 1200,750 noenhanced font 'DejaVu Sans,12' background '#ffffff'\n");
    fprintf(f, "set output '%s'\n", png);
    fputs(template, f);
    fprintf(f, "set terminal svg size 1200,750 dynamic noenhanced font 'DejaVu Sans,12' background '#ffffff'\n");
    fprintf(f, "set output '%s'\nreplot\n", svg);
    if (pdf)
        fprintf(f, "set terminal pdfcairo size 10in,6.25in noenhanced font 'DejaVu Sans,11'\nset output '%s'\nreplot\n",
                pdf);
    fprintf(f, "set output\n");
}

typedef struct plot_job {
    char name[96];
    char *body;              /* head + data + variables, before the terminal lines */
    size_t len;
    const char *template;
} plot_job;

/* Runs gnuplot on `script` in folder dir; returns its exit status, 127 when
 * it could not be started, -1 when it was killed after the timeout. */
static int run_gnuplot(const char *gnuplot, const char *dir, const char *script, size_t len, int timeout_s)
{
    int fds[2];
    if (pipe(fds) != 0)
        return 127;
    char logpath[4200];
    snprintf(logpath, sizeof logpath, "%s/gnuplot.log", dir);
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return 127;
    }
    if (pid == 0) {
        dup2(fds[0], STDIN_FILENO);
        close(fds[0]);
        close(fds[1]);
        int log = open(logpath, O_WRONLY | O_CREAT | O_APPEND, 0666);
        if (log >= 0) {
            dup2(log, STDOUT_FILENO);
            dup2(log, STDERR_FILENO);
            close(log);
        }
        if (chdir(dir) != 0)
            _exit(126);
        execlp(gnuplot, gnuplot, (char *)NULL);
        _exit(127);
    }
    close(fds[0]);
    /* a gnuplot that dies early must not kill us with SIGPIPE */
    struct sigaction ign, old;
    memset(&ign, 0, sizeof ign);
    ign.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &ign, &old);
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fds[1], script + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    close(fds[1]);
    sigaction(SIGPIPE, &old, NULL);
    int status = 0;
    struct timespec tick = { 0, 10 * 1000 * 1000 };
    for (long waited = 0;; waited += 10) {
        pid_t got = waitpid(pid, &status, WNOHANG);
        if (got == pid)
            break;
        if (got < 0 && errno != EINTR)
            return 127;
        if (waited >= (long)timeout_s * 1000) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            return -1;
        }
        nanosleep(&tick, NULL);
    }
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    return -1;
}

/* Did gnuplot write the whole picture? It exits 0 when the disk is full,
 * leaving an empty or cut file: each format's last bytes must be there. */
static bool picture_whole(const char *path, const char *ext)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    char tail[64] = "";
    size_t got = 0;
    if (fseek(f, -(long)(sizeof tail - 1), SEEK_END) != 0)
        rewind(f);
    got = fread(tail, 1, sizeof tail - 1, f);
    fclose(f);
    tail[got] = 0;
    if (got == 0)
        return false;
    if (!strcmp(ext, "png"))    /* the IEND chunk and its CRC */
        return got >= 8 && !memcmp(tail + got - 8, "IEND\xae\x42\x60\x82", 8);
    if (!strcmp(ext, "svg"))
        return strstr(tail, "</svg>") != NULL;
    return strstr(tail, "%%EOF") != NULL;
}

/* Did gnuplot complain in gnuplot.log after byte `from`? */
static bool log_has_error(const char *pdir, long from)
{
    char path[4200], line[1024];
    snprintf(path, sizeof path, "%s/gnuplot.log", pdir);
    FILE *f = fopen(path, "rb");
    bool bad = false;
    if (f && fseek(f, from, SEEK_SET) == 0)
        while (!bad && fgets(line, sizeof line, f))
            bad = strcasestr(line, "error") != NULL;
    if (f)
        fclose(f);
    return bad;
}

static long file_size(const char *dir, const char *name)
{
    char path[4200];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return stat(path, &st) == 0 ? (long)st.st_size : 0;
}

static void note(plot_report *rep, const char *fmt, const char *a, const char *b)
{
    if (!rep->first_problem[0])
        snprintf(rep->first_problem, sizeof rep->first_problem, fmt, a, b);
}

static int emit(const plot_job *j, const plot_opts *o, const char *pdir, plot_report *rep, ts_error *err)
{
    static const char *const ext[3] = { "png", "svg", "pdf" };
    int nf = o->pdf ? 3 : 2;
    char fin[3][200], tmp[3][240], path[4200];
    for (int i = 0; i < 3; i++) {
        snprintf(fin[i], sizeof fin[i], "%s.%s", j->name, ext[i]);
        snprintf(tmp[i], sizeof tmp[i], "%s.tmp.%ld.%s", j->name, (long)getpid(), ext[i]);
    }
    /* the saved script names the final files; gnuplot draws into temporary
     * ones, renamed once it succeeds */
    char *text[2] = { NULL, NULL };
    size_t len[2] = { 0, 0 };
    for (int v = 0; v < 2; v++) {
        FILE *f = open_memstream(&text[v], &len[v]);
        if (!f) {
            free(text[0]);
            return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory writing plots");
        }
        fwrite(j->body, 1, j->len, f);
        if (v == 0)
            tail(f, j->template, fin[0], fin[1], o->pdf ? fin[2] : NULL);
        else
            tail(f, j->template, tmp[0], tmp[1], o->pdf ? tmp[2] : NULL);
        fclose(f);
    }
    snprintf(path, sizeof path, "%s/%s.gp", pdir, j->name);
    int rc = ts_file_write(path, text[0], len[0], err);
    int st = 0;
    long log_from = file_size(pdir, "gnuplot.log");
    if (rc == TS_OK) {
        rep->scripts++;
        if (o->render && !rep->missing)
            st = run_gnuplot(o->gnuplot ? o->gnuplot : "gnuplot", pdir, text[1], len[1],
                             o->timeout_s > 0 ? o->timeout_s : 60);
    }
    free(text[0]);
    free(text[1]);
    if (rc || !o->render || rep->missing)
        return rc;
    char a[4400], b[4400];
    if (st == 0) {
        /* the pictures count only when whole and gnuplot said no error */
        int ok = !log_has_error(pdir, log_from);
        for (int i = 0; i < nf && ok; i++) {
            snprintf(a, sizeof a, "%s/%s", pdir, tmp[i]);
            ok = picture_whole(a, ext[i]);
        }
        for (int i = 0; i < nf && ok; i++) {
            snprintf(a, sizeof a, "%s/%s", pdir, tmp[i]);
            snprintf(b, sizeof b, "%s/%s", pdir, fin[i]);
            if (rename(a, b) != 0)
                ok = 0;
        }
        if (ok) {
            rep->rendered++;
            return TS_OK;
        }
        st = 1;
    }
    for (int i = 0; i < nf; i++) {
        snprintf(a, sizeof a, "%s/%s", pdir, tmp[i]);
        unlink(a);
    }
    if (st == 127) {
        rep->missing = true;
        note(rep, "gnuplot not found: plot scripts left in %s (render them with 'gnuplot NAME.gp' there)%s", pdir, "");
    } else {
        rep->failed++;
        note(rep, st < 0 ? "gnuplot did not finish %s.gp in time and was stopped (see %s/gnuplot.log)"
                         : "gnuplot failed on %s.gp (see %s/gnuplot.log)",
             j->name, pdir);
    }
    return TS_OK;
}

/* ---- the plots ---------------------------------------------------------- */

/* The memstream writes through j->body and j->len: j must stay put. */
static FILE *job_begin(plot_job *j, const char *name, const char *template)
{
    memset(j, 0, sizeof *j);
    snprintf(j->name, sizeof j->name, "%s", name);
    j->template = template;
    return open_memstream(&j->body, &j->len);
}

/* The chapter's gross-margin spectrum as bands behind the fan (with a
 * finance: section only, so that other runs' plots stay as they were):
 * software-like from 77% (SaaS's 77-88%), healthy from the venture-fundable
 * 50% (AI done well: 55-65%), thin from 0 (AI done badly, 10-45%), and
 * negative. Drawn as rectangles set before the template's plot command. */
static void margin_spectrum(FILE *f, double ylo, double yhi)
{
    static const struct { double lo, hi; const char *name, *colour; } band[] = {
        { 77, 1e9, "software-like (77%+)", "#c7e9c0" },
        { 50, 77, "healthy (50-77%)", "#edf8e9" },
        { 0, 50, "thin (0-50%)", "#fee6ce" },
        { -1e9, 0, "negative", "#fcbba1" },
    };
    for (int i = 0; i < 4; i++) {
        double lo = fmax(band[i].lo, ylo), hi = fmin(band[i].hi, yhi);
        if (lo >= hi)
            continue;
        fprintf(f, "set object %d rect from graph 0, first %.6g to graph 1, first %.6g behind fc rgb \"%s\" "
                   "fs solid 1.0 noborder\n", 50 + i, lo, hi, band[i].colour);
        fprintf(f, "set label %d \"%s\" at graph 0.01, first %.6g left front tc rgb \"#636363\"\n", 50 + i,
                band[i].name, (lo + hi) / 2);
    }
}

static void margin_fan(FILE *f, const scenario *s, const summary *sm, const provenance *pv, int p)
{
    char title[400], terms[160];
    plan_describe(&s->plans[p], terms, sizeof terms);
    snprintf(title, sizeof title, "Gross margin per month, plan %s (%s): %s", s->plans[p].name, terms, s->name);
    head(f, "gross margin per month", s, pv, title);
    /* room for the data, the 50% line and the target, whichever is lower */
    double lo = fmin(50, 100 * s->plans[p].target_margin), hi = fmax(50, 100 * s->plans[p].target_margin);
    for (int m = 0; m < sm->nmonths; m++) {
        const ts_stat *st = sum_month(sm, p, m, MET_MARGIN);
        if (!isnan(st->p5))
            lo = fmin(lo, st->p5), hi = fmax(hi, st->p95);
    }
    if (s->finance.enabled)
        margin_spectrum(f, floor((lo - 3) / 5) * 5, ceil((hi + 3) / 5) * 5);
    fprintf(f, "months = %d\ntarget = %.6g\nylo = %.6g\nyhi = %.6g\n$fan << EOD\n", sm->nmonths,
            100 * s->plans[p].target_margin, floor((lo - 3) / 5) * 5, ceil((hi + 3) / 5) * 5);
    for (int m = 0; m < sm->nmonths; m++) {
        const ts_stat *st = sum_month(sm, p, m, MET_MARGIN);
        fprintf(f, "%d %.6g %.6g %.6g %.6g %.6g %.6g\n", m + 1, st->p5, st->p25, st->p50, st->p75, st->p95, st->mean);
    }
    fprintf(f, "EOD\n");
}

static void revenue_cost(FILE *f, const scenario *s, const summary *sm, const provenance *pv, int p)
{
    char title[400];
    snprintf(title, sizeof title, "Revenue and cost per month, plan %s: %s", s->plans[p].name, s->name);
    head(f, "revenue and cost per month", s, pv, title);
    fprintf(f, "months = %d\n$cost << EOD\n", sm->nmonths);
    for (int m = 0; m < sm->nmonths; m++)
        fprintf(f, "%d %.6g %.6g %.6g %.6g %.6g\n", m + 1, sum_month(sm, p, m, MET_MODEL_COST)->mean / 1000,
                sum_month(sm, p, m, MET_RETRIEVAL_COST)->mean / 1000, sum_month(sm, p, m, MET_INFRA_COST)->mean / 1000,
                sum_month(sm, p, m, MET_PAYMENT_COST)->mean / 1000, sum_month(sm, p, m, MET_REVENUE)->mean / 1000);
    fprintf(f, "EOD\n");
}

/* The layer cake: revenue per month by sign-up cohort, cohorts grouped so
 * that at most 12 layers show. */
static void cohorts(FILE *f, const scenario *s, const summary *sm, const provenance *pv, int p)
{
    const fin_summary *fs = sm->fin;
    char title[400];
    int H = sm->nmonths, per = (H + 11) / 12, groups = (H + per - 1) / per;
    snprintf(title, sizeof title, "Revenue by sign-up cohort, plan %s: %s", s->plans[p].name, s->name);
    head(f, "revenue per month by sign-up cohort", s, pv, title);
    fprintf(f, "months = %d\ngroups = %d\nlabels = \"", H, groups);
    for (int g = 0; g < groups; g++) {
        int a = g * per + 1, b = g * per + per < H ? g * per + per : H;
        if (a == b)
            fprintf(f, "%s'month %d'", g ? " " : "", a);
        else
            fprintf(f, "%s'months %d-%d'", g ? " " : "", a, b);
    }
    fprintf(f, "\"\n$coh << EOD\n");
    for (int m = 0; m < H; m++) {
        fprintf(f, "%d", m + 1);
        double run = 0;
        for (int g = 0; g < groups; g++) {
            for (int k = g * per; k < g * per + per && k <= m; k++)
                run += fin_coh(fs, p, k, m, FC_REVENUE)->mean;
            fprintf(f, " %.6g", run / 1000);
        }
        fputc('\n', f);
    }
    fprintf(f, "EOD\n");
}

static void cash(FILE *f, const scenario *s, const summary *sm, const provenance *pv, int p)
{
    char title[400];
    snprintf(title, sizeof title, "Cash at each month's end, plan %s: %s", s->plans[p].name, s->name);
    head(f, "cash per month", s, pv, title);
    fprintf(f, "months = %d\n$cash << EOD\n", sm->nmonths);
    for (int m = 0; m < sm->nmonths; m++) {
        const ts_stat *st = fin_mon(sm->fin, p, m, FM_CASH);
        fprintf(f, "%d %.6g %.6g %.6g %.6g\n", m + 1, st->p5 / 1000, st->p50 / 1000, st->p95 / 1000, st->mean / 1000);
    }
    fprintf(f, "EOD\n");
}

/* CCDF and Lorenz from the last month's per-customer costs. */
static void cost_tail(FILE *fc, FILE *fl, const scenario *s, const run_result *r, const provenance *pv)
{
    size_t n = r->nsnapshot;
    double *x = malloc(n * sizeof *x);
    if (!x) {
        n = 0;
        x = NULL;
    } else {
        memcpy(x, r->snapshot, n * sizeof *x);
        qsort(x, n, sizeof *x, cmp_desc);
    }
    size_t pos = 0;
    while (pos < n && x[pos] > 0)
        pos++;                          /* customers with a positive cost */
    size_t k = pos / 10 > 10 ? pos / 10 : (pos > 20 ? 10 : 0);
    double alpha = k ? plots_hill_alpha(x, pos, k) : NAN;
    char title[400], label[200];
    snprintf(title, sizeof title, "Monthly inference cost per customer, month %d, replication %d: %s", s->horizon,
             pv->first + 1, s->name);
    head(fc, "cost per customer, complementary CDF", s, pv, title);
    if (isnan(alpha))
        snprintf(label, sizeof label, "power-law tail: too few customers with a cost to fit");
    else
        snprintf(label, sizeof label, "power-law tail: slope -%.2f (Hill estimate on the costliest %zu)", alpha, k);
    fprintf(fc, "alpha = %.6g\nfit_xk = %.6g\nfit_frac = %.6g\nfit_label = ", isnan(alpha) ? 1.0 : alpha,
            k ? x[k] : 1e300, n ? (double)(k + 1) / (double)n : 0);
    gp_str(fc, label);
    fprintf(fc, "\n$ccdf << EOD\n");
    /* at most CCDF_POINTS points, evenly spaced in log rank */
    double last = -1;
    for (size_t i = 0; i < pos; i++) {
        double lr = log((double)(i + 1));
        if (i + 1 < pos && lr - last < log((double)pos) / CCDF_POINTS)
            continue;
        last = lr;
        fprintf(fc, "%.6g %.6g\n", x[i], (double)(i + 1) / (double)n);
    }
    fprintf(fc, "EOD\n");

    /* Lorenz: ascending order */
    double total = 0;
    for (size_t i = 0; i < n; i++)
        total += x[i];
    double top5 = 0;
    size_t k5 = (size_t)ceil(0.05 * (double)n - 1e-9);
    for (size_t i = 0; i < k5 && i < n; i++)
        top5 += x[i];
    for (size_t i = 0; i < n / 2; i++) {
        double t = x[i];
        x[i] = x[n - 1 - i];
        x[n - 1 - i] = t;
    }
    double gini = n ? plots_gini(x, n) : NAN;
    snprintf(title, sizeof title, "Who makes the model bill: month %d, replication %d, Gini %.2f: %s", s->horizon,
             pv->first + 1, gini, s->name);
    head(fl, "Lorenz curve of cost", s, pv, title);
    snprintf(label, sizeof label, "the heaviest 5%% of customers: %.1f%% of the cost",
             total > 0 ? 100 * top5 / total : 0.0);
    fprintf(fl, "mark_label = ");
    gp_str(fl, label);
    fprintf(fl, "\n$lz << EOD\n0 0\n");
    double cum = 0;
    size_t step = n > 2000 ? n / 2000 : 1;
    for (size_t i = 0; i < n; i++) {
        cum += x[i];
        if ((i + 1) % step == 0 || i + 1 == n)
            fprintf(fl, "%.6g %.6g\n", 100.0 * (double)(i + 1) / (double)n, total > 0 ? 100 * cum / total : 0);
    }
    fprintf(fl, "EOD\n$mark << EOD\n%.6g %.6g\nEOD\n", 100.0 * (double)(n - k5) / (double)(n ? n : 1),
            total > 0 ? 100 * (total - top5) / total : 0);
    free(x);
}

static void segments(FILE *f, const scenario *s, const summary *sm, const provenance *pv, int p)
{
    char title[400], terms[160];
    plan_describe(&s->plans[p], terms, sizeof terms);
    snprintf(title, sizeof title, "Gross margin per usage segment, plan %s (%s): %s", s->plans[p].name, terms,
             s->name);
    head(f, "margin per segment", s, pv, title);
    /* a segment with too little revenue for a margin (format.h) is left
     * out: its -30,000% bar would squash every other one to nothing */
    int shown = 0;
    for (int g = 0; g < sm->nsegments; g++)
        shown += fmt_segment_margin_shown(sm, p, g);
    fprintf(f, "nseg = %d\n$seg << EOD\n", shown);
    for (int g = 0; g < sm->nsegments; g++) {
        if (!fmt_segment_margin_shown(sm, p, g))
            continue;
        const ts_stat *st = sum_seg(sm, p, g, SX_MARGIN);
        gp_datum(f, usage_dist_segment_name(&s->usage, g));
        fprintf(f, " %.6g %.6g %.6g\n", st->mean, st->p5, st->p95);
    }
    fprintf(f, "EOD\n");
}

static void plans(FILE *f, const scenario *s, const summary *sm, const provenance *pv)
{
    char title[400];
    snprintf(title, sizeof title, "Gross margin over %d months, plan against plan: %s", sm->nmonths, s->name);
    head(f, "plans compared", s, pv, title);
    double lo = 50, hi = 50;
    for (int p = 0; p < sm->nplans; p++) {
        const ts_stat *st = sum_total(sm, p, TOT_MARGIN);
        lo = fmin(lo, fmin(st->p5, 100 * s->plans[p].target_margin));
        hi = fmax(hi, fmax(st->p95, 100 * s->plans[p].target_margin));
    }
    fprintf(f, "nplans = %d\nylo = %.6g\nyhi = %.6g\n$plans << EOD\n", sm->nplans, floor((lo - 3) / 5) * 5,
            ceil((hi + 3) / 5) * 5);
    for (int p = 0; p < sm->nplans; p++) {
        const ts_stat *st = sum_total(sm, p, TOT_MARGIN);
        gp_datum(f, s->plans[p].name);
        fprintf(f, " %.6g %.6g %.6g %.6g %.6g %.6g\n", st->p5, st->p25, st->p50, st->p75, st->p95,
                100 * s->plans[p].target_margin);
    }
    fprintf(f, "EOD\n");
}

/* Uncertain inputs: each one's rank correlation with the first plan's
 * horizon margin and its contribution to variance (rho^2 / sum rho^2). */
static void uncertain(FILE *f, const scenario *s, const summary *sm, const provenance *pv)
{
    const unc_summary *u = sm->unc;
    char t[300];
    snprintf(t, sizeof t, "%s, plan %s: what the uncertain inputs do to the horizon margin", s->name,
             s->plans[0].name);
    head(f, "uncertain inputs", s, pv, t);
    double sum = 0;
    for (int j = 0; j < u->ninputs; j++)
        if (isfinite(u->rank[j]))
            sum += u->rank[j] * u->rank[j];
    fprintf(f, "nrows = %d\n$u << EOD\n", u->ninputs);
    for (int j = 0; j < u->ninputs; j++) {
        double rho = isfinite(u->rank[j]) ? u->rank[j] : 0;
        fprintf(f, "%d %.4f ", u->ninputs - j, rho);
        gp_datum(f, s->uncertain.inputs[j].path);
        char lab[64];
        snprintf(lab, sizeof lab, " %+.2f, %.0f%% of variance", rho, sum > 0 ? 100 * rho * rho / sum : 0);
        fputc(' ', f);
        gp_datum(f, lab);
        fprintf(f, " %d\n", rho < 0 ? 7 : 3);
    }
    fprintf(f, "EOD\n");
}

/* The savings waterfall: no lever, each lever's saving, the cost after. */
static void waterfall(FILE *f, const scenario *s, const summary *sm, const provenance *pv)
{
    char t[200];
    snprintf(t, sizeof t, "%s: what each lever saves", s->name);
    head(f, "savings waterfall", s, pv, t);
    const ts_stat *c = sm->lever_total;
    fputs("$w << EOD\n", f);
    fprintf(f, "0 0 %.6f \"no lever\" 0\n", c[0].mean);
    for (int j = 1; j < sm->nstages; j++) {
        fprintf(f, "%d %.6f %.6f ", j, c[j].mean, c[j - 1].mean);
        gp_datum(f, s->levers[j - 1].name);
        fputs(" 1\n", f);
    }
    fprintf(f, "%d 0 %.6f \"with every lever\" 0\nEOD\n", sm->nstages, c[sm->nstages - 1].mean);
}

/* A menu's plan mix: each plan's customers per month, and the arrivals
 * who chose none. */
static void plan_mix(FILE *f, const scenario *s, const summary *sm, const provenance *pv)
{
    char t[200];
    snprintf(t, sizeof t, "%s: the plans customers chose", s->name);
    head(f, "plan mix of a menu", s, pv, t);
    fprintf(f, "months = %d\nnplans = %d\narray names[%d]\n", sm->nmonths, sm->nplans, sm->nplans);
    for (int p = 0; p < sm->nplans; p++) {
        fprintf(f, "names[%d] = ", p + 1);
        gp_str(f, s->plans[p].name);
        fputc('\n', f);
    }
    fputs("$mix << EOD\n", f);
    for (int m = 0; m < sm->nmonths; m++) {
        fprintf(f, "%d", m + 1);
        for (int p = 0; p < sm->nplans; p++)
            fprintf(f, " %.6g", sum_month(sm, p, m, MET_CUSTOMERS)->mean);
        fprintf(f, " %.6g\n", sm->declined[m].mean);
    }
    fputs("EOD\n", f);
}

/* WTP against usage: an even sample of the last month's customers with
 * usage and WTP above zero (log axes). */
static void wtp_usage(FILE *f, const scenario *s, const run_result *r, const provenance *pv)
{
    char t[200];
    snprintf(t, sizeof t, "%s: willingness to pay against usage", s->name);
    head(f, "WTP against usage", s, pv, t);
    fprintf(f, "rho_s = %.6g\n$pts << EOD\n", s->wtp.rank_correlation);
    size_t step = r->nsnapshot > 2000 ? (r->nsnapshot + 1999) / 2000 : 1;
    for (size_t i = 0; i < r->nsnapshot; i += step)
        if (r->snap_interactions[i] > 0 && r->snap_wtp[i] > 0)
            fprintf(f, "%.6g %.6g\n", r->snap_interactions[i], (double)r->snap_wtp[i]);
    fputs("EOD\n", f);
}

int plots_write(const scenario *s, const run_result *r, const summary *sm, const provenance *pv,
                const plot_opts *o, plot_report *rep, ts_error *err)
{
    memset(rep, 0, sizeof *rep);
    char pdir[4096];
    snprintf(pdir, sizeof pdir, "%s/plots", o->dir);
    int rc = ts_dir_make(pdir, err);
    enum { MAXJ = 6 * PLAN_MAX + 8 };
    plot_job jobs[MAXJ];
    int nj = 0;
    FILE *f, *g;
    /* the plots drawn for each plan */
    static const struct {
        const char *prefix;
        const char *const *template;
        void (*draw)(FILE *, const scenario *, const summary *, const provenance *, int);
    } per_plan[] = {
        { "margin", &plot_template_margin_fan, margin_fan },
        { "revenue_cost", &plot_template_revenue_cost, revenue_cost },
        { "segments", &plot_template_segments, segments },
        { "cohorts", &plot_template_cohorts, cohorts },      /* these two with a finance: section */
        { "cash", &plot_template_cash, cash },
    };
    for (int p = 0; p < sm->nplans && rc == TS_OK; p++) {
        char part[PLAN_NAME_LEN], name[96];
        file_part(part, sizeof part, s->plans[p].name);
        for (size_t k = 0; k < sizeof per_plan / sizeof per_plan[0]; k++) {
            if (k >= 3 && !sm->fin)
                break;
            if (per_plan[k].draw == segments && sm->declined && !fmt_segments_plotted(sm, p))
                continue;           /* a menu's plan with no segment margin (free, or chosen by nobody): no bars */
            snprintf(name, sizeof name, "%s_%s", per_plan[k].prefix, part);
            f = job_begin(&jobs[nj++], name, *per_plan[k].template);
            if (f) {
                per_plan[k].draw(f, s, sm, pv, p);
                fclose(f);
            }
        }
    }
    if (r->nsnapshot > 0) {
        f = job_begin(&jobs[nj], "cost_ccdf", plot_template_cost_ccdf);
        g = job_begin(&jobs[nj + 1], "lorenz", plot_template_lorenz);
        if (f && g)
            cost_tail(f, g, s, r, pv);
        if (f)
            fclose(f);
        if (g)
            fclose(g);
        nj += 2;
    }
    if (sm->nplans > 1) {
        f = job_begin(&jobs[nj], "plans", plot_template_plans);
        if (f) {
            plans(f, s, sm, pv);
            fclose(f);
        }
        nj++;
    }
    if (sm->unc) {
        f = job_begin(&jobs[nj++], "uncertain", plot_template_uncertain);
        if (f) {
            uncertain(f, s, sm, pv);
            fclose(f);
        }
    }
    if (r->snap_wtp && r->nsnapshot > 0) {
        f = job_begin(&jobs[nj++], "wtp_usage", plot_template_wtp_usage);
        if (f) {
            wtp_usage(f, s, r, pv);
            fclose(f);
        }
    }
    if (sm->declined) {
        f = job_begin(&jobs[nj++], "plan_mix", plot_template_plan_mix);
        if (f) {
            plan_mix(f, s, sm, pv);
            fclose(f);
        }
    }
    if (sm->nstages) {
        f = job_begin(&jobs[nj++], "waterfall", plot_template_waterfall);
        if (f) {
            waterfall(f, s, sm, pv);
            fclose(f);
        }
    }
    for (int i = 0; i < nj; i++) {
        if (rc == TS_OK && !jobs[i].body)
            rc = ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory writing plots");
        if (rc == TS_OK)
            rc = emit(&jobs[i], o, pdir, rep, err);
        free(jobs[i].body);
    }
    return rc;
}

int plots_emit(const char *name, const char *template, const char *body, const plot_opts *o, plot_report *rep,
               ts_error *err)
{
    char pdir[4096];
    snprintf(pdir, sizeof pdir, "%s/plots", o->dir);
    int rc = ts_dir_make(pdir, err);
    if (rc)
        return rc;
    plot_job j;
    FILE *f = job_begin(&j, name, template);
    if (!f)
        return ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory writing plots");
    fputs(body, f);
    fclose(f);
    rc = j.body ? emit(&j, o, pdir, rep, err) : ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory");
    free(j.body);
    return rc;
}

void plots_gp_string(FILE *f, const char *s)
{
    gp_str(f, s);
}

void plots_gp_datum(FILE *f, const char *s)
{
    gp_datum(f, s);
}

void plots_head(FILE *f, const char *what, const provenance *pv, const char *title)
{
    head(f, what, NULL, pv, title);
}
