/* stream.h: the bytes of a usage file, plain or compressed, read in chunks.
 *
 * The compression is recognised from the file's first bytes, not its name:
 * gzip (1f 8b, through zlib) and zstd (28 b5 2f fd, through libzstd); any
 * other file is read as it is. A compressed file that ends before its
 * compressed stream does (a truncated download) is an input error naming
 * the file, never a silent short read. */
#ifndef TS_DATA_STREAM_H
#define TS_DATA_STREAM_H

#include <stddef.h>

#include "sim/core/error.h"

enum data_compression { DATA_PLAIN, DATA_GZIP, DATA_ZSTD };

typedef struct data_stream data_stream;

/* Opens path ("-" is standard input, read plain). Returns NULL and fills err
 * (TS_ERR_INPUT) when the file cannot be opened or its header is unreadable. */
data_stream *data_stream_open(const char *path, ts_error *err);

/* Reads up to cap bytes into buf. Returns the count, 0 at the end, or -1
 * with err filled (TS_ERR_INPUT for corrupt or truncated data, naming the
 * file). */
long data_stream_read(data_stream *s, char *buf, size_t cap, ts_error *err);

/* enum data_compression of an open stream. */
int data_stream_compression(const data_stream *s);

/* Closes and frees s (NULL is fine). */
void data_stream_close(data_stream *s);

#endif
