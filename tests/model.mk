# tests/model.mk: the model-based tests and the coverage-guided fuzzer (docs/testing.md),
# included by the main Makefile.
#
#   build/tests/model-<rt>      Criterion suite in `make test`: random sequences checked
#                               against the reference model (tests/model/), every runtime,
#                               and sanitized on manual and owned
#   build/tests/model/hlm-<rt>  the same from the command line: replay a seed or a file,
#                               long runs, corpus generation
# (Everything lives under build/tests/, which the driver does not take for runtime variants.)
#   make fuzz-long              10^7 operations over all runtimes (FUZZ_LONG_OPS)
#   make fuzz                   libFuzzer + AddressSanitizer on owned for FUZZ_SECONDS (60)
#   make fuzz-cov               line coverage of runtimes/owned*.c by the fuzzing corpus

HLM_LIB_SRC := $(addprefix tests/model/,model.c gen.c interp.c check.c print.c run.c regressions.c)
HLM_HDR     := $(wildcard tests/model/*.h tests/model/*.def)

define HLM_RULES
# $(1) runtime, $(2) suite dir, $(3) runtime library dir, $(4) variant (empty or san)
$(2)/model-$(1): tests/model/suite.c $$(HLM_LIB_SRC) $$(HLM_HDR) $$(TEST_SUPPORT) $$(TEST_SUPPORT_H) $(3)/libheaplab-$(1).a
	@mkdir -p $$(@D)
	$$(CC) $$(call rt_cflags,$(1),$(4)) $(if $(4),-DHLM_SANITIZED) -DHLM_SAVE_DIR='"$(CURDIR)/$(B)/tests/model-failures"' \
		-Itests/support -Itests/model $$(CRIT_CFLAGS) tests/model/suite.c $$(HLM_LIB_SRC) $$(TEST_SUPPORT) \
		-o $$@ $(3)/libheaplab-$(1).a $$(RT_LIBS_$(1)) $$(CRIT_LIBS) -lm
endef
$(foreach rt,$(RUNTIMES),$(eval $(call HLM_RULES,$(rt),$(B)/tests,$(B)/lib,)))
$(foreach rt,manual owned,$(eval $(call HLM_RULES,$(rt),$(B)/tests/san,$(B)/san/lib,san)))

$(B)/tests/model/hlm-%: tests/model/cli.c $(HLM_LIB_SRC) $(HLM_HDR) $(TEST_SUPPORT) $(TEST_SUPPORT_H) $(B)/lib/libheaplab-%.a
	@mkdir -p $(@D)
	$(CC) $(call rt_cflags,$*,) -DHLM_SAVE_DIR='"$(CURDIR)/$(B)/tests/model-failures"' -Itests/support -Itests/model \
		tests/model/cli.c $(HLM_LIB_SRC) $(TEST_SUPPORT) \
		-o $@ $(B)/lib/libheaplab-$*.a $(RT_LIBS_$*) -lm

HLM_CLIS := $(foreach rt,$(RUNTIMES),$(B)/tests/model/hlm-$(rt))
TEST_BINS += $(foreach rt,$(RUNTIMES),$(B)/tests/model-$(rt)) $(foreach rt,manual owned,$(B)/tests/san/model-$(rt))
ALL += $(HLM_CLIS)

# ---- make fuzz-long: 10^7 operations, split over the runtimes by what each can run --------------
FUZZ_LONG_OPS ?= 10000000
# per mille of FUZZ_LONG_OPS for each runtime
HLM_SHARE_owned := 400
HLM_SHARE_owned-fast := 150
HLM_SHARE_owned-off := 100
HLM_SHARE_manual := 150
HLM_SHARE_gc := 100
HLM_SHARE_region := 100
.PHONY: fuzz-long $(addprefix fuzz-long-,$(RUNTIMES))
fuzz-long: $(addprefix fuzz-long-,$(RUNTIMES))
$(addprefix fuzz-long-,$(RUNTIMES)): fuzz-long-%: $(B)/tests/model/hlm-%
	$< --ops $$(( $(FUZZ_LONG_OPS) * $(HLM_SHARE_$*) / 1000 )) $(if $(HLM_SEED),--seed $(HLM_SEED))

# ---- make fuzz: libFuzzer on owned, the model as the oracle ------------------------------------
# The owned runtime, the model and the interpreter built with clang into $(B)/tests/fuzz/obj, with
# libFuzzer's coverage instrumentation, AddressSanitizer and UBSan. The runtime's
# stack-overflow handler is left out (fuzz.c says why); _Exit is wrapped so that a violation
# returns to the fuzzer. New inputs go to $(B)/tests/fuzz/corpus, crashes to $(B)/tests/fuzz/crash-*.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_ARGS    ?=
FUZZ_DIR     := $(B)/tests/fuzz
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS  := -std=c11 -Wall -Wextra -Werror -O1 -g -fno-omit-frame-pointer -Iinclude -Iruntimes -Itests/support \
                -Itests/model -DHL_RUNTIME_OWNED
FUZZ_SRC     := $(filter-out runtimes/shared_signals.c,$(RT_SRC_owned)) tests/model/fuzz.c $(HLM_LIB_SRC) $(TEST_SUPPORT)
FUZZ_OBJ     := $(patsubst %.c,$(FUZZ_DIR)/obj/%.o,$(FUZZ_SRC))
FUZZ_COV_OBJ := $(patsubst %.c,$(FUZZ_DIR)/cov/%.o,$(FUZZ_SRC))
FUZZ_LDFLAGS := -Wl,--wrap=_Exit -lm

FUZZ_CC_OK = @command -v $(FUZZ_CC) >/dev/null || { echo "fuzz: $(FUZZ_CC) not found (apt-get install clang libclang-rt-14-dev)" >&2; exit 1; }

$(FUZZ_DIR)/obj/%.o: %.c $(HEADERS) $(HLM_HDR) $(TEST_SUPPORT_H) tests/model.mk
	$(FUZZ_CC_OK)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_DIR)/hlm-fuzz: $(FUZZ_OBJ)
	$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer $^ -o $@ $(FUZZ_LDFLAGS)

# The same without sanitizers, with source-based coverage: it replays a corpus (-runs=0).
$(FUZZ_DIR)/cov/%.o: %.c $(HEADERS) $(HLM_HDR) $(TEST_SUPPORT_H) tests/model.mk
	$(FUZZ_CC_OK)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fprofile-instr-generate -fcoverage-mapping -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_DIR)/hlm-cov: $(FUZZ_COV_OBJ)
	$(FUZZ_CC) -fprofile-instr-generate -fsanitize=fuzzer $^ -o $@ $(FUZZ_LDFLAGS)

.PHONY: fuzz fuzz-cov
fuzz: $(FUZZ_DIR)/hlm-fuzz
	@mkdir -p $(FUZZ_DIR)/corpus
	$(FUZZ_DIR)/hlm-fuzz -max_total_time=$(FUZZ_SECONDS) -max_len=2560 -timeout=60 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix=$(FUZZ_DIR)/ $(FUZZ_ARGS) $(FUZZ_DIR)/corpus tests/model/corpus

LLVM_PROFDATA ?= $(firstword $(wildcard /usr/bin/llvm-profdata-14 /usr/bin/llvm-profdata))
LLVM_COV      ?= $(firstword $(wildcard /usr/bin/llvm-cov-14 /usr/bin/llvm-cov))
FUZZ_COVERED  := $(wildcard runtimes/owned*.c) include/heaplab/owned_fast.h
fuzz-cov: $(FUZZ_DIR)/hlm-cov
	@test -n "$(LLVM_PROFDATA)" -a -n "$(LLVM_COV)" || { echo "fuzz-cov: llvm-profdata or llvm-cov not found (apt-get install llvm-14)" >&2; exit 1; }
	@mkdir -p $(FUZZ_DIR)/corpus
	rm -f $(FUZZ_DIR)/cov.profraw
	LLVM_PROFILE_FILE=$(FUZZ_DIR)/cov.profraw $(FUZZ_DIR)/hlm-cov -runs=0 $(FUZZ_DIR)/corpus tests/model/corpus
	$(LLVM_PROFDATA) merge -sparse $(FUZZ_DIR)/cov.profraw -o $(FUZZ_DIR)/cov.profdata
	$(LLVM_COV) report $(FUZZ_DIR)/hlm-cov -instr-profile=$(FUZZ_DIR)/cov.profdata $(FUZZ_COVERED)
