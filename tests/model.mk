# tests/model.mk: the model-based tests and the coverage-guided fuzzer (docs/testing.md),
# included by the main Makefile.
#
#   build/tests/model-<rt>      Criterion suite in `make test`: random sequences checked
#                               against the reference model (tests/model/), every runtime,
#                               and sanitized on manual and owned
#   build/model/hlm-<rt>        the same from the command line: replay a seed or a file,
#                               long runs, corpus generation
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

$(B)/model/hlm-%: tests/model/cli.c $(HLM_LIB_SRC) $(HLM_HDR) $(TEST_SUPPORT) $(TEST_SUPPORT_H) $(B)/lib/libheaplab-%.a
	@mkdir -p $(@D)
	$(CC) $(call rt_cflags,$*,) -Itests/support -Itests/model tests/model/cli.c $(HLM_LIB_SRC) $(TEST_SUPPORT) \
		-o $@ $(B)/lib/libheaplab-$*.a $(RT_LIBS_$*) -lm

HLM_CLIS := $(foreach rt,$(RUNTIMES),$(B)/model/hlm-$(rt))
TEST_BINS += $(foreach rt,$(RUNTIMES),$(B)/tests/model-$(rt)) $(foreach rt,manual owned,$(B)/tests/san/model-$(rt))
ALL += $(HLM_CLIS)

# ---- make fuzz-long: 10^7 operations, split over the runtimes by what each can run --------------
FUZZ_LONG_OPS ?= 10000000
# per mille of FUZZ_LONG_OPS for each runtime
HLM_SHARE_owned := 400
HLM_SHARE_owned-fast := 150
HLM_SHARE_owned-off := 100
HLM_SHARE_manual := 200
HLM_SHARE_gc := 150
.PHONY: fuzz-long $(addprefix fuzz-long-,$(RUNTIMES))
fuzz-long: $(addprefix fuzz-long-,$(RUNTIMES))
$(addprefix fuzz-long-,$(RUNTIMES)): fuzz-long-%: $(B)/model/hlm-%
	$< --ops $$(( $(FUZZ_LONG_OPS) * $(HLM_SHARE_$*) / 1000 )) $(if $(HLM_SEED),--seed $(HLM_SEED))
