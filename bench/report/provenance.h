/*
** bench/report/provenance.h: where and how a results file was produced (heaplab commit,
** compiler, C library, libgc, kernel, CPU, cores, command line, start and end time), so that a
** reader can judge and reproduce its figures. It is the "provenance" object of every JSON
** results file; compare reads it back to show what the two files were measured on.
*/
#ifndef HLB_PROVENANCE_H
#define HLB_PROVENANCE_H

#include "report/json.h"

#include <stdio.h>

/* Every string is NUL-terminated and never empty once collected or read: a figure that cannot
** be found is "unknown". Longer values are truncated to the field's size. */
typedef struct hlb_provenance {
    char heaplab_commit[128];  /* `git -C <source root> describe --always --dirty` */
    char compiler[256];        /* first line of `cc --version`; without cc, the version of the
                               ** compiler that built heaplab, followed by
                               ** " (compiler that built heaplab; cc not found)" */
    char glibc[64];            /* gnu_get_libc_version() */
    char libgc[64];            /* `pkg-config --modversion bdw-gc` */
    char kernel[256];          /* uname: "<sysname> <release> <machine>", e.g. "Linux 6.1.0 x86_64" */
    char cpu[256];             /* /proc/cpuinfo "model name" of the first CPU */
    int cores;                 /* online CPUs (> 0 once collected); 0 when read back without it */
    char *command;             /* the command line, argv joined by spaces and shell-quoted
                               ** where needed (hlb_shell_join); malloc'd, owned by the struct */
    char start[32];            /* ISO 8601 UTC, "2026-11-30T10:00:00Z" */
    char end[32];              /* likewise; "" until hlb_provenance_set_end */
} hlb_provenance;

/* Fill p for a run starting now. source_root is the heaplab source tree whose commit is
** recorded (NULL, or a directory outside git, gives "unknown"); argv[0..argc) is the command
** line as the user typed it (argc 0 or argv NULL gives "unknown"). Runs git, cc and
** pkg-config with their output captured and their stderr discarded; a missing or failing tool
** gives "unknown" for its field, never an error. start is set to the current time, end to "".
** Never fails (memory exhaustion aborts the driver, as every hlb_x* allocation does).
** Release with hlb_provenance_free. */
void hlb_provenance_collect(hlb_provenance *p, const char *source_root, int argc, char *const *argv);

/* Set p->end to the current time (ISO 8601 UTC). Call it when the results are complete, just
** before writing them. */
void hlb_provenance_set_end(hlb_provenance *p);

/* Write p as one JSON object with the keys heaplab_commit, compiler, glibc, libgc, kernel, cpu,
** cores (number), command, start, end (strings, escaped with hlb_json_write_str), in that
** order. indent >= 0: one member per line indented by indent + 2 spaces, the closing brace by
** indent spaces (the opening brace is written where the stream is, nothing after the closing
** brace), to nest the object inside a larger document; indent < 0: all on one line.
** Returns 0, or -1 when the stream has an error (ferror(f)) after writing. */
int hlb_provenance_write_json(FILE *f, const hlb_provenance *p, int indent);

/* Fill p from a parsed "provenance" object (as written above). Strings that are absent, empty
** or not strings become "unknown" (end: ""), cores absent or not a positive number becomes 0.
** Returns 0, or -1 when obj is NULL or not an object (p is then filled as if every field were
** absent, so it is always safe to print and to free). Release with hlb_provenance_free. */
int hlb_provenance_from_json(const hlb_json *obj, hlb_provenance *p);

/* Release what p owns (the command line); p's strings stay valid, p->command becomes NULL.
** Safe on a zeroed struct and when called twice. */
void hlb_provenance_free(hlb_provenance *p);

/* argv[0..argc) joined by single spaces, each word left as is when it is made only of
** characters the shell does not interpret (letters, digits and _ - . , / : = + @ %), else
** single-quoted with each ' written as '\''; an empty word becomes ''. The result, pasted into
** a POSIX shell, gives back the same argv. malloc'd: the caller frees it. argc 0 gives "". */
char *hlb_shell_join(int argc, char *const *argv);

#endif
