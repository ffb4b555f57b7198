/*
** include/heaplab/owned_fast.h: the inline half of the owned runtime (included by heaplab.h).
**
** A handle is (generation << 32 | slot index). Every object has a 24-byte slot { head, obj,
** birth, alloc site, event site }. Slot i lies at hl__orun.slots + 8 * i (hl__oslot_at), in one
** reserved range carved into pages of one size class each (runtimes/owned_table.c): a small
** object (a typed object, or a buffer with its length word, of up to 512 bytes) lies right
** after its slot, and obj points there. So the slot a check loads and the object the program
** then reads share a cache line, instead of costing two misses. head packs the three fields
** every checked call validates into one 64-bit word, so that one load fetches them and one or
** two compares check them:
**
**     head = gen << 32 | tid << 16 | borrow
**
** The generation sits where a handle keeps it (a handle is gen << 32 | index), so one xor
** compares them; the borrow flag sits in the low bits, so taking and releasing a shared
** borrow is adding and subtracting 1.
**
** The last three fields are written by allocation, moves and drops (at owned-fast, which
** remembers no sites, the two site fields hold the object's region tag instead). Keeping
** them in the same slot (rather than a parallel "cold" array) keeps an object operation on
** the object's own cache lines: on trees too big for the cache that is what decides the speed.
**
** Invariants (the whole safety argument rests on them):
**  - gen is odd while the slot holds a live object and even while it is vacant (slotmap's
**    convention). A handle is valid iff its generation equals gen; handles are only ever
**    created with odd generations, so no handle matches a vacant slot.
**  - a move or resize adds 2 to gen (older copies of the handle stop matching); a drop adds 1
**    (vacant). Generations only grow, up to HL__OGEN_MAX = 2^30 - 1: a slot that would pass it
**    is retired (never reused) and a live object in it is moved to a fresh slot, so a stale
**    handle never becomes valid again. A vacant slot is reused only with a generation to
**    spare (owned.c, slot_vacate), so every new object can be moved or resized at least once.
**    Generations above it belong to stack objects' slots (see "stack objects and regions" at
**    the end).
**  - birth is gen when the current (or last) object of the slot was allocated, so a stale
**    handle with birth <= gen < slot gen refers to the slot's current object (moved since:
**    "use of moved value" if it lives) and one with gen < birth to an older, dropped object.
**  - a moved-out variable holds its old handle with bit 63 set (HL__OMOVED): hl_is_null is
**    true for it, and no slot generation can match it.
**  - borrow is RefCell's flag, as 16 bits: 0 unborrowed, 1 .. 0x7FFF shared borrows, 0xFFFF
**    exclusive. Shared borrows past 0x7FFF are allowed and counted in no slot of theirs (see
**    hl__oborrow_slow), which is exact because borrows are released in LIFO order. tid:
**    hl__orun.types[tid] is the object's descriptor; bytes are 0, refs 1, 0xFFFF is never
**    assigned (HL__NO_HINT names it).
**  - slot 0 is never used (HL_NULL has index 0); its gen never matches.
**  - an index once handed out names a slot for the whole run (pages keep their class), and
**    the range stays reserved across hl_shutdown, so releasing a borrow always writes inside
**    it; nslots bounds the carved pages.
** The fast paths below check exactly these and call an out-of-line function (owned_diag.c)
** to diagnose and report anything else.
**
** Aliasing: head and nslots have type unsigned long long (hl__oword), a type that program
** data is not stored through (uint64_t is unsigned long on LP64 targets), and the table base
** is a pointer to a struct. So C's effective-type rules tell the compiler that stores through
** uint32_t, uint64_t or hl_ref lvalues (elements of slices, fields of objects) leave the
** table alone, and it keeps a validated slot in registers across them. Stores through bytes
** (unsigned char) can alias anything; slices of wider elements avoid them in hot loops.
*/
#ifndef HL_OWNED_FAST_H
#define HL_OWNED_FAST_H

/* Check levels (docs/design.md, "Check levels"), chosen when the program and its runtime
** library are built, through pkg-config:
**   2  owned       every check; allocation, move and drop sites remembered for the notes
**   1  owned-fast  every check; no sites remembered (a diagnostic gives kind and -->)
**   0  owned-off   no checks: a handle is only an index into the table (misuse is undefined)
** The three share one slot layout; the level only removes work from the paths below. */
#if defined(HL_OWNED_OFF)
#define HL__OLEVEL 0
#elif defined(HL_OWNED_FAST)
#define HL__OLEVEL 1
#else
#define HL__OLEVEL 2
#endif

typedef unsigned long long hl__oword;

typedef struct hl__oslot {
    hl__oword head;    /* gen << 32 | tid << 16 | borrow, see above */
    void     *obj;     /* the payload (a buffer's length is the word before it) */
    uint32_t  birth;   /* gen at allocation (or relocation) of the slot's object */
    union {
        struct {
            uint16_t alloc;   /* site id of its allocation (0: unknown) */
            uint16_t event;   /* site id of its last move or resize; of its drop once vacant */
        };
        /* owned-fast remembers no sites: the object's region tag lies here instead, on the
        ** slot's own cache line (runtimes/owned.h, "regions"). */
        uint32_t rtag;
    };
} hl__oslot;

/* The fields of a head word, and a head word from its fields. */
#define HL__OGEN(h) ((uint32_t)((h) >> 32))
#define HL__OTID(h) ((uint16_t)((h) >> 16))
#define HL__OBORROW(h) ((int16_t)(uint16_t)(h))
#define HL__OHEAD(gen, borrow, tid)                                                        \
    ((hl__oword)(uint32_t)(gen) << 32 | (hl__oword)(uint16_t)(tid) << 16 | (hl__oword)(uint16_t)(borrow))
#define HL__OGEN_ONE (1ULL << 32)          /* head + this: the next generation */
#define HL__OBORROW_BITS 0xFFFFULL         /* head | this: exclusively borrowed */
#define HL__OSHARED_LIMIT 0x7FFFu          /* shared borrows stay below this */

/* Site ids are 16 bits (they keep the slot at 24 bytes): the first 65,534 distinct call
** sites of a program are remembered, later ones are reported as "location unknown". */
typedef uint16_t hl__osite_id;

typedef struct hl__oruntime {
    hl__oslot      *slots;
    hl__oword       nslots;   /* indexes below it lie in carved pages */
    const hl_type **types;    /* by type id; ids are kept for the life of the process */
    /* Where the live borrows of slot i were taken, for the notes of a borrow conflict: the
    ** site id of the borrow that took slot i's borrow flag from 0 (unborrowed). Only the level
    ** that remembers sites (owned) keeps it; elsewhere it is NULL. Indexed by HL__OKEY(i), in
    ** a range reserved beside the slots' (the slot stays 24 bytes). Invariant: while slot i's
    ** borrow flag is not 0, its entry names a borrow that is still live. An exclusive borrow is
    ** the only one; a shared borrow that found the flag at 0 is the first of its object's
    ** shared borrows, and since borrows are released in LIFO order (they are lexical) it is the
    ** last to go: it lives while any shared borrow of the object lives. Borrows that find the
    ** flag already set, or counted past the saturation (HL__OGUARD_UNCOUNTED), write nothing. */
    hl__osite_id   *bsites;
} hl__oruntime;

extern hl__oruntime hl__orun;

/* Slot i: handle indexes count 8-byte units from the table's base (see "the slot arena"). */
static inline hl__oslot *hl__oslot_at(uint32_t i) { return (hl__oslot *)((char *)hl__orun.slots + (size_t)i * 8); }

/* Slot i's entry in the arrays beside the table (bsites, region tags): slots lie at least
** four units apart, so i / 4 tells them apart. */
#define HL__OKEY(i) ((uint32_t)(i) >> 2)

#define HL__OMOVED (1ULL << 63)
#define HL__OGEN_MAX 0x3FFFFFFFu
#define HL__TID_BYTES 0
#define HL__TID_REFS 1
#define HL__TID_NONE 0xFFFF   /* never assigned: HL__NO_HINT expects it */

/* What a failing fast path was doing, for the diagnosis. */
typedef enum hl__oop {
    HL__OP_READ, HL__OP_WRITE, HL__OP_MOVE, HL__OP_RESIZE, HL__OP_DROP,
    HL__OP_GET, HL__OP_SET, HL__OP_SLOT, HL__OP_LEN
} hl__oop;

hl_ref hl__new(const hl_type *t, const hl_site *at);
void   hl__drop(hl_ref *r, const hl_site *at);

/* Diagnose why op on r failed and report it (exit 101). want: the expected descriptor for
** borrows and element access; index: for element access. Fast paths call it only when a
** check failed, so it never returns. Moves have their own slow path, which also handles the
** legal cases the fast path declines (moving HL_NULL, relocating an old slot's object). */
HL__NORETURN HL__COLD void hl__ofail(hl_ref r, const hl_type *want, hl__oop op, size_t index,
                                     const hl_site *at);
HL__SLOW hl_ref hl__omove_slow(hl_ref *from, const hl_site *at);
HL__SLOW hl__osite_id hl__osite_intern(hl_site *at);

static inline bool hl_is_null(hl_ref r) { return (int64_t)r.bits <= 0; }

static inline hl__osite_id hl__osite(const hl_site *at) {
    return HL__LIKELY(at->id) ? (hl__osite_id)at->id : hl__osite_intern((hl_site *)at);
}

/* Remember where an event happened, at the level that keeps sites. */
#define HL__OREMEMBER(field, at)                                                           \
    do {                                                                                   \
        if (HL__OLEVEL >= 2) (field) = hl__osite(at);                                      \
    } while (0)

/* Does the head's generation equal the handle's? (A moved-out handle has bit 63 set,
** which no generation has.) */
static inline bool hl__ogen_is(hl__oword head, hl_ref r) { return ((head ^ r.bits) >> 32) == 0; }

/* The head of a live, unborrowed object of the handle's generation with type id bits want
** (tid << 16). */
static inline hl__oword hl__ohead_free(hl_ref r, uint32_t want) { return (r.bits & ~0xFFFFFFFFULL) | want; }

/* The slot of r if r is a valid handle to a live object, else NULL. owned-off trusts the
** handle: its slot, unchecked. */
static inline hl__oslot *hl__olive(hl_ref r) {
    uint32_t i = (uint32_t)r.bits;
    if (HL__OLEVEL == 0) return hl__oslot_at(i);
    if (HL__LIKELY(i < hl__orun.nslots)) {
        hl__oslot *s = hl__oslot_at(i);
        if (HL__LIKELY(hl__ogen_is(s->head, r))) return s;
    }
    return NULL;
}

static inline size_t hl__obuf_len(const void *obj) { return ((const size_t *)obj)[-1]; }

/* ---- borrows ---------------------------------------------------------------------------- */

/* What a borrow asks for, as a constant code: a bytes buffer (HL__TID_BYTES), a refs buffer
** (HL__TID_REFS) or a typed object (HL__OTYPED, its descriptor passed beside the code). */
#define HL__OTYPED 2

/* The tid bits a borrow expects, as a head word holds them (tid << 16). Buffers have fixed
** ids. A typed object's id is cached in the borrow's site (hint), filled by the slow path the
** first time the site borrows successfully; until then it is HL__NO_HINT, the id no type
** has, so the fast path declines and the slow path checks the type by descriptor. At the
** level that remembers sites buffers use the hint too: the slow path's first visit is where a
** borrow site gets its id (interned), which the fast path then stores in bsites as it is. */
static inline uint32_t hl__owant(int code, const hl_site *at) {
    return code == HL__OTYPED || HL__OLEVEL >= 2 ? at->hint : (uint32_t)code << 16;
}

typedef struct hl__guard {
    void    *ptr;
    size_t   len;   /* slices: elements borrowed */
    uint32_t idx;
} hl__guard;

/* The idx of a guard that counts in no slot of its object: a shared borrow taken while the
** object's counter is saturated (hl__oborrow_slow). It counts in slot 0 instead, which no
** handle validates: taking it adds one there and releasing it takes one off. */
#define HL__OGUARD_UNCOUNTED 0

/* The slow half of a borrow: fills a site's type hint and retries, takes a shared borrow past
** the counter's range, or diagnoses. */
HL__SLOW hl__guard hl__oborrow_slow(hl_ref r, const hl_type *t, hl__oop op, const hl_site *at);

static inline hl__guard hl__borrow_read(hl_ref r, const hl_type *t, int code, const hl_site *at) {
    uint32_t i = (uint32_t)r.bits;
    if (HL__LIKELY(i < hl__orun.nslots)) {
        hl__oslot *s = hl__oslot_at(i);
        hl__oword h = s->head;
        /* gen matches, and (tid << 16 | borrow) - want < limit: the tid is the one wanted
        ** and the borrow is neither exclusive (0xFFFF) nor saturated. */
        if (HL__LIKELY(hl__ogen_is(h, r) && (uint32_t)h - hl__owant(code, at) < HL__OSHARED_LIMIT)) {
            if (HL__OLEVEL >= 2 && (uint16_t)h == 0) hl__orun.bsites[HL__OKEY(i)] = (hl__osite_id)at->id;   /* the first */
            s->head = h + 1;
            return (hl__guard){s->obj, 0, i};
        }
    }
    return hl__oborrow_slow(r, t, HL__OP_READ, at);
}

static inline hl__guard hl__borrow_write(hl_ref r, const hl_type *t, int code, const hl_site *at) {
    uint32_t i = (uint32_t)r.bits;
    if (HL__LIKELY(i < hl__orun.nslots)) {
        hl__oslot *s = hl__oslot_at(i);
        hl__oword h = s->head;
        /* One compare: the generation, no borrow, the type wanted. */
        if (HL__LIKELY(h == hl__ohead_free(r, hl__owant(code, at)))) {
            if (HL__OLEVEL >= 2) hl__orun.bsites[HL__OKEY(i)] = (hl__osite_id)at->id;
            s->head = h | HL__OBORROW_BITS;
            return (hl__guard){s->obj, 0, i};
        }
    }
    return hl__oborrow_slow(r, t, HL__OP_WRITE, at);
}

/* A borrow cannot outlive its object (dropping a borrowed object is an error), so the slot
** is still the one borrowed; the table is never freed or shrunk, so even a borrow that
** outlives hl_shutdown writes inside it. */
static inline void hl__release_read(hl__guard *g) { hl__oslot_at(g->idx)->head--; }

static inline void hl__release_write(hl__guard *g) { hl__oslot_at(g->idx)->head &= ~HL__OBORROW_BITS; }

#if HL__OLEVEL == 0
#define HL__BORROW(acquire, release, PT, name, ref, t, code, g) PT name = (PT)hl__olive(ref)->obj
#else
#define HL__BORROW(acquire, release, PT, name, ref, t, code, g)                            \
    __attribute__((cleanup(release))) hl__guard g = acquire((ref), (t), (code), HL__SITE); \
    PT name = (PT)g.ptr
#endif
#define HL__READ_AS(PT, name, ref, t, code)                                                \
    HL__BORROW(hl__borrow_read, hl__release_read, PT, name, ref, t, code, HL__CAT(hl__g, __COUNTER__))
#define HL__WRITE_AS(PT, name, ref, t, code)                                               \
    HL__BORROW(hl__borrow_write, hl__release_write, PT, name, ref, t, code, HL__CAT(hl__g, __COUNTER__))

#define HL_READ(T, name, ref) HL__READ_AS(const T *, name, ref, &T##_type, HL__OTYPED)
#define HL_WRITE(T, name, ref) HL__WRITE_AS(T *, name, ref, &T##_type, HL__OTYPED)
#define HL_READ_BYTES(name, ref) HL__READ_AS(const uint8_t *, name, ref, &hl__bytes_type, HL__TID_BYTES)
#define HL_WRITE_BYTES(name, ref) HL__WRITE_AS(uint8_t *, name, ref, &hl__bytes_type, HL__TID_BYTES)
#define HL_READ_REFS(name, ref) HL__READ_AS(const hl_ref *, name, ref, &hl__refs_type, HL__TID_REFS)
#define HL_WRITE_REFS(name, ref) HL__WRITE_AS(hl_ref *, name, ref, &hl__refs_type, HL__TID_REFS)

/* ---- HL_OWNED's declaration site ---------------------------------------------------------
** The cleanup of an HL_OWNED variable (hl__drop_at_scope_end) gets only the variable's
** address. So that a diagnostic raised by that drop can name the declaration, the level that
** remembers sites makes HL_OWNED (and HL_OWNED_VEC) two declarations: first a hidden variable
** whose initialiser pushes the declaration's static site on a small per-thread stack and
** whose cleanup pops it, then the variable itself. Cleanups run in reverse order of
** declaration, so the variable's own cleanup runs while its declaration's site is on top.
** The hidden variable keeps the depth it found, and popping restores it, so the stack
** rights itself even after a jump that skipped cleanups (longjmp). Deeper than HL__ODECLS
** nested declarations, the sites are not kept and such a drop names no declaration. The
** site's hint (unused by a site that never borrows) marks it as a declaration, so the notes
** say "at the end of the scope of the variable declared at" rather than "at". */
#if HL__OLEVEL >= 2
#define HL__ODECLS 64
#define HL__ODECL_HINT 0xFFFF0001u   /* hl_site.hint of an HL_OWNED declaration's site */
typedef struct hl__odecl_stack {
    const hl_site *site[HL__ODECLS];
    uint32_t       depth;
} hl__odecl_stack;
extern _Thread_local hl__odecl_stack hl__odecls;

static inline uint32_t hl__odecl_push(const hl_site *decl) {
    uint32_t d = hl__odecls.depth;
    if (HL__LIKELY(d < HL__ODECLS)) hl__odecls.site[d] = decl;
    hl__odecls.depth = d + 1;
    return d;
}
static inline void hl__odecl_pop(const uint32_t *depth) { hl__odecls.depth = *depth; }

#define HL__OWNED_SITE                                                                     \
    __attribute__((cleanup(hl__odecl_pop), unused))                                        \
    const uint32_t HL__CAT(hl__od, __COUNTER__) = hl__odecl_push(({                        \
        static hl_site hl__dsite_ = {.file = __FILE__, .line = __LINE__, .hint = HL__ODECL_HINT}; \
        &hl__dsite_;                                                                       \
    }));
#endif

/* ---- moves ------------------------------------------------------------------------------ */

static inline hl_ref hl__move(hl_ref *from, const hl_site *at) {
    hl_ref r = *from;
    if (HL__OLEVEL == 0) {   /* no generations to bump: the handle moves as it is */
        *from = HL_NULL;
        return r;
    }
    uint32_t i = (uint32_t)r.bits;
    if (HL__LIKELY(i < hl__orun.nslots)) {
        hl__oslot *s = hl__oslot_at(i);
        hl__oword h = s->head;
        /* The generation matches and nothing borrows it (one masked compare: the handle's
        ** low half is its index), with room for another generation (checked on the handle,
        ** whose generation is then the slot's). */
        if (HL__LIKELY((h & 0xFFFFFFFF0000FFFFULL) == (r.bits & ~0xFFFFFFFFULL) &&
                       r.bits < (hl__oword)HL__OGEN_MAX << 32)) {
            s->head = h + 2 * HL__OGEN_ONE;
            HL__OREMEMBER(s->event, at);
            from->bits = r.bits | HL__OMOVED;
            return (hl_ref){r.bits + (2ULL << 32)};
        }
    }
    if (r.bits == 0) return r;   /* moving HL_NULL: HL_NULL, the place unchanged */
    return hl__omove_slow(from, at);
}

/* ---- element access --------------------------------------------------------------------- */

/* The slot of r if it is a live buffer of kind tid that may be read (exclusive: written)
** now, else NULL. Reading needs no exclusive borrow (the low half, tid << 16 | borrow, minus
** the tid's bits stays below 0x8000); writing needs no borrow at all, which with the
** generation and the tid is one compare of the whole head. owned-off: the slot, unchecked. */
static inline hl__oslot *hl__obuf_ok(hl_ref r, uint32_t tid, bool exclusive) {
    uint32_t i = (uint32_t)r.bits;
    if (HL__OLEVEL == 0) return hl__oslot_at(i);
    if (HL__LIKELY(i < hl__orun.nslots)) {
        hl__oslot *s = hl__oslot_at(i);
        hl__oword h = s->head;
        if (exclusive ? h == hl__ohead_free(r, tid << 16) : hl__ogen_is(h, r) && (uint32_t)h - (tid << 16) < 0x8000u)
            return s;
    }
    return NULL;
}

static inline size_t hl__len(hl_ref buf, const hl_site *at) {
    hl__oslot *s = hl__olive(buf);
    if (HL__OLEVEL == 0 || HL__LIKELY(s && HL__OTID(s->head) <= HL__TID_REFS)) return hl__obuf_len(s->obj);
    hl__ofail(buf, NULL, HL__OP_LEN, 0, at);
}

static inline uint8_t hl__byte(hl_ref b, size_t i, const hl_site *at) {
    hl__oslot *s = hl__obuf_ok(b, HL__TID_BYTES, false);
    if (HL__OLEVEL == 0 || HL__LIKELY(s && i < hl__obuf_len(s->obj))) return ((const uint8_t *)s->obj)[i];
    hl__ofail(b, &hl__bytes_type, HL__OP_GET, i, at);
}

static inline void hl__set_byte(hl_ref b, size_t i, uint8_t v, const hl_site *at) {
    hl__oslot *s = hl__obuf_ok(b, HL__TID_BYTES, true);
    if (HL__OLEVEL == 0 || HL__LIKELY(s && i < hl__obuf_len(s->obj))) {
        ((uint8_t *)s->obj)[i] = v;
        return;
    }
    hl__ofail(b, &hl__bytes_type, HL__OP_SET, i, at);
}

static inline hl_ref hl__ref_at(hl_ref r, size_t i, const hl_site *at) {
    hl__oslot *s = hl__obuf_ok(r, HL__TID_REFS, false);
    if (HL__OLEVEL == 0 || HL__LIKELY(s && i < hl__obuf_len(s->obj))) return ((const hl_ref *)s->obj)[i];
    hl__ofail(r, &hl__refs_type, HL__OP_GET, i, at);
}

static inline hl_ref *hl__slot(hl_ref r, size_t i, const hl_site *at) {
    hl__oslot *s = hl__obuf_ok(r, HL__TID_REFS, true);
    if (HL__OLEVEL == 0 || HL__LIKELY(s && i < hl__obuf_len(s->obj))) return (hl_ref *)s->obj + i;
    hl__ofail(r, &hl__refs_type, HL__OP_SLOT, i, at);
}

/* ---- stack objects and regions (docs/design.md, "Stack objects", "Regions") ----------------
** A stack object lies in its block's storage (typed: the T itself; bytes: [ size_t len ][ n
** bytes ], an owned buffer's layout) and has a slot of its own, so every check above applies
** to it unchanged. Its slot is a stack slot: its generations lie in [HL__OGEN_STACK,
** HL__OGEN_STACK_LAST], above every heap slot's (heap slots retire at HL__OGEN_MAX). So
**  - the move fast path (gen < HL__OGEN_MAX) declines a stack object, and the slow paths
**    refuse it ("cannot move out of a stack object"); resizes and drops check it out of line;
**  - a handle's generation alone says that it names a stack object: any stale one is a
**    "use after scope end" (runtimes/owned_scope.c);
**  - stack slots are recycled among stack objects only (LIFO, hl__oscope.free), so a stack
**    slot stays one. A stack object never moves: its generation goes up by 1 when it is
**    declared and by 1 when its block ends.
** At the level that remembers sites, a stack slot's alloc is the declaration site and birth
** the first generation of the run of objects of that same declaration in the slot (a loop or
** a recursion redeclares the same object in the same slot), so diagnostics can name the
** declaration of any handle from birth on; an earlier declaration's record is kept in a small
** graveyard when another one takes the slot.
**
** Regions: each open region counts its live objects (runtimes/owned.h), so hl_region_end
** reads counters; allocation and drop paths pay one predictable branch when no region is
** open. */
#include <string.h>

#define HL__OGEN_STACK      0x40000001u   /* the first live generation of a stack slot */
#define HL__OGEN_STACK_LAST 0x7FFFFFFDu   /* its last: a stack slot vacated from it retires */

/* Does a generation (a handle's, moved-out bit removed, or a slot's) belong to a stack slot? */
static inline bool hl__ogen_is_stack(uint32_t gen) { return gen >= HL__OGEN_STACK && gen <= HL__OGEN_STACK_LAST + 1; }
static inline uint32_t hl__oref_gen(hl_ref r) { return (uint32_t)(r.bits >> 32) & 0x7FFFFFFFu; }

/* State shared by the inline paths below and runtimes/owned_scope.c. */
typedef struct hl__oscope_state {
    uint32_t free;      /* vacant stack slots, LIFO, linked through obj; 0 ends the list */
    uint32_t epoch;     /* odd while the runtime runs; changes at every hl_init and hl_shutdown */
    uint32_t regions;   /* regions open */
} hl__oscope_state;
extern hl__oscope_state hl__oscope;

/* An HL_LOCAL declaration's site, with the type id of its T cached for the epoch it was
** looked up in (type ids outlive a restart, but the epoch check also makes the first
** declaration of a run start the runtime). */
typedef struct hl__olocal_site {
    hl_site  site;
    uint32_t epoch;
    uint32_t tid;
} hl__olocal_site;

/* The cleanup variable of a stack object: its handle, its descriptor (&hl__bytes_type for a
** bytes buffer) and the epoch it was declared in (a stack object that outlived the runtime
** is forgotten, not ended). */
typedef struct hl__olocal {
    hl_ref         ref;
    const hl_type *t;
    uint32_t       epoch;
} hl__olocal;

HL__SLOW hl__olocal hl__olocal_begin_slow(void *obj, const hl_type *t, hl__olocal_site *ls);
HL__SLOW void hl__olocal_record(uint32_t i, uint32_t tid, hl__osite_id site);
HL__SLOW void hl__olocal_end_slow(hl__olocal *g);

static inline hl__olocal hl__olocal_begin(void *obj, const hl_type *t, hl__olocal_site *ls) {
    uint32_t i = hl__oscope.free;
    bool bytes = t == &hl__bytes_type;
    if (HL__UNLIKELY(i == 0 || (!bytes && ls->epoch != hl__oscope.epoch))) return hl__olocal_begin_slow(obj, t, ls);
    uint32_t tid = bytes ? HL__TID_BYTES : ls->tid;
    hl__oslot *s = hl__oslot_at(i);
    hl__oscope.free = (uint32_t)(uintptr_t)s->obj;
    if (HL__OLEVEL >= 2) {
        hl__osite_id site = hl__osite(&ls->site);
        if (HL__UNLIKELY(s->alloc != site || HL__OTID(s->head) != tid)) hl__olocal_record(i, tid, site);
    }
    uint32_t gen = HL__OGEN(s->head) + 1;   /* even (vacant) -> odd (live) */
    s->head = HL__OHEAD(gen, 0, tid);
    s->obj = obj;
    return (hl__olocal){(hl_ref){(uint64_t)gen << 32 | i}, t, hl__oscope.epoch};
}

static inline hl__olocal hl__olocal_obj(void *obj, size_t size, const hl_type *t, hl__olocal_site *ls) {
    memset(obj, 0, size);
    return hl__olocal_begin(obj, t, ls);
}

/* A stack buffer (kind: &hl__bytes_type or &hl__refs_type): storage is [ size_t len ][ n
** elements ], an owned buffer's layout. */
static inline hl__olocal hl__olocal_buf(void *storage, size_t size, size_t *len, void *data, size_t n,
                                        const hl_type *kind, hl__olocal_site *ls) {
    memset(storage, 0, size);
    *len = n;
    return hl__olocal_begin(data, kind, ls);
}

/* The end of the block: owned fields (a refs buffer's elements) are dropped (out of line), the
** slot is vacated, so every handle to the object is stale, and goes back on the stack slots'
** list. */
static inline void hl__olocal_end(hl__olocal *g) {
    if (HL__UNLIKELY(g->epoch != hl__oscope.epoch)) return;
    uint32_t i = (uint32_t)g->ref.bits;
    hl__oslot *s = hl__oslot_at(i);
    bool owns = g->t != &hl__bytes_type && (g->t->nrefs || g->t == &hl__refs_type);
    if (HL__UNLIKELY(owns || HL__OBORROW(s->head) != 0 || HL__OGEN(s->head) >= HL__OGEN_STACK_LAST)) {
        hl__olocal_end_slow(g);
        return;
    }
    s->head += HL__OGEN_ONE;
    if (HL__OLEVEL >= 2) s->event = 1;   /* HL__SITE_SCOPE_END */
    s->obj = (void *)(uintptr_t)hl__oscope.free;
    hl__oscope.free = i;
}

#define HL__OLOCAL_SITE(name)                                                              \
    static hl__olocal_site hl__lsite_##name = {                                            \
        .site = {.file = __FILE__, .line = __LINE__, .hint = HL__NO_HINT}}

#define HL_LOCAL(T, name)                                                                  \
    _Alignas(8) T hl__local_##name;                                                        \
    HL__OLOCAL_SITE(name);                                                                 \
    __attribute__((cleanup(hl__olocal_end))) hl__olocal hl__lguard_##name =                \
        hl__olocal_obj(&hl__local_##name, sizeof hl__local_##name, &T##_type, &hl__lsite_##name); \
    const hl_ref name = hl__lguard_##name.ref

/* A stack buffer (HL_LOCAL_BYTES, HL_LOCAL_REFS in heaplab.h) of n elements of type ET, of
** kind (1 refs, 0 bytes). */
#define HL__LOCAL_BUF(name, n, ET, kind)                                                   \
    HL__LOCAL_STORAGE(name, n, ET);                                                        \
    HL__OLOCAL_SITE(name);                                                                 \
    __attribute__((cleanup(hl__olocal_end))) hl__olocal hl__lguard_##name =                \
        hl__olocal_buf(&hl__local_##name, sizeof hl__local_##name, &hl__local_##name.len,    \
                       hl__local_##name.data, (n), HL__KIND_TYPE(kind), &hl__lsite_##name); \
    const hl_ref name = hl__lguard_##name.ref

hl_region hl__region_begin(const hl_site *at);
void      hl__region_end(hl_region m, const hl_site *at);

/* ---- slices and vectors ----------------------------------------------------------------
** A slice is a borrow (the guard above) plus the length read when it was taken. Vectors
** keep their length beside their buffer; their primitives check the buffer as a write (the
** whole head in one compare) and the room against its length. */

/* Kind codes are the buffers' type ids: HL__TID_BYTES 0, HL__TID_REFS 1. */
static inline size_t hl__ounits(int kind, size_t es) { return HL__UNITS(kind, es); }
static inline uint32_t hl__okind_tid(int kind) { return (uint32_t)kind; }

static inline hl__guard hl__slice_read(hl_ref buf, int kind, size_t es, const hl_site *at) {
    hl__guard g = hl__borrow_read(buf, HL__KIND_TYPE(kind), kind, at);
    g.len = hl__obuf_len(g.ptr) / hl__ounits(kind, es);
    return g;
}

static inline hl__guard hl__slice_write(hl_ref buf, int kind, size_t es, const hl_site *at) {
    hl__guard g = hl__borrow_write(buf, HL__KIND_TYPE(kind), kind, at);
    g.len = hl__obuf_len(g.ptr) / hl__ounits(kind, es);
    return g;
}

/* owned-off: the buffer, unchecked. */
static inline hl__guard hl__slice_off(hl_ref buf, int kind, size_t es) {
    void *p = hl__oslot_at((uint32_t)buf.bits)->obj;
    return (hl__guard){p, hl__obuf_len(p) / hl__ounits(kind, es), 0};
}

/* The slow half of a vector borrow or primitive: an empty vector without a buffer, a
** vector whose len exceeds its buffer, or a check that failed. */
HL__SLOW hl__guard hl__ovec_borrow_slow(const hl_vec *v, int kind, size_t es, bool write, const hl_site *at);
HL__SLOW void *hl__ovec_place_slow(hl_vec *v, int kind, size_t es, size_t n, const hl_site *at);
HL__SLOW void *hl__ovec_pop_slow(hl_vec *v, int kind, size_t es, const hl_site *at);

static inline hl__guard hl__vec_borrow(const hl_vec *v, int kind, size_t es, bool write, const hl_site *at) {
    hl_ref b = v->buf;
    size_t n = v->len;
    if (HL__OLEVEL == 0) {
        void *p = b.bits ? hl__oslot_at((uint32_t)b.bits)->obj : NULL;
        return (hl__guard){p, n, 0};
    }
    if (HL__LIKELY(b.bits != 0)) {
        hl__guard g = write ? hl__borrow_write(b, HL__KIND_TYPE(kind), kind, at)
                             : hl__borrow_read(b, HL__KIND_TYPE(kind), kind, at);
        if (HL__LIKELY(n <= hl__obuf_len(g.ptr) / hl__ounits(kind, es))) {
            g.len = n;
            return g;
        }
        if (write)
            hl__release_write(&g);
        else
            hl__release_read(&g);
    }
    return hl__ovec_borrow_slow(v, kind, es, write, at);
}

static inline hl__guard hl__vec_read(const hl_vec *v, int kind, size_t es, const hl_site *at) {
    return hl__vec_borrow(v, kind, es, false, at);
}
static inline hl__guard hl__vec_write(const hl_vec *v, int kind, size_t es, const hl_site *at) {
    return hl__vec_borrow(v, kind, es, true, at);
}
/* A shared borrow of an empty vector (no buffer) counts in slot 0, as an uncounted shared
** borrow does, and is released like any; an exclusive one holds no slot (idx 0) and its
** release does nothing (clearing slot 0's count would lose the shared borrows counted there). */
static inline void hl__release_vec_read(hl__guard *g) { hl__release_read(g); }
static inline void hl__release_vec_write(hl__guard *g) {
    if (HL__LIKELY(g->idx)) hl__release_write(g);
}

#if HL__OLEVEL == 0
#define HL__SLICE_DECL(mode, ST, CT, name, buf, kind, es, g)                                \
    hl__guard g = hl__slice_off((buf), (kind), (es));                                      \
    const ST name = {(CT *)g.ptr, g.len, 0}
#define HL__VEC_DECL(mode, ST, CT, name, v, kind, es, g)                                   \
    hl__guard g = hl__vec_borrow((v), (kind), (es), false, NULL);                          \
    const ST name = {(CT *)g.ptr, g.len, 0}
#else
#define HL__SLICE_DECL(mode, ST, CT, name, buf, kind, es, g)                                \
    __attribute__((cleanup(hl__release_##mode))) hl__guard g =                            \
        hl__slice_##mode((buf), (kind), (es), HL__SITE);                                   \
    const ST name = {(CT *)g.ptr, g.len, g.idx}
#define HL__VEC_DECL(mode, ST, CT, name, v, kind, es, g)                                   \
    __attribute__((cleanup(hl__release_vec_##mode))) hl__guard g =                        \
        hl__vec_##mode((v), (kind), (es), HL__SITE);                                       \
    const ST name = {(CT *)g.ptr, g.len, g.idx}
#endif

/* The capacity, like hl_len allowed while the buffer is borrowed. */
static inline size_t hl__vec_capacity(const hl_vec *v, int kind, size_t es, const hl_site *at) {
    hl_ref b = v->buf;
    if (b.bits == 0) return 0;
    hl__oslot *s = hl__olive(b);
    if (HL__OLEVEL == 0 || HL__LIKELY(s && HL__OTID(s->head) == hl__okind_tid(kind)))
        return hl__obuf_len(s->obj) / hl__ounits(kind, es);
    hl__ofail(b, HL__KIND_TYPE(kind), HL__OP_LEN, 0, at);
}

/* Room for n more elements at the end of v: their place; len grows by n. */
static inline void *hl__vec_place(hl_vec *v, int kind, size_t es, size_t n, const hl_site *at) {
    hl_ref b = v->buf;
    size_t len = v->len;
    if (HL__OLEVEL > 0 || b.bits != 0) {
        hl__oslot *s = hl__obuf_ok(b, hl__okind_tid(kind), true);
        if (HL__LIKELY(s != NULL)) {
            size_t cap = hl__obuf_len(s->obj) / hl__ounits(kind, es);
            if (HL__LIKELY(len <= cap && n <= cap - len)) {
                v->len = len + n;
                return (char *)s->obj + len * es;
            }
        }
    }
    return hl__ovec_place_slow(v, kind, es, n, at);
}

/* Remove the last element: its place, or NULL when v is empty. */
static inline void *hl__vec_pop_place(hl_vec *v, int kind, size_t es, const hl_site *at) {
    size_t len = v->len;
    if (HL__OLEVEL == 0 && len == 0) return NULL;
    hl__oslot *s = hl__obuf_ok(v->buf, hl__okind_tid(kind), true);
    /* len - 1 wraps for an empty vector, which then takes the slow path. */
    if (HL__LIKELY(s != NULL) && (HL__OLEVEL == 0 || HL__LIKELY(len - 1 < hl__obuf_len(s->obj) / hl__ounits(kind, es)))) {
        v->len = len - 1;
        return (char *)s->obj + (len - 1) * es;
    }
    return hl__ovec_pop_slow(v, kind, es, at);
}

#endif
