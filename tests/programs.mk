# tests/programs.mk: the workload programs' suite (issue 3), included by the main Makefile.
#
#   build/tests/programs   runs every program (small sizes) on manual, gc and owned, and the
#                          sanitized manual and owned builds; checks checksums, leaks, arguments
#
# The suite spawns the program binaries, so they are its (order-only) prerequisites: they are
# built or brought up to date first, without relinking the suite when a program changes.

PROGRAMS_SUITE := $(B)/tests/programs

$(PROGRAMS_SUITE): tests/programs.c tests/programs.mk
	@mkdir -p $(@D)
	$(CC) $(WARN) $(OPT) $(CFLAGS) $(CRIT_CFLAGS) -DHL_BUILD_DIR='"$(CURDIR)/$(B)"' -DHL_SOURCE_DIR='"$(CURDIR)"' \
		tests/programs.c -o $@ $(CRIT_LIBS)

$(PROGRAMS_SUITE): | $(PROG_BINS) $(SAN_BINS) $(PEER_BINS)

TEST_BINS += $(PROGRAMS_SUITE)
