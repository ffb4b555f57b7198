# bench/bench.mk: builds the heaplab driver (build/heaplab) and the driver's Criterion suites,
# and provides `make bench`.
# Included by the main Makefile after ALL and TEST_BINS are defined.
#
# The driver's logic is a library of objects (every bench/*.c but main.c, including
# bench/safety.c when it exists) linked into both build/heaplab and the test suites.

HLB_CFLAGS := -std=c11 -Wall -Wextra -Werror -O2 -g -Ibench $(CFLAGS)
HLB_SRC    := $(filter-out bench/main.c,$(wildcard bench/*.c))
HLB_HDR    := $(wildcard bench/*.h)
HLB_OBJ    := $(patsubst bench/%.c,$(B)/bench/%.o,$(HLB_SRC))
HLB_LIB    := $(B)/bench/libheaplab-bench.a

$(B)/bench/%.o: bench/%.c $(HLB_HDR) bench/bench.mk
	@mkdir -p $(@D)
	$(CC) $(HLB_CFLAGS) -c $< -o $@

$(HLB_LIB): $(HLB_OBJ)
	@rm -f $@
	ar rcs $@ $^

# Linked from the objects themselves (not the archive) so that weak references, such as the
# safety command's entry point, resolve when bench/safety.c is present.
$(B)/heaplab: $(B)/bench/main.o $(HLB_OBJ)
	$(CC) $(HLB_CFLAGS) $^ -o $@ -lm

ALL += $(B)/heaplab $(HLB_LIB)

# ---- driver tests ------------------------------------------------------------------------------
HLB_TESTS := $(basename $(notdir $(wildcard tests/bench_*.c)))

$(B)/tests/bench_%: tests/bench_%.c $(HLB_LIB) $(HLB_HDR) $(B)/heaplab
	@mkdir -p $(@D)
	$(CC) $(HLB_CFLAGS) -DHLB_TEST_ROOT='"$(CURDIR)"' $(CRIT_CFLAGS) $< -o $@ $(HLB_LIB) $(CRIT_LIBS) -lm

TEST_BINS += $(addprefix $(B)/tests/,$(HLB_TESTS))

# ---- make bench --------------------------------------------------------------------------------
# Every program on every available runtime variant at its default size, 5 measured runs per
# cell after 1 warmup; tables in results/ (results.md, .csv, .json, wall_ratio.svg,
# rss_ratio.svg). Then the GC space-time sweep of binary_trees (results/sweep_binary_trees.*).
# With 3 runs it took 3 min 52 s on 2 cores (8 programs, 7 variants); 5 runs take about 6 min.
HLB_BENCH_ARGS ?= --reps 5
HLB_SWEEP_PROGRAM ?= binary_trees
.PHONY: bench
bench: all
	@tools/deps.sh optional
	$(B)/heaplab bench --out results/ $(HLB_BENCH_ARGS)
	$(B)/heaplab sweep $(HLB_SWEEP_PROGRAM) --out results/
