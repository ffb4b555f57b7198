# tests/harness.mk: the test harness's own suite, included by the main Makefile.
#
#   build/tests/harness   libgit2 started lazily in Criterion's processes (hl_lazy_libgit2.c)

HARNESS_SUITE := $(B)/tests/harness

$(HARNESS_SUITE): tests/harness.c tests/harness.mk tests/support/hl_lazy_libgit2.h
	@mkdir -p $(@D)
	$(CC) $(WARN) $(OPT) $(CFLAGS) $(CRIT_CFLAGS) -Itests/support $< -o $@ $(CRIT_LIBS)

TEST_BINS += $(HARNESS_SUITE)
