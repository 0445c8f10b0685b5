/* stream.c: plain, gzip and zstd files as one stream of bytes (stream.h).
 *
 * gzip goes through zlib's inflate with automatic header detection
 * (windowBits 15 + 32), restarted after each member so concatenated gzip
 * files read whole, as gzip -d reads them; zstd through ZSTD_decompressStream.
 * Both report truncation the same way: the input ends while the decoder
 * still expects more. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "stream.h"

#define IN_CAP (1 << 16)

struct data_stream {
    FILE *f;
    const char *path;
    int kind;
    unsigned char *in;       /* compressed input buffer */
    size_t in_len, in_pos;
    int eof;                 /* the file has no more bytes */
    int done;                /* the compressed stream ended cleanly */
    z_stream z;
    ZSTD_DStream *zd;
    size_t zret;             /* last ZSTD_decompressStream hint; 0 after a frame */
};

static int fill(data_stream *s)
{
    if (s->in_pos < s->in_len || s->eof)
        return 0;
    s->in_len = fread(s->in, 1, IN_CAP, s->f);
    s->in_pos = 0;
    if (s->in_len == 0) {
        if (ferror(s->f))
            return -1;
        s->eof = 1;
    }
    return 0;
}

data_stream *data_stream_open(const char *path, ts_error *err)
{
    data_stream *s = calloc(1, sizeof *s);
    if (!s) {
        ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "out of memory opening '%s'", path);
        return NULL;
    }
    s->path = path;
    s->f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    s->in = malloc(IN_CAP);
    if (!s->f || !s->in) {
        ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0, "cannot read '%s': %s", path,
                     s->in ? strerror(errno) : "out of memory");
        if (s->f && s->f != stdin)
            fclose(s->f);
        free(s->in);
        free(s);
        return NULL;
    }
    if (fill(s)) {
        ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0, "cannot read '%s': %s", path, strerror(errno));
        data_stream_close(s);
        return NULL;
    }
    const unsigned char *b = s->in;
    if (s->in_len >= 2 && b[0] == 0x1f && b[1] == 0x8b) {
        s->kind = DATA_GZIP;
        if (inflateInit2(&s->z, 15 + 32) != Z_OK) {
            ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "cannot start gzip decoding of '%s'", path);
            free(s->in);
            s->in = NULL;
            data_stream_close(s);
            return NULL;
        }
    } else if (s->in_len >= 4 && b[0] == 0x28 && b[1] == 0xb5 && b[2] == 0x2f && b[3] == 0xfd) {
        s->kind = DATA_ZSTD;
        s->zd = ZSTD_createDStream();
        if (!s->zd || ZSTD_isError(ZSTD_initDStream(s->zd))) {
            ts_error_set(err, TS_ERR_RUNTIME, NULL, 0, 0, "cannot start zstd decoding of '%s'", path);
            data_stream_close(s);
            return NULL;
        }
    }
    return s;
}

static long read_plain(data_stream *s, char *buf, size_t cap, ts_error *err)
{
    if (s->in_pos < s->in_len) {
        size_t n = s->in_len - s->in_pos < cap ? s->in_len - s->in_pos : cap;
        memcpy(buf, s->in + s->in_pos, n);
        s->in_pos += n;
        return (long)n;
    }
    size_t n = fread(buf, 1, cap, s->f);
    if (n == 0 && ferror(s->f))
        return ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0, "cannot read '%s': %s", s->path, strerror(errno)),
               -1;
    return (long)n;
}

static long read_gzip(data_stream *s, char *buf, size_t cap, ts_error *err)
{
    s->z.next_out = (unsigned char *)buf;
    s->z.avail_out = (uInt)cap;
    while (s->z.avail_out == cap) {
        if (fill(s))
            return ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0, "cannot read '%s': %s", s->path, strerror(errno)), -1;
        if (s->in_pos == s->in_len && s->done)
            break;
        int drained = s->in_pos == s->in_len;   /* only output still held by the decoder may come */
        uInt before = s->z.avail_out;
        s->z.next_in = s->in + s->in_pos;
        s->z.avail_in = (uInt)(s->in_len - s->in_pos);
        s->done = 0;
        int rc = inflate(&s->z, Z_NO_FLUSH);
        s->in_pos = s->in_len - s->z.avail_in;
        if (rc == Z_STREAM_END) {
            s->done = 1;
            inflateReset(&s->z);     /* another gzip member may follow */
        } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
            ts_error_set(err, TS_ERR_INPUT, s->path, 0, 0, "corrupt gzip data: %s",
                         s->z.msg ? s->z.msg : "inflate failed");
            return -1;
        } else if (drained && s->z.avail_out == before) {
            ts_error_set(err, TS_ERR_INPUT, s->path, 0, 0,
                         "truncated gzip data: the file ends inside its compressed stream");
            return -1;
        }
    }
    return (long)(cap - s->z.avail_out);
}

static long read_zstd(data_stream *s, char *buf, size_t cap, ts_error *err)
{
    ZSTD_outBuffer out = { buf, cap, 0 };
    while (out.pos == 0) {
        if (fill(s))
            return ts_error_set(err, TS_ERR_INPUT, NULL, 0, 0, "cannot read '%s': %s", s->path, strerror(errno)), -1;
        if (s->in_pos == s->in_len && s->done)
            break;
        int drained = s->in_pos == s->in_len;   /* only output still held by the decoder may come */
        size_t before = out.pos;
        ZSTD_inBuffer in = { s->in, s->in_len, s->in_pos };
        size_t r = ZSTD_decompressStream(s->zd, &out, &in);
        s->in_pos = in.pos;
        if (ZSTD_isError(r)) {
            ts_error_set(err, TS_ERR_INPUT, s->path, 0, 0, "corrupt zstd data: %s", ZSTD_getErrorName(r));
            return -1;
        }
        s->done = r == 0;            /* a frame ended exactly here */
        if (drained && !s->done && out.pos == before) {
            ts_error_set(err, TS_ERR_INPUT, s->path, 0, 0,
                         "truncated zstd data: the file ends inside its compressed stream");
            return -1;
        }
        if (out.pos == out.size)
            break;
    }
    return (long)out.pos;
}

long data_stream_read(data_stream *s, char *buf, size_t cap, ts_error *err)
{
    switch (s->kind) {
    case DATA_GZIP: return read_gzip(s, buf, cap, err);
    case DATA_ZSTD: return read_zstd(s, buf, cap, err);
    default: return read_plain(s, buf, cap, err);
    }
}

int data_stream_compression(const data_stream *s)
{
    return s->kind;
}

void data_stream_close(data_stream *s)
{
    if (!s)
        return;
    if (s->kind == DATA_GZIP && s->in)
        inflateEnd(&s->z);
    if (s->zd)
        ZSTD_freeDStream(s->zd);
    if (s->f && s->f != stdin)
        fclose(s->f);
    free(s->in);
    free(s);
}
