/* fileio.h: the few file operations every output shares: reading a whole
 * file, creating a folder and its parents, and writing a file atomically
 * (to "NAME.tmp.PID", then renamed), so a reader never sees half a file and
 * an interrupted run leaves the previous one in place. */
#ifndef TS_FILEIO_H
#define TS_FILEIO_H

#include <stddef.h>

#include "error.h"

/* Input files (scenarios, catalogs, price files) are read whole, so their
 * size is bounded: a mistaken path such as /dev/zero or a 2 GB log must be
 * refused at once, not read until memory runs out. */
#define TS_INPUT_MAX_DEFAULT ((size_t)4 << 20)     /* 4 MiB */
#define TS_INPUT_MAX_ENV "TOKENSIM_MAX_INPUT"

/* The most bytes ts_file_read accepts: TOKENSIM_MAX_INPUT when set (a whole
 * number of bytes, or with a K, M or G suffix for KiB, MiB, GiB), else
 * TS_INPUT_MAX_DEFAULT. 0 when the variable is set but is not such a size. */
size_t ts_input_limit(void);

/* The whole file, NUL-terminated (the terminator not counted in *len);
 * caller frees. Path "-" is standard input, read once and kept, so every
 * later read of "-" gives the same text. NULL with errno set when it cannot be read: EFBIG when it
 * holds more than ts_input_limit() bytes (reading stops there, so endless
 * streams end too), EINVAL when TOKENSIM_MAX_INPUT is not a size, EISDIR
 * for a folder, or what fopen and fread report. */
char *ts_file_read(const char *path, size_t *len);

/* The same with an explicit limit in bytes (max > 0). */
char *ts_file_read_max(const char *path, size_t max, size_t *len);

/* How messages name path: "<stdin>" for "-", else path itself. */
const char *ts_file_name(const char *path);

/* Records in err (TS_ERR_INPUT, source `path`) why ts_file_read just failed,
 * from errno: "cannot open WHAT: ...", or for EFBIG the limit and how to
 * raise it. `what` names the file's role ("scenario", "price file"). */
int ts_file_read_error(const char *path, const char *what, ts_error *err);

/* Creates dir and any missing parents. Returns TS_OK or TS_ERR_RUNTIME. */
int ts_dir_make(const char *dir, ts_error *err);

/* Writes len bytes to path atomically. Returns TS_OK or TS_ERR_RUNTIME. */
int ts_file_write(const char *path, const char *data, size_t len, ts_error *err);

#endif
