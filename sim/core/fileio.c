/* fileio.c: whole-file reads, folder creation, atomic writes. */
#include "fileio.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *ts_file_name(const char *path)
{
    return path && !strcmp(path, "-") ? "<stdin>" : path;
}

size_t ts_input_limit(void)
{
    const char *s = getenv(TS_INPUT_MAX_ENV);
    if (!s || !*s)
        return TS_INPUT_MAX_DEFAULT;
    if (*s < '0' || *s > '9')
        return 0;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    int shift = *end == 'K' || *end == 'k' ? 10 : *end == 'M' || *end == 'm' ? 20 : *end == 'G' || *end == 'g' ? 30 : 0;
    end += shift != 0;
    /* the buffer holds limit + 1 bytes: keep far from overflow */
    if (errno || *end || v == 0 || v > (SIZE_MAX / 4) >> shift)
        return 0;
    return (size_t)v << shift;
}

/* Reads f to its end, at most max bytes (one more tells a long stream). */
static char *read_stream(FILE *f, size_t max, size_t *len)
{
    /* Devices, pipes and files that grow are read up to one byte past the
     * limit, which is how an endless stream is told from a long file. */
    char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (cap - n < 65536 && cap <= max) {
            cap = cap ? 2 * cap : 65536;
            if (cap > max + 1)
                cap = max + 1;
            char *nb = realloc(buf, cap + 1);
            if (!nb) {
                free(buf);
                errno = ENOMEM;
                return NULL;
            }
            buf = nb;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0 || n > max)
            break;
    }
    if (ferror(f) || n > max) {
        free(buf);
        errno = n > max ? EFBIG : EISDIR;     /* what fread fails on in practice: a folder */
        return NULL;
    }
    buf[n] = 0;
    *len = n;
    return buf;
}

/* Standard input is read once and kept: a command may read its scenario
 * again (an analysis probes it), and a pipe gives its text only once. */
static pthread_mutex_t stdin_lock = PTHREAD_MUTEX_INITIALIZER;
static char *stdin_text;
static size_t stdin_len;
static int stdin_errno;

static char *read_stdin(size_t max, size_t *len)
{
    pthread_mutex_lock(&stdin_lock);
    if (!stdin_text && !stdin_errno) {
        errno = 0;
        stdin_text = read_stream(stdin, max, &stdin_len);
        stdin_errno = stdin_text ? 0 : errno ? errno : EIO;
    }
    char *copy = NULL;
    if (stdin_text && stdin_len <= max && (copy = malloc(stdin_len + 1))) {
        memcpy(copy, stdin_text, stdin_len + 1);
        *len = stdin_len;
    } else {
        errno = stdin_text ? (stdin_len > max ? EFBIG : ENOMEM) : stdin_errno;
    }
    pthread_mutex_unlock(&stdin_lock);
    return copy;
}

char *ts_file_read_max(const char *path, size_t max, size_t *len)
{
    if (!strcmp(path, "-"))
        return read_stdin(max, len);
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && (S_ISDIR(st.st_mode) || (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > max))) {
        fclose(f);
        errno = S_ISDIR(st.st_mode) ? EISDIR : EFBIG;
        return NULL;
    }
    char *buf = read_stream(f, max, len);
    int e = errno;
    fclose(f);
    errno = e;
    return buf;
}

char *ts_file_read(const char *path, size_t *len)
{
    size_t max = ts_input_limit();
    if (max == 0) {
        errno = EINVAL;
        return NULL;
    }
    return ts_file_read_max(path, max, len);
}

/* "4 MiB" when the limit is a whole number of KiB, MiB or GiB. */
static void size_words(size_t v, char *buf, size_t n)
{
    static const char *const unit[] = { "GiB", "MiB", "KiB" };
    for (int i = 0; i < 3; i++) {
        size_t u = (size_t)1 << (30 - 10 * i);
        if (v >= u && v % u == 0) {
            snprintf(buf, n, "%zu %s", v / u, unit[i]);
            return;
        }
    }
    snprintf(buf, n, "%zu bytes", v);
}

int ts_file_read_error(const char *path, const char *what, ts_error *err)
{
    int e = errno;
    path = ts_file_name(path);
    if (e == EFBIG) {
        char lim[48];
        size_words(ts_input_limit(), lim, sizeof lim);
        return ts_error_set(err, TS_ERR_INPUT, path, 0, 0,
                            "%s too large: more than %s; set %s to a larger size (such as 64M) to read it", what,
                            lim, TS_INPUT_MAX_ENV);
    }
    if (e == EINVAL)
        return ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0,
                            "invalid %s '%s': expected a size in bytes, such as 4194304, 4096K or 4M", TS_INPUT_MAX_ENV,
                            getenv(TS_INPUT_MAX_ENV) ? getenv(TS_INPUT_MAX_ENV) : "");
    if (e == EISDIR)
        return ts_error_set(err, TS_ERR_INPUT, path, 0, 0, "cannot read %s (is it a directory?)", what);
    return ts_error_set(err, TS_ERR_INPUT, path, 0, 0, "cannot open %s: %s", what, strerror(e));
}

int ts_dir_make(const char *dir, ts_error *err)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", dir);
    for (char *p = buf + 1;; p++) {
        if (*p != '/' && *p != 0)
            continue;
        char keep = *p;
        *p = 0;
        if (mkdir(buf, 0777) != 0 && errno != EEXIST)
            return ts_error_set(err, TS_ERR_RUNTIME, buf, 0, 0, "cannot create output folder: %s", strerror(errno));
        *p = keep;
        if (!keep)
            break;
    }
    return TS_OK;
}

int ts_file_write(const char *path, const char *data, size_t len, ts_error *err)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return ts_error_set(err, TS_ERR_RUNTIME, path, 0, 0, "cannot write output: %s", strerror(errno));
    size_t put = fwrite(data, 1, len, f);
    int bad = put != len || fflush(f) != 0 || fsync(fileno(f)) != 0;
    int saved = errno;
    if (fclose(f) != 0 && !bad) {
        bad = 1;
        saved = errno;
    }
    if (bad || rename(tmp, path) != 0) {
        if (!bad)
            saved = errno;
        unlink(tmp);
        return ts_error_set(err, TS_ERR_RUNTIME, path, 0, 0, "cannot write output: %s", strerror(saved));
    }
    return TS_OK;
}
