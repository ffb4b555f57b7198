/*
** hl_lazy_libgit2.c: libgit2 initialised when Criterion first needs it, not in every test process.
**
** Criterion calls git_libgit2_init() in every process it starts (the runner and one worker per
** test), only so that it can diff two strings when an assertion on them fails. Debian's libgit2
** initialises mbedtls, which parses the system's CA certificates: about 50 M instructions, four
** fifths of what a test worker executes before its test (callgrind), and a quarter of a second
** of each worker's start under valgrind, where the memcheck gate starts some 600 of them.
**
** Every Criterion suite links this file (the Makefile adds it to CRIT_LIBS). A definition in the
** executable takes the place of a shared library's for calls from every other library, so
** Criterion's init and shutdown calls land here and do nothing; its one other libgit2 call,
** git_diff_buffers, initialises the real libgit2 first (as Criterion's own diff code requires)
** and then diffs. Nothing else changes: a failing string assertion still prints its diff.
*/
#define _GNU_SOURCE
#include "hl_lazy_libgit2.h"

#include <dlfcn.h>
#include <git2/diff.h>
#include <git2/global.h>
#include <pthread.h>
#include <stdio.h>

typedef int git_global_fn(void);
typedef int git_diff_buffers_fn(const void *, size_t, const char *, const void *, size_t, const char *,
                                const git_diff_options *, git_diff_file_cb, git_diff_binary_cb,
                                git_diff_hunk_cb, git_diff_line_cb, void *);

static pthread_once_t real_init_once = PTHREAD_ONCE_INIT;
static int            real_init_result;   /* the real git_libgit2_init's: 0 until it has run,
                                             ** then the count of inits, or < 0 on error */

/* libgit2's own definition of NAME, the next one after this executable's. */
static void *real(const char *name) {
    void *fn = dlsym(RTLD_NEXT, name);
    if (!fn) fprintf(stderr, "heaplab tests: %s not found in libgit2: %s\n", name, dlerror());
    return fn;
}

static void real_init(void) {
    git_global_fn *init = (git_global_fn *)real("git_libgit2_init");
    real_init_result = init ? init() : -1;
}

int git_libgit2_init(void) { return 1; }

int git_libgit2_shutdown(void) {
    if (real_init_result <= 0) return 0;
    git_global_fn *shutdown = (git_global_fn *)real("git_libgit2_shutdown");
    return shutdown ? shutdown() : 0;
}

int git_diff_buffers(const void *old_buffer, size_t old_len, const char *old_as_path, const void *new_buffer,
                     size_t new_len, const char *new_as_path, const git_diff_options *options,
                     git_diff_file_cb file_cb, git_diff_binary_cb binary_cb, git_diff_hunk_cb hunk_cb,
                     git_diff_line_cb line_cb, void *payload) {
    pthread_once(&real_init_once, real_init);
    git_diff_buffers_fn *diff = (git_diff_buffers_fn *)real("git_diff_buffers");
    if (real_init_result < 0 || !diff) return -1;
    return diff(old_buffer, old_len, old_as_path, new_buffer, new_len, new_as_path, options, file_cb, binary_cb,
                hunk_cb, line_cb, payload);
}

int hl_lazy_libgit2_real_inits(void) { return real_init_result > 0; }
