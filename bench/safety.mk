# bench/safety.mk: the safety matrix (issue 5), included by the main Makefile.
#
#   make safety                 print the matrix (every fault on every runtime);
#                               SAFETY_ARGS="--verbose --json f.json" passes options
#   build/heaplab-safety        the same command, standalone (`heaplab safety` in the driver)
#   build/asan/faults/<fault>   the fault programs on manual, AddressSanitizer + UBSan
#   build/tests/safety          the Criterion suite: classifier, expectations, owned column
#
# The driver (issue 4) links $(SAFETY_SRC) and calls hl_safety_main (bench/safety.h).

SAFETY_SRC   := bench/safety.c bench/safety_run.c bench/classify.c bench/safety_expect.c
SAFETY_H     := bench/safety.h bench/safety_run.h bench/classify.h bench/safety_expect.h
SAFETY_FLAGS := -Ibench $(WARN) $(OPT) $(CFLAGS)

ASAN_FAULT_BINS := $(addprefix $(B)/asan/faults/,$(FAULTS))

$(B)/asan/faults/%: programs/faults/%.c programs/faults/fault.h $(PROGLIB) $(PROGLIB_H) $(B)/san/lib/libheaplab-manual.a
	@mkdir -p $(@D)
	$(CC) $(call rt_cflags,manual,san) $< $(PROGLIB) -o $@ $(B)/san/lib/libheaplab-manual.a -lm

$(B)/heaplab-safety: bench/safety_main.c $(SAFETY_SRC) $(SAFETY_H)
	@mkdir -p $(@D)
	$(CC) $(SAFETY_FLAGS) -DHL_SAFETY_STANDALONE bench/safety_main.c $(SAFETY_SRC) -o $@

$(B)/tests/safety: tests/safety.c $(SAFETY_SRC) $(SAFETY_H)
	@mkdir -p $(@D)
	$(CC) $(SAFETY_FLAGS) $(CRIT_CFLAGS) tests/safety.c $(SAFETY_SRC) -o $@ $(CRIT_LIBS)

# The binaries the matrix runs. The owned ones only once the owned runtime is there.
SAFETY_RUNS := $(addprefix $(B)/manual/faults/,$(FAULTS)) $(addprefix $(B)/gc/faults/,$(FAULTS)) \
               $(if $(wildcard runtimes/owned*.c),$(addprefix $(B)/owned/faults/,$(FAULTS))) \
               $(ASAN_FAULT_BINS)

ALL       += $(ASAN_FAULT_BINS) $(B)/heaplab-safety
TEST_BINS += $(B)/tests/safety

# The suite runs fault programs: they must be built first (make test builds `all` anyway).
$(B)/tests/safety: | $(SAFETY_RUNS)

.PHONY: safety
safety: $(SAFETY_RUNS) $(B)/heaplab-safety
	@$(B)/heaplab-safety --build $(B) $(SAFETY_ARGS)
