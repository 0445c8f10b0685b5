/* shim.c: fault injection for tokensim, loaded with LD_PRELOAD (SQLite's
 * way of testing every failure path, done from outside the program).
 *
 *   TS_FAULT_ALLOC=N  the Nth call of malloc, calloc or realloc fails (NULL,
 *                     errno ENOMEM); later ones succeed, so that what the
 *                     program does about the failure (clean up, report)
 *                     can run
 *   TS_FAULT_WRITE=N  the Nth write to a real file or pipe fails with
 *                     ENOSPC (fwrite, fputs, fputc, fprintf, vfprintf,
 *                     write, fflush, fsync, fclose), and every later one,
 *                     as on a full disk; writes into memory streams and to
 *                     stderr are not counted (they cannot fill a disk, and
 *                     the message must get out)
 *   TS_FAULT_COUNT=PATH  at exit, writes "ALLOCS WRITES" (the calls made)
 *
 * Counting starts when the program starts; glibc's own allocations at
 * startup are counted too, which is why N=1 may be survived. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);

static long alloc_fail = -1, write_fail = -1, nallocs, nwrites;
static int ready;

static void setup(void)
{
    if (ready)
        return;
    ready = 1;
    const char *a = getenv("TS_FAULT_ALLOC"), *w = getenv("TS_FAULT_WRITE");
    alloc_fail = a ? atol(a) : -1;
    write_fail = w ? atol(w) : -1;
}

__attribute__((destructor)) static void report(void)
{
    const char *path = getenv("TS_FAULT_COUNT");
    if (!path)
        return;
    alloc_fail = write_fail = -1;
    FILE *f = fopen(path, "w");
    if (f) {
        fprintf(f, "%ld %ld\n", nallocs, nwrites);
        fclose(f);
    }
}

static int alloc_fails(void)
{
    setup();
    long n = __atomic_add_fetch(&nallocs, 1, __ATOMIC_RELAXED);
    return n == alloc_fail;
}

void *malloc(size_t n)
{
    if (alloc_fails()) {
        errno = ENOMEM;
        return NULL;
    }
    return __libc_malloc(n);
}

void *calloc(size_t n, size_t k)
{
    if (alloc_fails()) {
        errno = ENOMEM;
        return NULL;
    }
    return __libc_calloc(n, k);
}

void *realloc(void *p, size_t n)
{
    if (n > 0 && alloc_fails()) {
        errno = ENOMEM;
        return NULL;
    }
    return __libc_realloc(p, n);
}

/* A write to fd (-1 for a memory stream) that is to fail. */
static int write_fails(int fd)
{
    setup();
    if (fd < 0 || fd == STDERR_FILENO)
        return 0;
    long n = __atomic_add_fetch(&nwrites, 1, __ATOMIC_RELAXED);
    if (write_fail > 0 && n >= write_fail) {
        errno = ENOSPC;
        return 1;
    }
    return 0;
}

#define REAL(name) static __typeof__(name) *real; if (!real) real = (__typeof__(name) *)dlsym(RTLD_NEXT, #name)

size_t fwrite(const void *p, size_t size, size_t n, FILE *f)
{
    REAL(fwrite);
    if (size && n && write_fails(fileno(f)))
        return 0;
    return real(p, size, n, f);
}

int fputs(const char *s, FILE *f)
{
    REAL(fputs);
    if (*s && write_fails(fileno(f)))
        return EOF;
    return real(s, f);
}

int fputc(int c, FILE *f)
{
    REAL(fputc);
    if (write_fails(fileno(f)))
        return EOF;
    return real(c, f);
}

int vfprintf(FILE *f, const char *fmt, va_list ap)
{
    REAL(vfprintf);
    if (write_fails(fileno(f)))
        return -1;
    return real(f, fmt, ap);
}

int fprintf(FILE *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = vfprintf(f, fmt, ap);
    va_end(ap);
    return r;
}

ssize_t write(int fd, const void *p, size_t n)
{
    REAL(write);
    if (n && write_fails(fd))
        return -1;
    return real(fd, p, n);
}

int fflush(FILE *f)
{
    REAL(fflush);
    if (f && write_fails(fileno(f))) {
        real(f);
        errno = ENOSPC;
        return EOF;
    }
    return real(f);
}

int fsync(int fd)
{
    REAL(fsync);
    if (write_fails(fd))
        return -1;
    return real(fd);
}

int fclose(FILE *f)
{
    REAL(fclose);
    int fd = fileno(f);
    if (write_fails(fd)) {
        real(f);
        errno = ENOSPC;
        return EOF;
    }
    return real(f);
}
