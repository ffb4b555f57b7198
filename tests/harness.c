/*
** tests/harness.c: the test harness's own promises. Criterion's libgit2 is started only when a
** diff is needed (tests/support/hl_lazy_libgit2.c), and its diffs still work.
*/
#define _GNU_SOURCE
#include "hl_lazy_libgit2.h"

#include <criterion/criterion.h>
#include <dlfcn.h>
#include <git2/diff.h>

/* libgit2's own git_libgit2_init or git_libgit2_shutdown, past the harness's definitions. */
static int (*libgit2(const char *name))(void) {
    int (*fn)(void) = (int (*)(void))dlsym(RTLD_NEXT, name);
    cr_assert_not_null(fn, "%s not found past the executable: %s", name, dlerror());
    return fn;
}

Test(lazy_libgit2, a_test_process_starts_without_libgit2) {
    /* The real init returns how many initialisations are active: 1 when nobody had made one. */
    int active = libgit2("git_libgit2_init")();
    libgit2("git_libgit2_shutdown")();
    cr_expect_eq(active, 1, "libgit2 was initialised %d times before this test's own init", active - 1);
    cr_expect_eq(hl_lazy_libgit2_real_inits(), 0);
}

typedef struct {
    int added, deleted;
} line_counts;

static int count_line(const git_diff_delta *delta, const git_diff_hunk *hunk, const git_diff_line *line, void *data) {
    (void)delta;
    (void)hunk;
    line_counts *n = data;
    n->added += line->origin == GIT_DIFF_LINE_ADDITION;
    n->deleted += line->origin == GIT_DIFF_LINE_DELETION;
    return 0;
}

Test(lazy_libgit2, a_diff_starts_libgit2_and_diffs) {
    static const char before[] = "one\ntwo\nthree\n", after[] = "one\n2\nthree\nfour\n";
    line_counts n = {0, 0};
    int rc = git_diff_buffers(before, sizeof before - 1, "old", after, sizeof after - 1, "new", NULL, NULL, NULL, NULL,
                              count_line, &n);
    cr_assert_eq(rc, 0, "git_diff_buffers failed: %d", rc);
    cr_expect_eq(n.deleted, 1);
    cr_expect_eq(n.added, 2);
    cr_expect_eq(hl_lazy_libgit2_real_inits(), 1);
}
