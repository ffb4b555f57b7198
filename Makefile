# heaplab: build every program for every runtime, the runtime libraries and pkg-config files,
# the driver, and the Criterion suites.
#
#   make            build everything into build/
#   make test       all test suites (also under AddressSanitizer + UBSan, valgrind, -fanalyzer)
#   make bench      the benchmark matrix (results in results/)
#   make install PREFIX=/usr/local     (DESTDIR too); make uninstall PREFIX=... removes it
#   make help       every target
#
# Layout of build/:
#   build/<rt>/<program>           program built for runtime rt (manual, gc, owned, owned-fast,
#                                  owned-off, region)
#   build/<rt>/faults/<fault>      the safety cases
#   build/lib/libheaplab-<rt>.a    runtime libraries; build/pkgconfig/heaplab-<rt>.pc
#   build/san/...                  the same under -fsanitize=address,undefined
#   build/tests/...                test suites

# The first rules below are pattern-generated; `make` alone means `make all`.
.DEFAULT_GOAL := all

# Build on every core unless the command line says how (-jN; -j1 for a serial build): make bench
# and make test compile some 400 files before they run anything (99 s serial on 2 cores, 59 s
# with -j2), and make bench has 10 minutes in all.
ifeq ($(filter -j%,$(MAKEFLAGS)),)
MAKEFLAGS += -j$(shell nproc)
endif

CC       ?= cc
OPT      ?= -O2 -g
WARN     := -std=c11 -Wall -Wextra -Werror
CFLAGS   ?=
SANFLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
B        := build
PREFIX   ?= /usr/local
RUNTIMES := manual gc owned owned-fast owned-off region

# Core dependencies: installed (as root) or named by tools/deps.sh before anything is built,
# unless every goal is one that builds nothing.
NOBUILD_GOALS := clean help uninstall
ifeq ($(if $(MAKECMDGOALS),$(filter-out $(NOBUILD_GOALS),$(MAKECMDGOALS)),all),)
NOBUILD := yes
endif
ifneq ($(NOBUILD),yes)
DEPS_OK := $(shell tools/deps.sh core >&2 && echo yes)
ifneq ($(DEPS_OK),yes)
$(error missing core packages: see the message above)
endif
GC_CFLAGS := $(shell pkg-config --cflags bdw-gc)
GC_LIBS   := $(shell pkg-config --libs bdw-gc)
CRIT_CFLAGS := $(shell pkg-config --cflags criterion)
# Every Criterion suite links libgit2's lazy start (tests/support/hl_lazy_libgit2.c says why).
CRIT_LIBS   := $(B)/tests/hl_lazy_libgit2.o $(shell pkg-config --libs criterion)
endif

# ---- runtimes -------------------------------------------------------------------------------
RT_DEF_manual := -DHL_RUNTIME_MANUAL
RT_DEF_gc     := -DHL_RUNTIME_GC
RT_DEF_owned  := -DHL_RUNTIME_OWNED
# The owned runtime's check levels (docs/design.md, "Check levels"): the same sources, less work.
RT_DEF_owned-fast := -DHL_RUNTIME_OWNED -DHL_OWNED_FAST
RT_DEF_owned-off  := -DHL_RUNTIME_OWNED -DHL_OWNED_OFF
RT_DEF_region := -DHL_RUNTIME_REGION
RT_COMMON     := runtimes/common.c $(wildcard runtimes/shared_*.c)
RT_SRC_manual := runtimes/manual.c $(RT_COMMON)
RT_SRC_gc     := runtimes/gc.c $(RT_COMMON)
RT_SRC_owned  := $(wildcard runtimes/owned*.c) $(RT_COMMON)
RT_SRC_owned-fast := $(RT_SRC_owned)
RT_SRC_owned-off  := $(RT_SRC_owned)
RT_SRC_region := runtimes/region.c $(RT_COMMON)
RT_LIBS_gc    := $(GC_LIBS)
HEADERS       := include/heaplab.h $(wildcard include/heaplab/*.h runtimes/*.h)

# ---- programs ------------------------------------------------------------------------------
# Every programs/*.c is a workload, programs/faults/*.c a safety case; programs/lib/*.c is
# the programs' shared helper code (PRNG, argument parsing), linked into each.
PROGRAMS   := $(basename $(notdir $(wildcard programs/*.c)))
FAULTS     := $(basename $(notdir $(wildcard programs/faults/*.c)))
PROGLIB    := $(wildcard programs/lib/*.c)
PROGLIB_H  := $(wildcard programs/lib/*.h)

# cflags/libs for runtime $(1), variant $(2) (empty or san)
rt_cflags = -Iinclude -Iruntimes -Iprograms/lib $(RT_DEF_$(1)) $(if $(filter gc,$(1)),$(GC_CFLAGS)) $(WARN) $(if $(2),$(SANFLAGS),$(OPT)) $(CFLAGS)

define RUNTIME_RULES
# $(1) runtime, $(2) build dir, $(3) variant flag (empty or san)
$(2)/lib/libheaplab-$(1).a: $$(RT_SRC_$(1)) $$(HEADERS) | tools/deps.sh
	@mkdir -p $$(@D)/obj-$(1)
	@rm -f $$@
	$$(foreach s,$$(RT_SRC_$(1)),$$(CC) $$(call rt_cflags,$(1),$(3)) -c $$(s) -o $$(@D)/obj-$(1)/$$(notdir $$(s:.c=.o)) &&) true
	ar rcs $$@ $$(addprefix $$(@D)/obj-$(1)/,$$(notdir $$(RT_SRC_$(1):.c=.o)))

$(2)/$(1)/%: programs/%.c $$(PROGLIB) $$(PROGLIB_H) $(2)/lib/libheaplab-$(1).a
	@mkdir -p $$(@D)
	$$(CC) $$(call rt_cflags,$(1),$(3)) $$< $$(PROGLIB) -o $$@ $(2)/lib/libheaplab-$(1).a $$(RT_LIBS_$(1)) -lm

$(2)/$(1)/faults/%: programs/faults/%.c programs/faults/fault.h $$(PROGLIB) $$(PROGLIB_H) $(2)/lib/libheaplab-$(1).a
	@mkdir -p $$(@D)
	$$(CC) $$(call rt_cflags,$(1),$(3)) $$< $$(PROGLIB) -o $$@ $(2)/lib/libheaplab-$(1).a $$(RT_LIBS_$(1)) -lm
endef
$(foreach rt,$(RUNTIMES),$(eval $(call RUNTIME_RULES,$(rt),$(B),)))
$(foreach rt,$(RUNTIMES),$(eval $(call RUNTIME_RULES,$(rt),$(B)/san,san)))

LIBS      := $(foreach rt,$(RUNTIMES),$(B)/lib/libheaplab-$(rt).a)
PROG_BINS := $(foreach rt,$(RUNTIMES),$(addprefix $(B)/$(rt)/,$(PROGRAMS)))
FAULT_BINS := $(foreach rt,$(RUNTIMES),$(addprefix $(B)/$(rt)/faults/,$(FAULTS)))
SAN_BINS  := $(foreach rt,manual owned,$(addprefix $(B)/san/$(rt)/,$(PROGRAMS)))

# ---- pkg-config files ---------------------------------------------------------------------
# $(1) runtime, $(2) prefix, $(3) include dir, $(4) lib dir
define PCFILE
prefix=$(2)
includedir=$(3)
libdir=$(4)

Name: heaplab-$(1)
Description: heaplab ownership API on the $(1) runtime
Version: 0.1
$(if $(filter gc,$(1)),Requires: bdw-gc)
Cflags: -I$${includedir} $(RT_DEF_$(1))
Libs: -L$${libdir} -lheaplab-$(1)
endef
export PCFILE

# ($(file) is expanded before the recipe runs, so the directory is made by $(shell) first.)
$(B)/pkgconfig/heaplab-%.pc: Makefile
	$(shell mkdir -p $(@D))$(file >$@,$(call PCFILE,$*,$(CURDIR),$(CURDIR)/include,$(CURDIR)/$(B)/lib))
	@echo "wrote $@"

PCFILES := $(foreach rt,$(RUNTIMES),$(B)/pkgconfig/heaplab-$(rt).pc)

# ---- tests ----------------------------------------------------------------------------------
# tests/rt_*.c       built once per runtime (normal, and sanitized for manual and owned)
# tests/owned_*.c    built for owned (normal and sanitized) and owned-fast
# tests/*.mk         further suites (driver, safety), each fragment adds to TEST_BINS
RT_TESTS    := $(basename $(notdir $(wildcard tests/rt_*.c)))
OWNED_TESTS := $(basename $(notdir $(wildcard tests/owned_*.c)))
CRIT_LAZY_GIT := tests/support/hl_lazy_libgit2.c
TEST_SUPPORT := $(filter-out $(CRIT_LAZY_GIT),$(wildcard tests/support/*.c))
TEST_SUPPORT_H := $(wildcard tests/support/*.h)

define TEST_RULES
# $(1) runtime, $(2) out dir, $(3) lib dir, $(4) variant
$(2)/%-$(1): tests/%.c $$(TEST_SUPPORT) $$(TEST_SUPPORT_H) $(3)/libheaplab-$(1).a
	@mkdir -p $$(@D)
	$$(CC) $$(call rt_cflags,$(1),$(4)) -DHL_TEST_RUNTIME='"$(1)"' -Itests/support $$(CRIT_CFLAGS) $$< $$(TEST_SUPPORT) -o $$@ $(3)/libheaplab-$(1).a $$(RT_LIBS_$(1)) $$(CRIT_LIBS) -lm
endef
$(foreach rt,$(RUNTIMES),$(eval $(call TEST_RULES,$(rt),$(B)/tests,$(B)/lib,)))
$(foreach rt,manual owned,$(eval $(call TEST_RULES,$(rt),$(B)/tests/san,$(B)/san/lib,san)))

TEST_BINS := $(foreach t,$(RT_TESTS),$(foreach rt,$(RUNTIMES),$(B)/tests/$(t)-$(rt)) \
                $(foreach rt,manual owned,$(B)/tests/san/$(t)-$(rt))) \
             $(foreach t,$(OWNED_TESTS),$(B)/tests/$(t)-owned $(B)/tests/$(t)-owned-fast $(B)/tests/san/$(t)-owned)

# Suites contributed by other parts of the tree (driver, safety) add to TEST_BINS and ALL.
ALL := $(LIBS) $(PROG_BINS) $(FAULT_BINS) $(PCFILES)
-include bench/*.mk bench/peers/*.mk tests/*.mk

$(B)/tests/hl_lazy_libgit2.o: $(CRIT_LAZY_GIT) tests/support/hl_lazy_libgit2.h
	@mkdir -p $(@D)
	$(CC) $(WARN) $(OPT) $(CFLAGS) $(CRIT_CFLAGS) -Itests/support -c $< -o $@
$(TEST_BINS): $(B)/tests/hl_lazy_libgit2.o

# ---- targets --------------------------------------------------------------------------------
.PHONY: all test bench install uninstall clean san help
all: $(ALL)

san: $(SAN_BINS) $(foreach rt,manual owned,$(B)/san/lib/libheaplab-$(rt).a)

# Every suite runs even when one fails; the target fails if any did. Criterion prints each
# suite's "Synthesis" line on stderr, which CI reads. check-pkgconfig builds an outside
# program against each runtime through pkg-config, in-tree and after `make install` (and
# checks install and uninstall); check-readme compiles and runs the README's example;
# check-report opens a report made from small results in headless Chromium.
# Two gates end it, each with a closing "N passed, N failed" line: valgrind-check runs the
# manual and owned runtime suites and every program (manual, owned, plain C peer; small
# size) under memcheck (skipped with a notice without valgrind); analyzer-check compiles every
# runtime's sources with gcc -fanalyzer, with that runtime's flags.
# The memcheck gate runs from the start, beside everything else, and its report is printed
# last: a suite's runner starts its valgrind'ed workers one at a time, each start taking about
# half a second, so alone the gate leaves most of a core idle (docs/testing.md).
VALGRIND_SUITES  := $(foreach t,$(RT_TESTS),$(B)/tests/$(t)-manual $(B)/tests/$(t)-owned) \
                    $(foreach t,$(OWNED_TESTS),$(B)/tests/$(t)-owned)
ANALYZER_CONFIGS := $(foreach rt,$(RUNTIMES),'$(rt)|$(call rt_cflags,$(rt),)|$(RT_SRC_$(rt))')
test: all san $(TEST_BINS)
	@status=0; gate=$(B)/valgrind-check; \
	 echo "valgrind: the memcheck gate runs beside the suites; its report comes last" >&2; \
	 B='$(B)' tools/valgrind-check.sh $(VALGRIND_SUITES) >$$gate.out 2>$$gate.err & gate_pid=$$!; \
	 tools/run-tests.sh $(TEST_BINS) || status=1; \
	 tools/check-pkgconfig.sh $(RUNTIMES) || status=1; \
	 tools/check-readme.sh $(RUNTIMES) || status=1; \
	 B='$(B)' tools/check-report.sh || status=1; \
	 CC='$(CC)' tools/analyzer-check.sh $(ANALYZER_CONFIGS) || status=1; \
	 wait $$gate_pid || status=1; cat $$gate.err >&2; cat $$gate.out; exit $$status

# tools/install.sh lists what it writes in $(PREFIX)/lib/heaplab/install-manifest.txt;
# uninstall removes exactly that.
INSTALL_ENV = PREFIX='$(PREFIX)' DESTDIR='$(DESTDIR)' B='$(B)' RUNTIMES='$(RUNTIMES)' \
              PROGRAMS='$(PROGRAMS)' FAULTS='$(FAULTS)'
install: all
	$(shell mkdir -p $(B))$(foreach rt,$(RUNTIMES),$(file >$(B)/heaplab-$(rt).pc.install,$(call PCFILE,$(rt),$(PREFIX),$(PREFIX)/include,$(PREFIX)/lib)))
	@$(INSTALL_ENV) tools/install.sh install

uninstall:
	@$(INSTALL_ENV) tools/install.sh uninstall

clean:
	rm -rf $(B)

help:
	@echo 'make [all]         build every program on every runtime ($(RUNTIMES)),'
	@echo '                   the runtime libraries, pkg-config files, the driver and the peers'
	@echo 'make test          every test suite, also under AddressSanitizer + UBSan; the pkg-config,'
	@echo '                   install, README and report (headless Chromium) checks; the valgrind and'
	@echo '                   gcc -fanalyzer gates'
	@echo 'make san           the sanitized builds only'
	@echo 'make bench         the benchmark matrix, the GC sweep, the claims and report.html (results/)'
	@echo 'make safety        the safety matrix (SAFETY_ARGS="..." passes options)'
	@echo 'make fuzz          the owned runtime under libFuzzer for FUZZ_SECONDS (60), the model as'
	@echo '                   oracle; make fuzz-cov its coverage; make fuzz-long 10^7 model-checked'
	@echo '                   operations on every runtime (docs/testing.md)'
	@echo 'make install       headers, libraries, pkg-config files, build/heaplab and the programs'
	@echo '                   it runs, docs; PREFIX=$(PREFIX), DESTDIR respected'
	@echo 'make uninstall     remove what make install wrote (same PREFIX and DESTDIR)'
	@echo 'make clean         remove $(B)/'
	@echo 'make help          this list'

# Keep intermediate binaries make considers temporary.
.SECONDARY:
