# bench/safety.mk: the safety matrix's fault builds and `make safety`, included by the main
# Makefile.
#
#   make safety                 build/heaplab safety: every fault on every runtime column;
#                               SAFETY_ARGS="--verbose --json f.json" passes options
#   build/asan/faults/<fault>   the fault programs on manual, AddressSanitizer + UBSan

ASAN_FAULT_BINS := $(addprefix $(B)/asan/faults/,$(FAULTS))

$(B)/asan/faults/%: programs/faults/%.c programs/faults/fault.h $(PROGLIB) $(PROGLIB_H) $(B)/san/lib/libheaplab-manual.a
	@mkdir -p $(@D)
	$(CC) $(call rt_cflags,manual,san) $< $(PROGLIB) -o $@ $(B)/san/lib/libheaplab-manual.a -lm

# The binaries the matrix runs.
SAFETY_RUNS := $(foreach rt,$(RUNTIMES),$(addprefix $(B)/$(rt)/faults/,$(FAULTS))) $(ASAN_FAULT_BINS)

ALL += $(ASAN_FAULT_BINS)

# The suite runs fault programs: they must be built first (make test builds `all` anyway).
$(B)/tests/safety: | $(SAFETY_RUNS)

.PHONY: safety
safety: $(SAFETY_RUNS) $(B)/heaplab
	@$(B)/heaplab safety --build $(B) $(SAFETY_ARGS)
