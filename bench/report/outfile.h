/*
** bench/report/outfile.h: writing results safely. An output directory is created and checked
** writable before anything runs; a results file is replaced atomically (written to a temporary
** file made with mkstemp beside it, flushed to disk, renamed over the target) so that a reader
** never sees half a table, even after Ctrl-C; a target that is not a regular file (a device,
** a FIFO, a symlink to one: /dev/stdout) is written directly, and a symlink is never
** replaced. Every write is checked, fclose included.
*/
#ifndef HLB_OUTFILE_H
#define HLB_OUTFILE_H

#include "cli/options.h"

#include <stdio.h>

/* Writes doc in fmt to f. */
typedef void (*hlb_writer)(FILE *f, const void *doc, hlb_format fmt);

/* mkdir -p. Returns 0 or -1 (errno set). */
int hlb_mkdir_p(const char *path);

/* Create dir (and its parents) and check that a file can be created in it. Returns 0, or -1
** with a message in err ("cannot write to DIR: ..."). */
int hlb_check_out_dir(const char *dir, char *err, size_t errlen);

/* Write path through fn(f, doc, fmt), atomically as above. Returns 0, or -1 with a message in
** err. */
int hlb_write_file(const char *path, hlb_writer fn, const void *doc, hlb_format fmt, char *err, size_t errlen);

/* Rename tmp over path after fsync-ing it (for files written by other programs). */
int hlb_commit_file(const char *tmp, const char *path);

/* The results of a command: doc to stdout in fmt; then, with outdir, DIR/<stem>.md, .csv and
** .json (each announced on stderr) through file_fn (NULL: fn). Write errors are reported as
** "heaplab CMD: error: ...". Returns 0, or 1 when something could not be written. */
int hlb_emit(const char *cmd, hlb_writer fn, hlb_writer file_fn, const void *doc, hlb_format fmt, const char *outdir,
             const char *stem);

/* Flush stdout and check that everything written to it arrived. Returns 0, or -1 with the
** one-line message "heaplab CMD: error: cannot write to stdout: ..." printed. */
int hlb_check_stdout(const char *cmd);

#endif
