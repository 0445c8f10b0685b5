/* fileio.c: whole-file reads, folder creation, atomic writes. */
#include "fileio.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *ts_file_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (cap - n < 65536) {
            cap = cap ? 2 * cap : 65536;
            char *nb = realloc(buf, cap + 1);
            if (!nb) {
                free(buf);
                fclose(f);
                errno = ENOMEM;
                return NULL;
            }
            buf = nb;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        errno = EISDIR;     /* what fread fails on in practice: a folder */
        return NULL;
    }
    buf[n] = 0;
    *len = n;
    return buf;
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
