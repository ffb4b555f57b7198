# bench/bench.mk: builds the heaplab driver (build/heaplab) and the driver's Criterion suites,
# and provides `make bench`. Included by the main Makefile after ALL and TEST_BINS are defined.
#
# The driver's logic is the library $(B)/bench/libheaplab-bench.a: every bench/**/*.c except
# bench/main.c and the peers (bench/peers/, built by peers.mk), compiled to
# $(B)/bench/<subdir>/<file>.o. It is linked into build/heaplab and into every test suite
# tests/bench_*.c and tests/safety.c. Sources include "<subdir>/<file>.h" (-Ibench).

# Every .c or .h under bench/, at any depth ($(wildcard) does not recurse).
hlb_rwildcard = $(foreach d,$(wildcard $(1)*),$(call hlb_rwildcard,$(d)/,$(2)) $(filter $(subst *,%,$(2)),$(d)))

HLB_CFLAGS := -std=c11 -Wall -Wextra -Werror -O2 -g -Ibench $(CFLAGS)
HLB_ALL_C  := $(filter-out bench/peers/%,$(call hlb_rwildcard,bench/,*.c))
HLB_SRC    := $(filter-out bench/main.c,$(HLB_ALL_C))
HLB_HDR    := $(filter-out bench/peers/%,$(call hlb_rwildcard,bench/,*.h))
HLB_OBJ    := $(patsubst bench/%.c,$(B)/bench/%.o,$(HLB_SRC))
HLB_LIB    := $(B)/bench/libheaplab-bench.a

$(B)/bench/%.o: bench/%.c $(HLB_HDR) bench/bench.mk
	@mkdir -p $(@D)
	$(CC) $(HLB_CFLAGS) -c $< -o $@

# P keeps each member's path, so that objects with the same file name in two subdirectories
# (commands/compare.o, analyze/compare.o) are both kept.
$(HLB_LIB): $(HLB_OBJ)
	@rm -f $@
	ar rcsP $@ $^

$(B)/heaplab: $(B)/bench/main.o $(HLB_LIB)
	$(CC) $(HLB_CFLAGS) $< -o $@ $(HLB_LIB) -lm

# The size classes are read from the build directory, so that an installed driver finds them.
$(B)/sizes.txt: bench/discover/sizes.txt
	@mkdir -p $(@D)
	cp $< $@

ALL += $(B)/heaplab $(HLB_LIB) $(B)/sizes.txt

# ---- driver tests ------------------------------------------------------------------------------
HLB_TESTS := $(basename $(notdir $(wildcard tests/bench_*.c))) safety

$(B)/tests/bench_%: tests/bench_%.c $(HLB_LIB) $(HLB_HDR) $(B)/heaplab
	@mkdir -p $(@D)
	$(CC) $(HLB_CFLAGS) -DHLB_TEST_ROOT='"$(CURDIR)"' $(CRIT_CFLAGS) $< -o $@ $(HLB_LIB) $(CRIT_LIBS) -lm

$(B)/tests/safety: tests/safety.c $(HLB_LIB) $(HLB_HDR) $(B)/heaplab
	@mkdir -p $(@D)
	$(CC) $(HLB_CFLAGS) -DHLB_TEST_ROOT='"$(CURDIR)"' $(CRIT_CFLAGS) $< -o $@ $(HLB_LIB) $(CRIT_LIBS) -lm

TEST_BINS += $(addprefix $(B)/tests/,$(HLB_TESTS))

# ---- make bench --------------------------------------------------------------------------------
# Every program on every available runtime variant and peer at its default size: 3 measured
# runs per cell, interleaved, after one untimed run that collects the runtime statistics;
# tables in results/ (results.md, .csv, .json, wall_ratio.svg, rss_ratio.svg). Then the GC
# space-time sweep of binary_trees (results/sweep_binary_trees.*), the safety matrix, the
# lesson's claims (results/claims.*: from those results, and stack_vs_heap run on each
# runtime) and the one-page report (results/report.html). Every figure is measured afresh.
# The plan for the 10-minute budget: 11 variants x 9 programs need 3 reps, not 5 (with 5 reps
# and 7 variants the matrix alone takes 6 minutes). Where page faults cost 12-17 microseconds
# (3 to 4.6 s per GiB first touched, as on the machines here), memory first touched costs most:
# with 12 variants and 4 runs a cell the whole of make bench takes 10m43s there. So a peer skips
# the statistics run it has no use for (measure/schedule.c); region takes huge pages once it
# holds 32 MiB (runtimes/region.c: 10.8 s a run of alloc_mix with 4 KiB pages, under 2 s with
# them); and gc-tuned, whose 256 MiB heap costs each run 0.7 s of first touches, runs only when
# named (--runtimes gc-tuned), since the sweep measures Boehm given more memory. 9 minutes there.
HLB_BENCH_ARGS ?= --reps 3 --warmup 1
HLB_SWEEP_ARGS ?= --reps 2
HLB_SWEEP_PROGRAM ?= binary_trees
.PHONY: bench
bench: all
	@tools/deps.sh optional
	$(B)/heaplab bench --out results/ $(HLB_BENCH_ARGS)
	$(B)/heaplab sweep $(HLB_SWEEP_PROGRAM) --out results/ $(HLB_SWEEP_ARGS)
	rm -f results/safety.json results/stack_vs_heap.json
	$(B)/heaplab safety --out results/ >/dev/null
	$(B)/heaplab claims --results results/ --out results/
	$(B)/heaplab report --out results/
