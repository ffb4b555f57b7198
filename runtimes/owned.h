/*
** owned.h: private interface between the owned runtime's files (owned.c: the handle table
** and lifetimes; owned_alloc.c: the block allocator; owned_diag.c: diagnostics). The data
** structures and their invariants are documented in heaplab/owned_fast.h.
*/
#ifndef HL_OWNED_H
#define HL_OWNED_H

#include "runtime.h"

#include <string.h>

/* ---- block allocator (owned_alloc.c) -------------------------------------------------------
** Size-class free lists carved from large chunks: a freed block is reused by the next
** allocation of its class, without malloc's general-purpose bookkeeping. The caller passes
** the block's size to free and realloc (it always knows it), so blocks carry no header.
** Blocks never move while allocated. Zeroed on allocation. NULL when memory is exhausted. */
#define HL_BLK_SMALL_MAX 512
#define HL_BLK_CLASSES (HL_BLK_SMALL_MAX / 8 + 1)

/* The size class of a small block of n bytes: blocks of class c are 8*c bytes. */
static inline size_t hl__blk_class(size_t n) { return n ? (n + 7) >> 3 : 1; }

/* Zero a small block of class cls. Constant-size memsets compile to plain stores; a
** variable-size memset of 16 bytes costs a call or a slow-starting rep stos. */
static inline void hl__blk_zero(void *p, size_t cls) {
    switch (cls) {
    case 1: memset(p, 0, 8); break;
    case 2: memset(p, 0, 16); break;
    case 3: memset(p, 0, 24); break;
    case 4: memset(p, 0, 32); break;
    case 5: memset(p, 0, 40); break;
    case 6: memset(p, 0, 48); break;
    case 7: memset(p, 0, 56); break;
    case 8: memset(p, 0, 64); break;
    default: memset(p, 0, cls * 8); break;
    }
}

void *hl__blk_alloc(size_t n, bool zero);   /* n bytes, zeroed when zero is true */
/* A block of n bytes holding the first min(old, n) bytes of from, the rest zeroed: a moving
** resize clears only what the copy does not cover. */
void *hl__blk_alloc_copy(const void *from, size_t old, size_t n);
void  hl__blk_free(void *p, size_t n);
void *hl__blk_realloc(void *p, size_t old, size_t n);   /* the grown tail is zeroed */
void  hl__blk_release_all(void);                        /* hl_shutdown: return the chunks */

/* ---- the slot arena (owned_table.c) -------------------------------------------------------
** Slots are carved in pages of one class each from a reserved range of address space: a slot
** of class c > 0 is followed by its inline block of c 8-byte units, a slot of class 0 stands
** alone. The layout and its invariants are at the top of owned_table.c. */
#define HL__OPAGE_UNITS 8192u   /* 64 KiB */
extern uint8_t *hl__otable_class;

void     hl__otable_start(void);   /* hl_init: the first time, reserve the range */
void     hl__otable_stop(void);    /* hl_shutdown: this run's pages give their memory back */
/* A slot never used in this run, zeroed. Out of line: programs mostly reuse vacant slots, and
** inlined into the allocation paths it cost binary_trees 1.5% of its instructions (spills). */
uint32_t hl__oslot_carve(size_t cls);
bool     hl__oslot_in_table(const void *p);   /* inside the range (an inline block) */
bool     hl__oslot_valid(uint32_t i);   /* a slot of this run: i names a carved slot, not 0 */
/* Every slot of this run but the sentinel, in index order: first, then next until 0. */
uint32_t hl__oslot_first(void);
uint32_t hl__oslot_next(uint32_t i);

/* The class of slot i's page, and its inline block (class > 0). */
static inline size_t hl__oslot_class(uint32_t i) { return hl__otable_class[i / HL__OPAGE_UNITS]; }
static inline void *hl__oslot_inline(uint32_t i) { return hl__oslot_at(i) + 1; }

/* ---- the handle table (owned.c) ------------------------------------------------------------ */

/* Vacant slot generation of a retired slot whose object moved to another slot; obj then
** holds the forwarding (index, birth) of where it went. Even, and above every live gen. */
#define HL__OGEN_FORWARDED 0xFFFFFFFEu

/* Site ids with a fixed meaning. */
#define HL__SITE_NONE 0        /* no location known */
#define HL__SITE_SCOPE_END 1   /* "at the end of its scope": an HL_LOCAL object's block, or an
                                  HL_OWNED variable whose declaration is not known */

const hl_site *hl__osite_get(uint32_t id);
bool hl__orunning(void);

/* Bytes of payload the object in slot s holds (typed: size; buffers: len * element). */
size_t hl__opayload(const hl__oslot *s);

/* ---- diagnostics (owned_diag.c) ------------------------------------------------------------ */

/* The graveyard: a ring of the last HL__GRAVES dropped objects whose slots were reused,
** so that "use after free" through a recent stale handle can still name the object's type,
** allocation and drop sites (as AddressSanitizer's quarantine does for malloc). Older
** deaths are forgotten: the diagnostic then says only that the slot was reused. */
#define HL__GRAVES 1024

typedef struct hl__ograve {
    hl__oslot dead;   /* the slot as the object left it: gen is its death generation */
    uint32_t  idx;
} hl__ograve;

extern hl__ograve hl__graves[HL__GRAVES];
extern uint32_t   hl__graves_next;

/* Inline: it runs on every allocation that reuses a slot. */
static inline void hl__ograve_bury(uint32_t idx, const hl__oslot *dead) {
    hl__ograve *g = &hl__graves[hl__graves_next++ & (HL__GRAVES - 1)];
    g->dead = *dead;
    g->idx = idx;
}

/* A diagnostic's first lines: "heaplab: error: <kind>" and "-->" (at NULL: the end of an
** HL_OWNED variable's scope, declaration unknown), with the note of a drop at the end of an
** HL_OWNED variable's scope when at is its declaration. The caller adds notes and ends with
** hl__panic_end. */
void hl__obegin(const char *kind, const hl_site *at);

/* The leak report printed by hl_shutdown: live objects grouped by allocation site. */
void hl__oreport_leaks(size_t count, size_t bytes);

/* ---- test hook ------------------------------------------------------------------------------
** Pretend that the live object r sits in a slot reused and moved so often that only
** `bumps_left` more moves or resizes remain before its generation reaches the limit: r is
** relocated (as a move past the limit relocates it) to a slot never used before, whose
** generation is set that high. r and every older copy are stale, as after a move ("use of
** moved value" while the object lives); the returned handle is the object's new, valid
** handle. A borrowed object or a stack object is left as it is and r returned, and so is
** every object at owned-off, which has no generations. For tests of
** slot retirement and relocation, which would otherwise need 2^30 moves. */
hl_ref hl__owned_age_slot(hl_ref r, uint32_t bumps_left);

/* ---- stack objects and regions (owned_scope.c) ---------------------------------------------
** The layout and invariants are in heaplab/owned_fast.h ("stack objects and regions"). */

/* A live slot that holds a stack object (HL_LOCAL): moving, dropping or resizing it is an error. */
static inline bool hl__oslot_is_stack(const hl__oslot *s) { return hl__ogen_is_stack(HL__OGEN(s->head)); }

/* hl_init and hl_shutdown: reset the stack slots, regions and the epoch. stop runs first in
** hl_shutdown: stack objects still live are forgotten there, not reported as leaks. */
void hl__oscope_start(void);
void hl__oscope_stop(void);

/* From owned.c, for owned_scope.c: a vacant slot without a block (its gen even, possibly 0),
** and the type id of a descriptor. */
uint32_t hl__oslot_take(void);
uint32_t hl__otype_id(const hl_type *t);

/* owned_diag.c asks this first about a failed call on a handle whose generation names a stack
** object: it reports "use after scope end" or "cannot move out of a stack object" and exits,
** or returns when the failure is not particular to stack objects. */
void hl__oscope_diagnose(hl_ref r, hl__oop op, const hl_site *at);

/* ---- regions (owned_scope.c) ----------------------------------------------------------------
** Every open region counts its live objects, so hl_region_end checks a counter instead of
** revisiting what the region allocated. An object allocated, or a buffer resized (which
** allocates it anew), while a region is open belongs to the innermost open region. Its slot's
** tag records when: tags[i] is its allocation serial (bit 31: it was resized), a number that
** grows by one per such allocation; a region's start is the serial its first object would
** get. So an object belongs to the innermost open region whose start is at most its serial:
** the top one for nearly every drop, found with one compare.
** Invariants:
**  - slot i's tag is not 0 iff it holds a live object of a region still open (a region's
**    objects are all dead when it ends, else the program stops; a drop clears its object's
**    tag), so a vacant slot's tag is 0.
**  - marks[d].live counts the tagged objects of the region at depth d; starts grow with d.
**  - serials restart at 1 when no region is open; before reaching HL__OREG_SERIAL_MAX they
**    are renumbered in order (owned_scope.c), so they never wrap.
** Where the tag lies (hl__oregion_tag): owned-fast keeps it in the slot, in the two site fields
** it does not use, so allocations and drops touch no other cache line; owned, which uses
** them, keeps the tags in an array (by HL__OKEY of the slot) reserved with the table, which
** takes memory only where written (programs without regions pay nothing). A slot carved
** starts untagged: its page was cleared at the end of the run that used it last. owned-off
** checks nothing and tags nothing (its tags are NULL). */
#define HL__OREG_RESIZED    0x80000000u
#define HL__OREG_SERIAL_MAX 0x7FFFFFFFu

typedef struct hl__oregion_mark {
    uint32_t     seq;     /* the token's; 0 never */
    uint32_t     start;   /* the serial of the region's first object */
    uint64_t     live;    /* its live objects */
    hl__osite_id site;    /* where it began */
} hl__oregion_mark;

typedef struct hl__oregions {
    uint32_t         *tags;     /* by HL__OKEY of the slot, see above; owned only, else NULL */
    uint32_t          next;     /* the next serial */
    hl__oregion_mark *top;      /* the innermost open region; NULL when none is open */
    hl__oregion_mark *marks;    /* the open regions, outermost first (hl__oscope.regions) */
} hl__oregions;
extern hl__oregions hl__oreg;

HL__SLOW uint32_t hl__oregion_renumber(void);
HL__SLOW hl__oregion_mark *hl__oregion_of_slow(uint32_t serial);

/* The open region an object of the given serial (not 0) belongs to: the innermost one, for
** nearly every object, at the cost of one compare. */
static inline hl__oregion_mark *hl__oregion_of(uint32_t serial) {
    hl__oregion_mark *top = hl__oreg.top;
    return serial >= top->start ? top : hl__oregion_of_slow(serial);
}

/* Slot i's region tag (see above). */
static inline uint32_t *hl__oregion_tag(uint32_t i) {
    return HL__OLEVEL >= 2 ? &hl__oreg.tags[HL__OKEY(i)] : &hl__oslot_at(i)->rtag;
}

/* Called by every allocation and resize of a heap object, with its slot: one predictable
** branch when no region is open. A resized buffer leaves the region it belonged to. */
static inline void hl__oregion_note(uint32_t i, bool resized) {
    hl__oregion_mark *top = hl__oreg.top;
    if (HL__OLEVEL == 0 || HL__LIKELY(top == NULL)) return;
    uint32_t *tag = hl__oregion_tag(i);
    if (resized && *tag) hl__oregion_of(*tag & ~HL__OREG_RESIZED)->live--;
    uint32_t serial = hl__oreg.next;
    if (HL__UNLIKELY(serial >= HL__OREG_SERIAL_MAX)) serial = hl__oregion_renumber();
    hl__oreg.next = serial + 1;
    *tag = serial | (resized ? HL__OREG_RESIZED : 0);
    top->live++;
}

/* Called by every drop of a heap object, before its slot is vacated. */
static inline void hl__oregion_forget(uint32_t i) {
    if (HL__OLEVEL == 0 || HL__LIKELY(hl__oreg.top == NULL)) return;
    uint32_t *tag = hl__oregion_tag(i);
    uint32_t serial = *tag & ~HL__OREG_RESIZED;
    if (serial == 0) return;   /* allocated before every open region */
    hl__oregion_of(serial)->live--;
    *tag = 0;
}

/* An object relocated from slot from to slot to (the generation limit) stays its region's. */
static inline void hl__oregion_relocate(uint32_t from, uint32_t to) {
    if (HL__OLEVEL == 0) return;
    *hl__oregion_tag(to) = *hl__oregion_tag(from);
    *hl__oregion_tag(from) = 0;
}

/* Test hook: let only `left` serials remain before the renumbering (which would otherwise
** need 2^31 allocations inside regions). */
void hl__owned_region_skip(uint32_t left);

#endif
