# tests/hostile_args.mk: the hostile-arguments suite, included by the main Makefile.
#
#   build/tests/hostile_args   every program (build/manual/<p>) and every heaplab command given
#                              bad arguments: one error line on stderr, nothing on stdout, exit 2
#
# The suite spawns the programs and the driver, so they are its (order-only) prerequisites;
# it finds them at run time (HL_BUILD_DIR) and the program list in the sources (HL_SOURCE_DIR).

HOSTILE_SUITE := $(B)/tests/hostile_args

$(HOSTILE_SUITE): tests/hostile_args.c tests/hostile_args.mk
	@mkdir -p $(@D)
	$(CC) $(WARN) $(OPT) $(CFLAGS) $(CRIT_CFLAGS) -DHL_BUILD_DIR='"$(CURDIR)/$(B)"' -DHL_SOURCE_DIR='"$(CURDIR)"' \
		$< -o $@ $(CRIT_LIBS)

$(HOSTILE_SUITE): | $(addprefix $(B)/manual/,$(PROGRAMS)) $(B)/heaplab

TEST_BINS += $(HOSTILE_SUITE)
