/*
** hl_lazy_libgit2.h: libgit2 initialised on Criterion's first diff, not in every test process
** (why: hl_lazy_libgit2.c). Linked into every Criterion suite through CRIT_LIBS.
*/
#ifndef HL_LAZY_LIBGIT2_H
#define HL_LAZY_LIBGIT2_H

/* 1 once this process has initialised the real libgit2 (on its first git_diff_buffers), else 0. */
int hl_lazy_libgit2_real_inits(void);

#endif
