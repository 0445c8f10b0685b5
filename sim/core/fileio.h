/* fileio.h: the few file operations every output shares: reading a whole
 * file, creating a folder and its parents, and writing a file atomically
 * (to "NAME.tmp.PID", then renamed), so a reader never sees half a file and
 * an interrupted run leaves the previous one in place. */
#ifndef TS_FILEIO_H
#define TS_FILEIO_H

#include <stddef.h>

#include "error.h"

/* The whole file, NUL-terminated (the terminator not counted in *len);
 * caller frees. NULL with errno set when it cannot be read. */
char *ts_file_read(const char *path, size_t *len);

/* Creates dir and any missing parents. Returns TS_OK or TS_ERR_RUNTIME. */
int ts_dir_make(const char *dir, ts_error *err);

/* Writes len bytes to path atomically. Returns TS_OK or TS_ERR_RUNTIME. */
int ts_file_write(const char *path, const char *data, size_t len, ts_error *err);

#endif
