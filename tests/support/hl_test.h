/*
** hl_test.h: helpers shared by the Criterion suites (linked into every suite).
**
**  - run a function in a child process (fork) with its stdout and stderr captured, and get
**    its exit status back: the way to check that a violation exits with status 101 and prints
**    the right diagnostic without ending the test process;
**  - "marks": line numbers recorded by the child (HL_MARK(k) on the same line as a call)
**    in memory shared with the parent, so the parent can check `--> file:line` exactly;
**  - line-oriented text matching for diagnostics in the format of docs/design.md.
**
** Nothing here names a runtime; it only needs POSIX.
*/
#ifndef HL_TEST_H
#define HL_TEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <unistd.h>

/* ---- child processes ---------------------------------------------------------------------- */

typedef struct hl_child {
    bool  exited;     /* the child ended through exit/_exit (then `code` is its status) */
    int   code;       /* exit status when exited */
    bool  signaled;   /* the child was killed by a signal (then `sig` is its number) */
    int   sig;
    char *out;        /* everything it wrote on stdout (NUL-terminated, never NULL) */
    char *err;        /* everything it wrote on stderr (NUL-terminated, never NULL) */
} hl_child;

/* Run fn in a forked child with stdout and stderr captured. When fn returns the child exits
** with status 0 (through _exit: no atexit handlers, no sanitizer leak check); fn may also
** end the child itself. A child still running after HL_CHILD_TIMEOUT seconds is killed by
** SIGALRM (a hang then fails as `signaled`, not as a stuck suite). Marks are cleared before
** the child starts. */
#define HL_CHILD_TIMEOUT 300
hl_child hl_child_run(void (*fn)(void));

/* A check inside a child: on failure say why and exit with status 3 (neither 0 nor 101, so
** the parent tells it from a pass and from a diagnosed violation). */
#define CHILD_CHECK(cond)                                                                  \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            fprintf(stderr, "child check failed at line %d: %s\n", __LINE__, #cond);      \
            fflush(stderr);                                                                \
            _exit(3);                                                                      \
        }                                                                                  \
    } while (0)
void hl_child_free(hl_child *c);

/* A short description ("exit status 101", "signal 11") for failure messages; static buffer. */
const char *hl_child_status(const hl_child *c);

/* ---- marks -------------------------------------------------------------------------------- */

#define HL_MARKS 32
/* Shared (MAP_SHARED) between the test process and its children; -1 = not reached. */
extern volatile int *hl_marks;
/* Record the current source line under mark k. Write it on the same line as the call it
** marks:   HL_MARK(USE); hl_drop(&x);                                                        */
#define HL_MARK(k) (hl_marks_ensure(), hl_marks[(k)] = __LINE__)
void hl_marks_ensure(void);
void hl_marks_clear(void);

/* ---- text matching ------------------------------------------------------------------------ */

/* The start of the first line of text equal to the printf-formatted line (no newline in
** fmt), or NULL. */
const char *hl_find_line(const char *text, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The start of the first line of text that begins with the formatted prefix, or NULL. */
const char *hl_find_line_prefix(const char *text, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The diagnostic block of an error of the given kind: from the line
** "heaplab: error: <kind>" to the end of the "   = ..." lines that follow its "  --> " line.
** Returns a malloc'd copy (free it), or NULL when there is no such line. */
char *hl_diag_block(const char *text, const char *kind);

/* Number of lines in text that start with "heaplab: error: ". */
int hl_count_errors(const char *text);

/* Read a whole file into a malloc'd NUL-terminated string (NULL when unreadable). */
char *hl_read_file(const char *path);

/* Parse the value of "key" in a flat JSON object: a number into *num, or a string into buf.
** Return false when the key is absent or of the other kind. Minimal: enough for the
** HEAPLAB_STATS object. */
bool hl_json_number(const char *json, const char *key, unsigned long long *num);
bool hl_json_string(const char *json, const char *key, char *buf, size_t cap);

#endif
