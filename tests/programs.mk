# tests/programs.mk: the programs' suite, included by the main Makefile (after bench/bench.mk).
#
#   build/tests/programs   runs every program (small sizes) on every runtime, the sanitized
#                          manual and owned builds and the peers; checks checksums, leaks, region
#                          marks, arguments, and stack_vs_heap's JSON line (parsed with the
#                          driver's reader, so the suite links the driver's library)
#
# The suite spawns the program binaries, so they are its (order-only) prerequisites: they are
# built or brought up to date first, without relinking the suite when a program changes.

PROGRAMS_SUITE := $(B)/tests/programs

$(PROGRAMS_SUITE): tests/programs.c tests/programs.mk $(HLB_LIB) $(HLB_HDR)
	@mkdir -p $(@D)
	$(CC) $(WARN) $(OPT) $(CFLAGS) $(CRIT_CFLAGS) -Ibench -DHL_BUILD_DIR='"$(CURDIR)/$(B)"' -DHL_SOURCE_DIR='"$(CURDIR)"' \
		tests/programs.c -o $@ $(HLB_LIB) $(CRIT_LIBS) -lm

$(PROGRAMS_SUITE): | $(PROG_BINS) $(SAN_BINS) $(PEER_BINS)

TEST_BINS += $(PROGRAMS_SUITE)
