/*
** bench/report/outfile.h: writing results files safely: create the output directory, and replace a
** file atomically (write a temporary file beside it, flush it to disk, rename it over the
** target), so a reader never sees half a table, even after Ctrl-C.
*/
#ifndef HLB_OUTFILE_H
#define HLB_OUTFILE_H

#include <stdio.h>

/* mkdir -p. Returns 0 or -1 (errno set). */
int hlb_mkdir_p(const char *path);

/* Write path atomically through fn(f, ctx). Returns 0, or -1 with a message in err. */
int hlb_write_atomic(const char *path, void (*fn)(FILE *f, const void *ctx), const void *ctx, char *err,
                     size_t errlen);

/* Rename tmp over path after fsync-ing it (for files written by other programs). */
int hlb_commit_file(const char *tmp, const char *path);

#endif
