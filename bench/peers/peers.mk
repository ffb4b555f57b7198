# bench/peers/peers.mk: the peers, each workload written as a C or Rust programmer would write
# it without heaplab, printing the same checksum line. Included by the main Makefile.
#
#   build/peers/c/<program>      bench/peers/c/<program>.c, plain C with malloc/free
#   build/peers/c+gc/<program>   the same source for Boehm as Boehm documents (-DHL_PEER_GC:
#                                GC_MALLOC / GC_MALLOC_ATOMIC, frees compiled out)
#   build/peers/rust/<program>   bench/peers/rust/<program>.rs, safe std-only Rust, rustc -O
#
# The C peers share programs/lib (the seeded PRNG, the size argument and the checksum line:
# the experiment's inputs, not a runtime) and bench/peers/c/peer.h.

PEER_C_SRC   := $(filter-out bench/peers/c/peer.h,$(wildcard bench/peers/c/*.c))
PEER_C_NAMES := $(basename $(notdir $(PEER_C_SRC)))
PEER_C_FLAGS  = -Iprograms/lib -Ibench/peers/c $(WARN) $(OPT) $(CFLAGS)

$(B)/peers/c/%: bench/peers/c/%.c $(wildcard bench/peers/c/*.h) $(PROGLIB) $(PROGLIB_H)
	@mkdir -p $(@D)
	$(CC) $(PEER_C_FLAGS) $< $(PROGLIB) -o $@ -lm

$(B)/peers/c+gc/%: bench/peers/c/%.c $(wildcard bench/peers/c/*.h) $(PROGLIB) $(PROGLIB_H)
	@mkdir -p $(@D)
	$(CC) $(PEER_C_FLAGS) -DHL_PEER_GC $(GC_CFLAGS) $< $(PROGLIB) -o $@ $(GC_LIBS) -lm

PEER_BINS := $(addprefix $(B)/peers/c/,$(PEER_C_NAMES)) $(addprefix $(B)/peers/c+gc/,$(PEER_C_NAMES))

# Rust peers: optional (rustc from rustup or Debian's rustc package).
PEER_RUSTC    := $(shell command -v rustc 2>/dev/null)
PEER_RUST_SRC := $(filter-out bench/peers/rust/common.rs,$(wildcard bench/peers/rust/*.rs))
ifneq ($(PEER_RUSTC),)
$(B)/peers/rust/%: bench/peers/rust/%.rs $(wildcard bench/peers/rust/common.rs)
	@mkdir -p $(@D)
	$(PEER_RUSTC) -O --edition 2021 -o $@ $<
PEER_BINS += $(patsubst bench/peers/rust/%.rs,$(B)/peers/rust/%,$(PEER_RUST_SRC))
else ifneq ($(NOBUILD),yes)
$(info heaplab: notice: rustc not found on PATH: the Rust peers (variant rust) are not built; apt-get install rustc to add them)
endif

ALL += $(PEER_BINS)
