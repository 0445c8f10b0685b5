/* outset.c: staging folders, the lock beside the target, the MANIFEST and
 * the one-step swap that make an output set all old or all new. */
#include "outset.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/core/fileio.h"
#include "sim/core/sha256.h"

/* ---- small helpers ------------------------------------------------------ */

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    remove(path);
    return 0;                /* go on: remove what can be removed */
}

/* Removes path and everything under it; a missing path is fine. */
static void rm_tree(const char *path)
{
    nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void fsync_path(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

/* "NAME.tmp.PID" or "NAME.tmp.PID.EXT": a file written half by a killed run. */
static bool is_tmp_name(const char *name)
{
    const char *t = strstr(name, ".tmp.");
    return t && t[5] >= '0' && t[5] <= '9';
}

/* Names tokensim writes at the top of an output folder: a folder holding
 * only these (an output set from before manifests) may be replaced. */
static bool tokensim_owned(const char *name)
{
    static const char *const ext[] = { ".csv", ".json", ".md", ".html", ".xlsx", ".gp", ".png", ".svg", ".pdf",
                                       ".log", NULL };
    if (!strcmp(name, "plots") || !strcmp(name, OUTSET_MANIFEST) || !strncmp(name, "replication-", 12)
        || is_tmp_name(name))
        return true;
    size_t n = strlen(name);
    for (int i = 0; ext[i]; i++) {
        size_t e = strlen(ext[i]);
        if (n > e && !strcmp(name + n - e, ext[i]))
            return true;
    }
    return false;
}

/* Splits target into its parent folder and base name. */
static void split_path(const char *target, char *parent, size_t np, char *base, size_t nb)
{
    const char *slash = strrchr(target, '/');
    if (!slash) {
        snprintf(parent, np, ".");
        snprintf(base, nb, "%s", target);
    } else {
        snprintf(parent, np, "%.*s", slash == target ? 1 : (int)(slash - target), target);
        snprintf(base, nb, "%s", slash + 1);
    }
}

/* Removes PARENT/.BASE.staging.* and .BASE.old.* (their run is gone: we
 * hold the lock) and BASE's own *.tmp.PID files. */
static void clean_leftovers(const char *parent, const char *base, const char *target)
{
    char pre[2][300], path[8400];
    snprintf(pre[0], sizeof pre[0], ".%s.staging.", base);
    snprintf(pre[1], sizeof pre[1], ".%s.old.", base);
    DIR *d = opendir(parent);
    for (struct dirent *e; d && (e = readdir(d));)
        for (int k = 0; k < 2; k++)
            if (!strncmp(e->d_name, pre[k], strlen(pre[k]))) {
                snprintf(path, sizeof path, "%s/%s", parent, e->d_name);
                rm_tree(path);
            }
    if (d)
        closedir(d);
    const char *sub[2] = { "", "/plots" };
    for (int k = 0; k < 2; k++) {
        char dir[4200];
        snprintf(dir, sizeof dir, "%s%s", target, sub[k]);
        d = opendir(dir);
        for (struct dirent *e; d && (e = readdir(d));)
            if (is_tmp_name(e->d_name)) {
                snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
                unlink(path);
            }
        if (d)
            closedir(d);
    }
}

/* TS_OK when target may be replaced whole: missing, empty, a set with a
 * MANIFEST, or only names tokensim writes. */
static int check_target(const char *target, ts_error *err)
{
    struct stat st;
    if (stat(target, &st) != 0)
        return errno == ENOENT || errno == ENOTDIR ? TS_OK   /* creating it will say why */
                               : ts_error_set(err, TS_ERR_RUNTIME, target, 0, 0, "cannot use output folder: %s",
                                              strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return ts_error_set(err, TS_ERR_INPUT, target, 0, 0,
                            "cannot write outputs here: found a %s, expected a folder (choose another --out)",
                            S_ISREG(st.st_mode) ? "regular file" : "special file");
    DIR *d = opendir(target);
    if (!d)
        return ts_error_set(err, TS_ERR_RUNTIME, target, 0, 0, "cannot read output folder: %s", strerror(errno));
    char foreign[256] = "";
    bool manifest = false;
    for (struct dirent *e; (e = readdir(d));) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        manifest |= !strcmp(e->d_name, OUTSET_MANIFEST);
        if (!foreign[0] && !tokensim_owned(e->d_name))
            snprintf(foreign, sizeof foreign, "%s", e->d_name);
    }
    closedir(d);
    if (foreign[0] && !manifest)
        return ts_error_set(err, TS_ERR_INPUT, target, 0, 0,
                            "refusing to replace the output folder: it holds '%s', which tokensim did not write "
                            "(choose a new or empty folder for --out)", foreign);
    return TS_OK;
}

/* Takes the lock file; checks after flock that the path still names the
 * file locked (a finishing run removes it), else tries again. */
static int take_lock(outset *o, ts_error *err)
{
    for (int tries = 0; tries < 8; tries++) {
        int fd = open(o->lock, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
        if (fd < 0)
            return ts_error_set(err, TS_ERR_RUNTIME, o->lock, 0, 0, "cannot create the output folder's lock: %s",
                                strerror(errno));
        if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
            int e = errno;
            close(fd);
            if (e == EWOULDBLOCK)
                return ts_error_set(err, TS_ERR_RUNTIME, o->target, 0, 0,
                                    "another tokensim is writing to this folder (it holds %s): wait for it to "
                                    "finish, or choose another --out", o->lock);
            return ts_error_set(err, TS_ERR_RUNTIME, o->lock, 0, 0, "cannot lock the output folder: %s",
                                strerror(e));
        }
        struct stat a, b;
        if (fstat(fd, &a) == 0 && stat(o->lock, &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev) {
            o->lockfd = fd;
            return TS_OK;
        }
        close(fd);
    }
    return ts_error_set(err, TS_ERR_RUNTIME, o->lock, 0, 0, "cannot lock the output folder: it keeps changing");
}

static void release(outset *o)
{
    if (o->lockfd >= 0) {
        unlink(o->lock);     /* while still held: a waiter re-checks the path */
        close(o->lockfd);
        o->lockfd = -1;
    }
}

/* ---- the set ------------------------------------------------------------ */

int outset_begin(outset *o, const char *target, ts_error *err)
{
    memset(o, 0, sizeof *o);
    o->lockfd = -1;
    size_t n = strlen(target);
    while (n > 1 && target[n - 1] == '/')
        n--;
    snprintf(o->target, sizeof o->target, "%.*s", (int)n, target);
    snprintf(o->shown, sizeof o->shown, "%s", o->target);
    char parent[4096], base[256];
    int rc = check_target(o->target, err);
    if (rc)
        return rc;
    /* a symbolic link, "." or "a/.." names a folder elsewhere: swap that one */
    char real[PATH_MAX];
    if (access(o->target, F_OK) == 0 && realpath(o->target, real))
        snprintf(o->target, sizeof o->target, "%s", real);
    split_path(o->target, parent, sizeof parent, base, sizeof base);
    if (!base[0] || !strcmp(base, ".") || !strcmp(base, ".."))
        return ts_error_set(err, TS_ERR_INPUT, target, 0, 0, "cannot replace this folder: choose another --out");
    if ((rc = ts_dir_make(parent, err)))
        return rc;
    struct stat st;
    int bad = stat(parent, &st) != 0 ? errno : !S_ISDIR(st.st_mode) ? ENOTDIR : 0;
    if (bad)
        return ts_error_set(err, TS_ERR_RUNTIME, parent, 0, 0, "cannot create output folder: %s", strerror(bad));
    /* the staging and lock names must be whole, or two runs could meet */
    if ((size_t)snprintf(o->lock, sizeof o->lock, "%s/.%s.lock", parent, base) >= sizeof o->lock
        || (size_t)snprintf(o->staging, sizeof o->staging, "%s/.%s.staging.%ld", parent, base, (long)getpid())
               >= sizeof o->staging)
        return ts_error_set(err, TS_ERR_INPUT, target, 0, 0, "output folder name too long: choose a shorter --out");
    if ((rc = take_lock(o, err)))
        return rc;
    clean_leftovers(parent, base, o->target);
    if (mkdir(o->staging, 0777) != 0) {
        rc = ts_error_set(err, TS_ERR_RUNTIME, o->staging, 0, 0, "cannot create output folder: %s", strerror(errno));
        release(o);
    }
    return rc;
}

void outset_abort(outset *o)
{
    if (o->lockfd < 0)
        return;
    rm_tree(o->staging);
    release(o);
}

/* Moves replication-K folders (sets of their own, written by --replication
 * into this folder) from the old set into the new one. */
static void carry_nested(const char *old, const char *fresh)
{
    DIR *d = opendir(old);
    for (struct dirent *e; d && (e = readdir(d));) {
        if (strncmp(e->d_name, "replication-", 12))
            continue;
        char a[8400], b[8400];
        struct stat st;
        /* a cut path would name another folder: leave that one be */
        if (snprintf(a, sizeof a, "%s/%s", old, e->d_name) >= (int)sizeof a
            || snprintf(b, sizeof b, "%s/%s", fresh, e->d_name) >= (int)sizeof b)
            continue;
        if (stat(b, &st) != 0)
            rename(a, b);
    }
    if (d)
        closedir(d);
}

/* The swap itself: staging becomes target; the old set (if any) ends at
 * *old, for the caller to remove. */
static int swap_in(outset *o, char *old, size_t n, ts_error *err)
{
    struct stat st;
    old[0] = 0;
    if (lstat(o->target, &st) != 0) {
        if (rename(o->staging, o->target) != 0)
            return ts_error_set(err, TS_ERR_RUNTIME, o->target, 0, 0, "cannot put the outputs in place: %s",
                                strerror(errno));
        return TS_OK;
    }
#ifdef RENAME_EXCHANGE
    if (renameat2(AT_FDCWD, o->staging, AT_FDCWD, o->target, RENAME_EXCHANGE) == 0) {
        snprintf(old, n, "%s", o->staging);
        return TS_OK;
    }
#endif
    /* no exchange on this filesystem: two renames, the old set aside first */
    char parent[4096], base[256];
    split_path(o->target, parent, sizeof parent, base, sizeof base);
    snprintf(old, n, "%s/.%s.old.%ld", parent, base, (long)getpid());
    if (rename(o->target, old) != 0) {
        old[0] = 0;
        return ts_error_set(err, TS_ERR_RUNTIME, o->target, 0, 0, "cannot put the outputs in place: %s",
                            strerror(errno));
    }
    if (rename(o->staging, o->target) != 0) {
        int e = errno;
        rename(old, o->target);
        old[0] = 0;
        return ts_error_set(err, TS_ERR_RUNTIME, o->target, 0, 0, "cannot put the outputs in place: %s",
                            strerror(e));
    }
    return TS_OK;
}

int outset_commit(outset *o, volatile sig_atomic_t *stop, ts_error *err)
{
    int rc = outset_manifest_write(o->staging, err);
    char parent[4096], base[256], old[8400] = "";
    split_path(o->target, parent, sizeof parent, base, sizeof base);
    sigset_t block, saved;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &block, &saved);
    if (rc == TS_OK && stop && *stop)
        rc = ts_error_set(err, TS_ERR_INTERRUPTED, NULL, 0, 0, "interrupted");
    if (rc == TS_OK)
        rc = swap_in(o, old, sizeof old, err);
    pthread_sigmask(SIG_SETMASK, &saved, NULL);
    if (rc) {
        outset_abort(o);
        return rc;
    }
    fsync_path(parent);
    if (old[0]) {
        carry_nested(old, o->target);
        rm_tree(old);
    }
    release(o);
    return TS_OK;
}

/* ---- the manifest ------------------------------------------------------- */

typedef struct mentry {
    char *path;              /* relative to the set's folder */
    long long size;
    char hex[65];
} mentry;

typedef struct mlist {
    mentry *v;
    int n, cap;
} mlist;

static int by_path(const void *a, const void *b)
{
    return strcmp(((const mentry *)a)->path, ((const mentry *)b)->path);
}

/* Hashes and syncs one file. */
static int hash_file(const char *path, mentry *m)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ts_sha256 c;
    ts_sha256_init(&c);
    unsigned char buf[65536];
    ssize_t got;
    m->size = 0;
    while ((got = read(fd, buf, sizeof buf)) != 0) {
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            close(fd);
            return -1;
        }
        ts_sha256_update(&c, buf, (size_t)got);
        m->size += got;
    }
    int bad = fsync(fd) != 0 && errno != EINVAL;
    close(fd);
    ts_sha256_hex(&c, m->hex);
    return bad ? -1 : 0;
}

/* Lists dir/rel recursively into *l. */
static int walk(const char *dir, const char *rel, mlist *l, ts_error *err)
{
    char here[8400];
    snprintf(here, sizeof here, "%s%s%s", dir, rel[0] ? "/" : "", rel);
    DIR *d = opendir(here);
    if (!d)
        return ts_error_set(err, TS_ERR_RUNTIME, here, 0, 0, "cannot read the outputs back: %s", strerror(errno));
    int rc = TS_OK;
    for (struct dirent *e; rc == TS_OK && (e = readdir(d));) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || (!rel[0] && !strcmp(e->d_name, OUTSET_MANIFEST)))
            continue;
        char sub[4400], full[12900];
        snprintf(sub, sizeof sub, "%s%s%s", rel, rel[0] ? "/" : "", e->d_name);
        snprintf(full, sizeof full, "%s/%s", dir, sub);
        struct stat st;
        if (lstat(full, &st) != 0)
            rc = ts_error_set(err, TS_ERR_RUNTIME, full, 0, 0, "cannot read the outputs back: %s", strerror(errno));
        else if (S_ISDIR(st.st_mode))
            rc = walk(dir, sub, l, err);
        else if (S_ISREG(st.st_mode)) {
            if (l->n == l->cap) {
                int cap = l->cap ? 2 * l->cap : 64;
                mentry *nv = realloc(l->v, (size_t)cap * sizeof *nv);
                if (!nv)
                    return closedir(d), ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory for the manifest");
                l->v = nv;
                l->cap = cap;
            }
            mentry *m = &l->v[l->n];
            m->path = strdup(sub);
            if (!m->path) {
                rc = ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory for the manifest");
                break;
            }
            l->n++;
            if (hash_file(full, m) != 0)
                rc = ts_error_set(err, TS_ERR_RUNTIME, full, 0, 0, "cannot read the outputs back: %s",
                                  strerror(errno));
        }
    }
    closedir(d);
    if (rc == TS_OK)
        fsync_path(here);
    return rc;
}

int outset_manifest_write(const char *dir, ts_error *err)
{
    mlist l = { 0 };
    int rc = walk(dir, "", &l, err);
    char *text = NULL;
    size_t len = 0;
    FILE *f = rc == TS_OK ? open_memstream(&text, &len) : NULL;
    if (rc == TS_OK && !f)
        rc = ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory for the manifest");
    if (f) {
        qsort(l.v, (size_t)l.n, sizeof *l.v, by_path);
        fprintf(f, "# tokensim output set of %d files, written last; check it with `sha256sum -c %s` here\n"
                   "# bytes path\n", l.n, OUTSET_MANIFEST);
        for (int i = 0; i < l.n; i++)
            fprintf(f, "# %lld %s\n", l.v[i].size, l.v[i].path);
        for (int i = 0; i < l.n; i++)
            fprintf(f, "%s  %s\n", l.v[i].hex, l.v[i].path);
        if (fclose(f) != 0 || !text)
            rc = ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory for the manifest");
    }
    if (rc == TS_OK) {
        char path[4300];
        snprintf(path, sizeof path, "%s/%s", dir, OUTSET_MANIFEST);
        rc = ts_file_write(path, text, len, err);
        if (rc == TS_OK)
            fsync_path(dir);
    }
    free(text);
    for (int i = 0; i < l.n; i++)
        free(l.v[i].path);
    free(l.v);
    return rc;
}

void outset_shown(const outset *o, char *text, size_t n)
{
    char *p = strstr(text, o->staging);
    if (!o->staging[0] || !p || n == 0)
        return;
    char *out = malloc(n);
    if (!out)
        return;
    snprintf(out, n, "%.*s%s%s", (int)(p - text), text, o->shown, p + strlen(o->staging));
    snprintf(text, n, "%s", out);
    free(out);
    outset_shown(o, text, n);
}
