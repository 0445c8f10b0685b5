/* sha256.h: SHA-256 (FIPS 180-4), for the manifest of an output set: the
 * digest `sha256sum` prints, so a reader can check a folder with
 * `sha256sum -c MANIFEST` and no tokensim at hand. */
#ifndef TS_SHA256_H
#define TS_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct ts_sha256 {
    uint32_t h[8];
    uint64_t bytes;          /* message length so far */
    unsigned char buf[64];
    size_t nbuf;
} ts_sha256;

/* Starts a digest. */
void ts_sha256_init(ts_sha256 *c);
/* Adds len bytes of data (data may be NULL when len is 0). */
void ts_sha256_update(ts_sha256 *c, const void *data, size_t len);
/* Ends the digest: hex gets 64 lowercase hex digits and a NUL. c is spent. */
void ts_sha256_hex(ts_sha256 *c, char hex[65]);

#endif
