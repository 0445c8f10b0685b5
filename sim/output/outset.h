/* outset.h: an output set that is all old or all new.
 *
 * A command's files are written into a staging folder beside the target
 * (PARENT/.NAME.staging.PID, on the same filesystem), a MANIFEST of every
 * file with its size and SHA-256 is written last, and the staging folder
 * replaces the target in one rename (renameat2 RENAME_EXCHANGE on Linux,
 * two renames elsewhere). A reader, a crash, a full disk or Ctrl-C at any
 * moment before the swap leaves the earlier set as it was.
 *
 * While a set is open its target is locked (flock on PARENT/.NAME.lock): a
 * second command into the same folder is refused at once, before it
 * simulates anything. Leftovers of a killed run (staging and old folders,
 * NAME.tmp.PID files) are removed by the next run into that folder. */
#ifndef TS_OUTSET_H
#define TS_OUTSET_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "sim/core/error.h"

#define OUTSET_MANIFEST "MANIFEST"

typedef struct outset {
    char target[4096];       /* the folder replaced (symbolic links resolved) */
    char shown[4096];        /* the folder as the user named it, for messages */
    char staging[4200];      /* where the files go until the swap */
    char lock[4200];         /* the lock file beside the target */
    int lockfd;              /* -1: not held */
} outset;

/* Claims `target` (created with its parents if missing) and makes an empty
 * staging folder for the files; write them under o->staging. Refuses with
 * TS_ERR_INPUT a target that is not a folder, or a folder holding files
 * tokensim does not write (it would be replaced whole); with TS_ERR_RUNTIME
 * a target another run holds or one that cannot be created. On success the
 * caller ends with outset_commit or outset_abort; on failure nothing is held. */
int outset_begin(outset *o, const char *target, ts_error *err);

/* Writes the MANIFEST and swaps the staging folder in, unless *stop (may be
 * NULL) is set, in which case it aborts and returns TS_ERR_INTERRUPTED; the
 * check and the swap happen with SIGINT and SIGTERM blocked, so a signal
 * either comes before (the old set stays) or after (the new set is whole).
 * Every write is checked and synced. Returns TS_OK or an error, after
 * which the old set is intact and nothing is held. */
int outset_commit(outset *o, volatile sig_atomic_t *stop, ts_error *err);

/* Removes the staging folder and releases the target; o may be unopened
 * (lockfd -1). */
void outset_abort(outset *o);

/* Rewrites the staging folder's name in text (a message about a file in
 * it, n bytes of room) as the folder the user named, in place. */
void outset_shown(const outset *o, char *text, size_t n);

/* Writes dir/MANIFEST: one "SHA256  PATH" line per file under dir (sorted,
 * recursive; the format `sha256sum -c` reads), preceded by comment lines
 * giving each file's size. Syncs every file and folder it lists. Returns
 * TS_OK or TS_ERR_RUNTIME. */
int outset_manifest_write(const char *dir, ts_error *err);

#endif
