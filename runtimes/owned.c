/*
** owned.c: the owned runtime's handle table and object lifetimes: allocation, moves,
** resizes, iterative drops, type ids, source-site interning, shutdown with leak report.
**
** The table layout and its invariants are documented in heaplab/owned_fast.h; the checks that
** fail are diagnosed in owned_diag.c. Everything here runs after a check has passed or is
** the slow half of a fast path.
*/
#include "owned.h"

#include <stdlib.h>
#include <string.h>

hl__oruntime hl__orun;
#if HL__OLEVEL >= 2
_Thread_local hl__odecl_stack hl__odecls;
#endif

/* Vacant reusable slots by class (owned_table.c), LIFO: the most recently vacated is warm in
** cache. A slot of class c > 0 comes with its inline block, so an allocation of that size
** takes slot and memory in one list pop. Linked through obj; 0 ends a list. */
static uint32_t      free_slots[HL_BLK_CLASSES];
static bool          running;
static hl__worklist  worklist;     /* pending drops */

/* Type ids: hl__orun.types[id]; a small open-addressing map from descriptor to id. */
static uint32_t       ntypes, types_cap;
static struct tmap { const hl_type *t; uint32_t id; } *tmap;
static uint32_t       tmap_cap;

/* Interned sites: id -> site. Ids persist across hl_init/hl_shutdown (sites keep them). */
static const hl_site **sites;
static uint32_t        nsites, sites_cap;
static const hl_site   site_scope_end = {.file = "<end of scope>", .id = HL__SITE_SCOPE_END, .hint = HL__NO_HINT};

/* ---- small growable arrays ------------------------------------------------------------- */

static void *grow(void *p, uint32_t *cap, size_t elem, uint32_t need, const char *what) {
    if (need <= *cap) return p;
    uint64_t c = *cap ? *cap : 64;
    while (c < need) c *= 2;
    if (c > UINT32_MAX) hl__out_of_memory(SIZE_MAX, what, NULL);
    void *q = realloc(p, (size_t)c * elem);
    if (!q) hl__out_of_memory((size_t)c * elem, what, NULL);
    *cap = (uint32_t)c;
    return q;
}

/* ---- sites ------------------------------------------------------------------------------ */

hl__osite_id hl__osite_intern(hl_site *at) {
    if (nsites < 2) nsites = 2;   /* ids 0 and 1 are reserved */
    if (nsites > UINT16_MAX) return HL__SITE_NONE;   /* full: this site stays unknown */
    sites = grow(sites, &sites_cap, sizeof *sites, nsites + 1, "the site table");
    sites[nsites] = at;
    at->id = nsites;
    return nsites++;
}

const hl_site *hl__osite_get(uint32_t id) {
    if (id == HL__SITE_SCOPE_END) return &site_scope_end;
    return id && id < nsites ? sites[id] : NULL;
}

/* ---- type ids --------------------------------------------------------------------------- */

static uint32_t tmap_hash(const hl_type *t, uint32_t cap) {
    return (uint32_t)(((uintptr_t)t >> 3) * 0x9E3779B97F4A7C15ULL >> 32) & (cap - 1);
}

static void tmap_put(const hl_type *t, uint32_t id) {
    uint32_t i = tmap_hash(t, tmap_cap);
    while (tmap[i].t) i = (i + 1) & (tmap_cap - 1);
    tmap[i] = (struct tmap){t, id};
}

static uint32_t type_register(const hl_type *t) {
    if (ntypes >= HL__TID_NONE) {
        hl__panic_begin("too many types", NULL);
        hl__note("the owned runtime supports %u distinct hl_type descriptors", HL__TID_NONE);
        hl__panic_end();
    }
    hl__orun.types = grow(hl__orun.types, &types_cap, sizeof *hl__orun.types, ntypes + 1, "the type table");
    hl__orun.types[ntypes] = t;
    if (2 * (ntypes + 1) > tmap_cap) {   /* keep the map at most half full */
        struct tmap *old = tmap;
        uint32_t old_cap = tmap_cap;
        tmap_cap = tmap_cap ? tmap_cap * 2 : 64;
        tmap = calloc(tmap_cap, sizeof *tmap);
        if (!tmap) hl__out_of_memory(tmap_cap * sizeof *tmap, "the type table", NULL);
        for (uint32_t i = 0; i < old_cap; i++)
            if (old[i].t) tmap_put(old[i].t, old[i].id);
        free(old);
    }
    tmap_put(t, ntypes);
    return ntypes++;
}

/* The id of descriptor t, registering it on first use. Programs allocate runs of one type,
** so the last answer is cached. Ids are kept for the life of the process (not reset by
** hl_init): borrow sites cache the id of the type they borrow (hl_site.hint). */
static const hl_type *last_type;
static uint32_t       last_type_id;

static uint32_t type_id(const hl_type *t) {
    if (HL__LIKELY(t == last_type)) return last_type_id;
    uint32_t i = tmap_hash(t, tmap_cap);
    while (tmap[i].t && tmap[i].t != t) i = (i + 1) & (tmap_cap - 1);
    last_type = t;
    last_type_id = tmap[i].t ? tmap[i].id : type_register(t);
    return last_type_id;
}

/* ---- lifetime of the runtime ------------------------------------------------------------ */

const char *hl_runtime_name(void) { return HL__OLEVEL == 2 ? "owned" : HL__OLEVEL == 1 ? "owned-fast" : "owned-off"; }
bool hl__orunning(void) { return running; }

void hl_init(void) {
    if (running) return;
    running = true;
    hl__start();
    /* Slot 0 is the sentinel that HL_NULL points at: its generation matches no handle. */
    hl__otable_start();
    memset(free_slots, 0, sizeof free_slots);
    memset(hl__graves, 0, sizeof hl__graves);   /* they describe the previous runtime's slots */
    hl__graves_next = 0;
    if (ntypes == 0) {
        type_register(&hl__bytes_type);   /* HL__TID_BYTES */
        type_register(&hl__refs_type);    /* HL__TID_REFS */
    }
    hl__oscope_start();
}

/* Inline here: every drop needs it. */
static inline size_t payload(const hl__oslot *s) {
    uint16_t tid = HL__OTID(s->head);
    if (tid > HL__TID_REFS) return hl__orun.types[tid]->size;
    return hl__obuf_len(s->obj) * (tid == HL__TID_REFS ? sizeof(hl_ref) : 1);
}

size_t hl__opayload(const hl__oslot *s) { return payload(s); }

/* The block holding an object's payload (a buffer's starts with its length), and its size. */
static void *block_of(const hl__oslot *s) {
    return HL__OTID(s->head) > HL__TID_REFS ? s->obj : (size_t *)s->obj - 1;
}
static size_t block_size(const hl__oslot *s, size_t bytes) {
    return HL__OTID(s->head) > HL__TID_REFS ? bytes : bytes + sizeof(size_t);
}

/* Release an object's memory, not its slot: a block of its own; an inline block (its slot's,
** or a retired slot's that a relocated object kept) stays where it is. */
static void block_free(const hl__oslot *s, size_t bytes) {
    void *b = block_of(s);
    if (!hl__oslot_in_table(b)) hl__blk_free(b, block_size(s, bytes));
}

size_t hl_shutdown(void) {
    if (!running) return 0;
    hl__oscope_stop();
    /* Every allocation and every drop is counted, so when the two balance nothing leaked and
    ** the slots need no walk (it would touch every slot the run carved). Otherwise the walk
    ** finds the live objects, and its count is the one reported. */
    size_t count = 0, bytes = 0;
    bool balanced = hl__count.allocations == hl__count.frees;
    for (uint32_t i = balanced ? 0 : hl__oslot_first(); i; i = hl__oslot_next(i)) {
        hl__oslot *s = hl__oslot_at(i);
        if (HL__OGEN(s->head) & 1) {
            count++;
            bytes += hl__opayload(s);
        }
    }
    if (count) hl__oreport_leaks(count, bytes);
    hl__stop();
    for (uint32_t i = count ? hl__oslot_first() : 0; i; i = hl__oslot_next(i)) {   /* leaked blocks of their own */
        const hl__oslot *s = hl__oslot_at(i);
        if (HL__OGEN(s->head) & 1) block_free(s, hl__opayload(s));
    }
    hl__blk_release_all();
    /* The range stays reserved: a borrow still live now releases into it when its block
    ** ends, and the next hl_init carves pages after this run's. */
    hl__otable_stop();
    running = false;
    return count;
}

/* ---- slots ------------------------------------------------------------------------------ */

/* Give slot i (vacant, taken off its list) a new live object. The slot's record of its
** previous, dropped object goes to the graveyard first, for diagnostics. The site fields are
** written only at the level that keeps sites: at owned-fast they hold the region tag, which a
** vacant slot already has at 0 (owned.h, "regions"), and owned-off reads neither.
** always_inline: at owned GCC keeps it out of line, which cost binary_trees 1.5% of its
** instructions. */
static inline __attribute__((always_inline)) hl_ref slot_fill(uint32_t i, uint32_t tid, void *obj,
                                                              hl__osite_id alloc_site) {
    hl__oslot *s = hl__oslot_at(i);
    uint32_t gen = HL__OGEN(s->head);
    if (HL__OLEVEL >= 2 && gen) hl__ograve_bury(i, s);   /* only notes read the graveyard */
    gen++;   /* even (vacant) -> odd (live) */
    s->head = (hl__oword)gen << 32 | (hl__oword)tid << 16;   /* tid < 2^16 (type_register) */
    s->obj = obj;
    s->birth = gen;
    if (HL__OLEVEL >= 2) {
        s->alloc = alloc_site;
        s->event = HL__SITE_NONE;
    }
    return (hl_ref){(uint64_t)gen << 32 | i};
}

/* A vacant slot of class cls (0: without an inline block): a recycled one, else a new one. */
static inline __attribute__((always_inline)) uint32_t slot_take_class(size_t cls) {
    uint32_t i = free_slots[cls];
    if (HL__LIKELY(i != 0)) {
        free_slots[cls] = (uint32_t)(uintptr_t)hl__oslot_at(i)->obj;
        return i;
    }
    return hl__oslot_carve(cls);
}

static uint32_t slot_take(void) { return slot_take_class(0); }

/* The class whose inline block holds n bytes, 0 when none does. */
static size_t inline_class(size_t n) { return n <= HL_BLK_SMALL_MAX ? hl__blk_class(n) : 0; }

/* A vacant slot (*i) and n bytes for its new object, zeroed when zero is true: the slot's
** inline block when n fits one, else a block of its own. NULL when memory is exhausted.
** Inlined into its two callers, where n is a descriptor's size or a buffer's: GCC would
** otherwise keep it out of line, which cost binary_trees 4% of its instructions. */
static inline __attribute__((always_inline)) void *slot_place(size_t n, bool zero, uint32_t *i) {
    size_t cls = inline_class(n);
    if (HL__LIKELY(cls)) {
        *i = slot_take_class(cls);
        void *p = hl__oslot_inline(*i);
        if (zero) hl__blk_zero(p, cls);
        return p;
    }
    void *p = hl__blk_alloc(n, zero);
    if (p) *i = slot_take();
    return p;
}

uint32_t hl__oslot_take(void) { return slot_take(); }
uint32_t hl__otype_id(const hl_type *t) { return type_id(t); }

static hl_ref slot_new(uint32_t tid, void *obj, hl__osite_id alloc_site) {
    return slot_fill(slot_take(), tid, obj, alloc_site);
}

/* Vacate slot i after its object was dropped: its inline block stays with it (see
** free_slots), a block of the object's own is freed. A slot whose generation reached the
** limit is retired: it stays vacant forever, so no stale handle to it can become valid. So is
** one that would give its next object no generation to spare: every new object (a relocated
** one too) can then be moved or resized once before it needs a fresh slot, and a resize that
** relocates its object never pushes the generation past the limit. */
static void slot_vacate(uint32_t i, size_t bytes, hl__osite_id drop_site) {
    hl__oslot *s = hl__oslot_at(i);
    size_t cls = hl__oslot_class(i);
    hl__count_free(bytes);
    hl__oregion_forget(i);
    hl__oword h = s->head + HL__OGEN_ONE;   /* gen: odd -> even */
    s->head = h;
    if (HL__OLEVEL >= 2) s->event = drop_site;
    if (HL__UNLIKELY(block_of(s) != hl__oslot_inline(i))) block_free(s, bytes);
    if (HL__UNLIKELY(h >= (hl__oword)(HL__OGEN_MAX - 1) << 32)) {
        s->obj = NULL;
    } else {
        s->obj = (void *)(uintptr_t)free_slots[cls];
        free_slots[cls] = i;
    }
}

/* ---- allocation ------------------------------------------------------------------------- */

static void ensure_running(void) {
    if (HL__UNLIKELY(!running)) hl_init();
}

hl_ref hl__new(const hl_type *t, const hl_site *at) {
    ensure_running();
    uint32_t i;
    void *obj = slot_place(t->size, true, &i);
    if (HL__UNLIKELY(!obj)) hl__out_of_memory(t->size, t->name, at);
    hl__count_alloc(t->size);
    hl_ref r = slot_fill(i, type_id(t), obj, HL__OLEVEL >= 2 ? hl__osite(at) : HL__SITE_NONE);
    hl__oregion_note(i, false);
    return r;
}

/* A new buffer of n elements of kind tid; zero: clear them (a refs buffer's must be). */
static hl_ref buf_new(uint32_t tid, size_t n, bool zero, const hl_site *at) {
    ensure_running();
    const hl_type *kind = hl__orun.types[tid];
    size_t bytes = hl__size(n, hl__elem_size(kind), 0, kind->name, at);
    uint32_t i;
    size_t *blk = slot_place(hl__size(1, bytes, sizeof(size_t), kind->name, at), zero, &i);
    if (!blk) hl__out_of_memory(bytes, kind->name, at);
    blk[0] = n;
    hl__count_alloc(bytes);
    hl_ref r = slot_fill(i, tid, blk + 1, HL__OLEVEL >= 2 ? hl__osite(at) : HL__SITE_NONE);
    hl__oregion_note(i, false);
    return r;
}

hl_ref hl__new_bytes(size_t n, const hl_site *at) { return buf_new(HL__TID_BYTES, n, true, at); }
hl_ref hl__new_refs(size_t n, const hl_site *at) { return buf_new(HL__TID_REFS, n, true, at); }

/* The checked levels clear it anyway, so that no program reads what it did not write;
** owned-off, which checks nothing, leaves it as manual does. */
hl_ref hl__new_bytes_uninit(size_t n, const hl_site *at) {
    return buf_new(HL__TID_BYTES, n, HL__OLEVEL >= 1, at);
}

/* ---- borrows ---------------------------------------------------------------------------- */

/* A borrow the fast path declined. When the only thing missing was the site's type hint
** (its first borrow of a typed object), the type is checked by descriptor, the hint is
** filled and the borrow taken.
** Any number of shared borrows is allowed (docs/design.md). The slot counts 0x7FFF of them;
** a shared borrow taken while the count is saturated counts in slot 0 instead
** (HL__OGUARD_UNCOUNTED), which no handle validates. That is exact because borrows are
** lexical, so released in the reverse order of their taking: while an uncounted borrow lives,
** the counted ones taken before it live too, the count stays saturated, and every check that
** needs the object unborrowed fails as it must. Everything else is an error. */
hl__guard hl__oborrow_slow(hl_ref r, const hl_type *t, hl__oop op, const hl_site *at) {
    hl__oslot *s = hl__olive(r);
    if (s && running) {
        uint16_t tid = HL__OTID(s->head);
        bool buffer = t == &hl__bytes_type || t == &hl__refs_type;
        bool same = buffer ? tid == (t == &hl__refs_type ? HL__TID_REFS : HL__TID_BYTES) : hl__orun.types[tid] == t;
        if (same) {
            /* The hint, and at owned the site's id, that the fast path uses from now on. */
            if (!buffer || HL__OLEVEL >= 2) ((hl_site *)at)->hint = (uint32_t)tid << 16;
            hl__osite_id site = HL__OLEVEL >= 2 ? hl__osite(at) : HL__SITE_NONE;
            uint16_t b = (uint16_t)s->head;
            /* From 0 either borrow is taken below: remember its site (owned_fast.h, bsites). */
            if (HL__OLEVEL >= 2 && b == 0) hl__orun.bsites[HL__OKEY((uint32_t)r.bits)] = site;
            if (op == HL__OP_READ && b < HL__OSHARED_LIMIT) {
                s->head++;
                return (hl__guard){s->obj, 0, (uint32_t)r.bits};
            }
            if (op == HL__OP_READ && b == HL__OSHARED_LIMIT) {
                hl__oslot_at(HL__OGUARD_UNCOUNTED)->head++;
                return (hl__guard){s->obj, 0, HL__OGUARD_UNCOUNTED};
            }
            if (op == HL__OP_WRITE && b == 0) {
                s->head |= HL__OBORROW_BITS;
                return (hl__guard){s->obj, 0, (uint32_t)r.bits};
            }
        }
    }
    hl__ofail(r, t, op, 0, at);
}

/* ---- moves ------------------------------------------------------------------------------ */

/* The legal moves the fast path declines: moving HL_NULL, and moving an object whose slot
** has reached the generation limit (it is relocated to a fresh slot and the old slot is
** retired with a forwarding note for diagnostics). Everything else is an error. */
hl_ref hl__omove_slow(hl_ref *from, const hl_site *at) {
    hl_ref r = *from;
    if (r.bits == 0) return HL_NULL;
    hl__oslot *s = hl__olive(r);
    if (!s || HL__OBORROW(s->head) != 0 || !running || hl__oslot_is_stack(s)) hl__ofail(r, NULL, HL__OP_MOVE, 0, at);
    if (HL__OGEN(s->head) < HL__OGEN_MAX) {   /* an ordinary move the fast path declined */
        s->head += 2 * HL__OGEN_ONE;
        HL__OREMEMBER(s->event, at);
        from->bits = r.bits | HL__OMOVED;
        return (hl_ref){r.bits + (2ULL << 32)};
    }
    uint32_t old = (uint32_t)r.bits;
    hl__oslot moved = *s;
    hl_ref fresh = slot_new(HL__OTID(moved.head), moved.obj, moved.alloc);
    uint32_t fi = (uint32_t)fresh.bits;
    hl__oslot *f = hl__oslot_at(fi);
    HL__OREMEMBER(f->event, at);
    hl__oregion_relocate(old, fi);
    s->head = HL__OHEAD(HL__OGEN_FORWARDED, 0, HL__OTID(s->head));
    s->obj = (void *)(uintptr_t)((uint64_t)f->birth << 32 | fi);
    if (HL__OLEVEL >= 2) s->event = f->event;
    from->bits = r.bits | HL__OMOVED;
    return fresh;
}

hl_ref hl__owned_age_slot(hl_ref r, uint32_t bumps_left) {
    hl__oslot *s = hl__olive(r);
    if (!s) hl__ofail(r, NULL, HL__OP_MOVE, 0, NULL);
    /* Its slot cannot change while borrowed; and owned-off has no generations to age (nor
    ** borrow counts to tell). */
    if (HL__OLEVEL == 0 || HL__OBORROW(s->head) != 0 || hl__oslot_is_stack(s)) return r;
    /* Relocated, as a move past the limit would: to a slot never used, so that what is left
    ** does not depend on the slot's history, and the old slot forwards older copies. */
    uint32_t old = (uint32_t)r.bits, fi = hl__oslot_carve(0);
    hl__oslot *f = hl__oslot_at(fi);
    *f = *s;
    hl__oregion_relocate(old, fi);
    uint32_t left = bumps_left < HL__OGEN_MAX / 2 ? bumps_left : HL__OGEN_MAX / 2 - 1;
    uint32_t gen = HL__OGEN_MAX - 2 * left;
    f->head = HL__OHEAD(gen, 0, HL__OTID(s->head));
    f->birth = gen;
    s->head = HL__OHEAD(HL__OGEN_FORWARDED, 0, HL__OTID(s->head));
    s->obj = (void *)(uintptr_t)((uint64_t)f->birth << 32 | fi);
    return (hl_ref){(uint64_t)gen << 32 | fi};
}

/* ---- drops ------------------------------------------------------------------------------ */

/* Drop r and everything it owns, iteratively: a LIFO worklist of handles replaces recursion.
** Each handle is checked when it is reached: owned fields must hold live, unborrowed
** objects. */
static void drop_tree(hl_ref r, const hl_site *at) {
    hl__osite_id site = HL__OLEVEL < 2 ? HL__SITE_NONE : at ? hl__osite(at) : HL__SITE_SCOPE_END;
    size_t base = worklist.len;
    hl__worklist_push(&worklist, r);
    while (worklist.len > base) {
        hl_ref h = worklist.items[--worklist.len];
        hl__oslot *s = hl__olive(h);
        if (HL__OLEVEL > 0 && HL__UNLIKELY(!s || HL__OBORROW(s->head) != 0 || hl__oslot_is_stack(s)))
            hl__ofail(h, NULL, HL__OP_DROP, 0, at);
        uint16_t tid = HL__OTID(s->head);
        size_t bytes;
        if (tid > HL__TID_REFS) {
            const hl_type *t = hl__orun.types[tid];
            hl__worklist_push_owned(&worklist, s->obj, t->refs, t->nrefs);
            bytes = t->size;
        } else if (tid == HL__TID_REFS) {
            size_t n = hl__obuf_len(s->obj);
            hl__worklist_push_owned(&worklist, s->obj, NULL, n);
            bytes = n * sizeof(hl_ref);
        } else {
            bytes = hl__obuf_len(s->obj);
        }
        slot_vacate((uint32_t)h.bits, bytes, site);
    }
}

void hl__drop(hl_ref *r, const hl_site *at) {
    hl_ref v = *r;
    if (hl_is_null(v)) return;   /* HL_NULL or moved-out: nothing to drop */
    if (HL__UNLIKELY(!running)) {   /* after hl_shutdown: harmless */
        *r = HL_NULL;
        return;
    }
    drop_tree(v, at);
    *r = HL_NULL;
}

/* At owned the declaration's site is on top of the HL_OWNED stack (owned_fast.h); a NULL
** site is the end of a scope without a known declaration. */
void hl__drop_at_scope_end(hl_ref *r) {
#if HL__OLEVEL >= 2
    uint32_t d = hl__odecls.depth;
    hl__drop(r, d >= 1 && d <= HL__ODECLS ? hl__odecls.site[d - 1] : NULL);
#else
    hl__drop(r, NULL);
#endif
}

/* ---- resize ----------------------------------------------------------------------------- */

/* The block of old bytes a buffer in slot i moves to when resized to n bytes (the content
** kept, the rest zeroed; NULL when memory is exhausted): its slot's inline block while it
** fits, else a block of its own. A block in the table that is not the slot's own (kept by a
** relocated buffer) is left where it is, as block_free leaves it. */
static size_t *buf_place(uint32_t i, size_t *blk, size_t old, size_t n) {
    size_t cls = hl__oslot_class(i);
    bool fits = cls && n <= cls * 8, own_block = !hl__oslot_in_table(blk);
    if (!fits) return own_block ? hl__blk_realloc(blk, old, n) : hl__blk_alloc_copy(blk, old, n);
    void *to = hl__oslot_inline(i);
    if (to != blk) memmove(to, blk, old < n ? old : n);
    /* The inline block may hold bytes of an earlier, longer content. */
    if (n > old) memset((char *)to + old, 0, n - old);
    if (own_block) hl__blk_free(blk, old);
    return to;
}

void hl__resize(hl_ref *r, size_t n, const hl_site *at) {
    hl_ref v = *r;
    hl__oslot *s = hl__olive(v);
    if (HL__OLEVEL > 0 && (!s || HL__OTID(s->head) > HL__TID_REFS || HL__OBORROW(s->head) != 0 || hl__oslot_is_stack(s)))
        hl__ofail(v, NULL, HL__OP_RESIZE, 0, at);
    if (HL__UNLIKELY(HL__OGEN(s->head) >= HL__OGEN_MAX)) {   /* no generation left: relocate first */
        v = *r = hl__omove_slow(r, at);
        s = hl__oslot_at((uint32_t)v.bits);   /* the fresh handle's slot, live by construction */
    }
    uint32_t i = (uint32_t)v.bits;
    uint16_t tid = HL__OTID(s->head);
    const hl_type *kind = hl__orun.types[tid];
    size_t es = hl__elem_size(kind), old = hl__obuf_len(s->obj);
    size_t bytes = hl__size(n, es, 0, kind->name, at);
    if (tid == HL__TID_REFS && n < old) {
        /* Cut-off elements are dropped first to last, while the buffer is still intact. */
        for (size_t k = n; k < old; k++) hl__drop((hl_ref *)s->obj + k, at);
    }
    size_t *blk = buf_place(i, (size_t *)s->obj - 1, old * es + sizeof(size_t),
                            hl__size(1, bytes, sizeof(size_t), kind->name, at));
    if (!blk) hl__out_of_memory(bytes, kind->name, at);
    blk[0] = n;
    s->obj = blk + 1;
    hl__count_resize(old * es, bytes);
    /* A resize is a move into *r: older copies of the handle are stale. */
    if (HL__OLEVEL > 0) s->head += 2 * HL__OGEN_ONE;
    HL__OREMEMBER(s->event, at);
    *r = (hl_ref){(uint64_t)HL__OGEN(s->head) << 32 | i};
    hl__oregion_note(i, true);
}

/* ---- vectors and helpers ------------------------------------------------------------------ */

/* Kind codes are the buffers' type ids (HL__TID_BYTES, HL__TID_REFS). */
static uint32_t kind_tid(int kind) { return (uint32_t)kind; }

/* v's capacity in elements, after checking its buffer for access (exclusive: for a write);
** 0 without a buffer. A len larger than the capacity is an error. */
static size_t vec_checked_cap(const hl_vec *v, int kind, size_t es, bool exclusive, const hl_site *at) {
    size_t cap = 0;
    if (v->buf.bits != 0) {
        hl__oslot *s = hl__obuf_ok(v->buf, kind_tid(kind), exclusive);
        if (!s) hl__ofail(v->buf, HL__KIND_TYPE(kind), exclusive ? HL__OP_WRITE : HL__OP_READ, 0, at);
        cap = hl__obuf_len(s->obj) / HL__UNITS(kind, es);
    }
    if (HL__OLEVEL > 0 && v->len > cap) hl__vec_len_fail(v->len, cap, (uint32_t)v->buf.bits, at);
    return cap;
}

hl__guard hl__ovec_borrow_slow(const hl_vec *v, int kind, size_t es, bool write, const hl_site *at) {
    if (v->buf.bits == 0) {   /* no buffer yet: a borrow of nothing, counted in slot 0 */
        if (v->len != 0) hl__vec_len_fail(v->len, 0, 0, at);
        if (!write) hl__oslot_at(HL__OGUARD_UNCOUNTED)->head++;
        return (hl__guard){NULL, 0, HL__OGUARD_UNCOUNTED};
    }
    hl__guard g = write ? hl__borrow_write(v->buf, HL__KIND_TYPE(kind), kind, at)
                         : hl__borrow_read(v->buf, HL__KIND_TYPE(kind), kind, at);
    size_t cap = hl__obuf_len(g.ptr) / HL__UNITS(kind, es);
    if (v->len > cap) hl__vec_len_fail(v->len, cap, g.idx, at);
    g.len = v->len;
    return g;
}

/* The capacity a vector grows to when n more elements must fit: double, at least 8
** one-byte or 4 larger elements (as Rust's RawVec), at least len + n. */
static size_t vec_grown(size_t cap, size_t len, size_t n, size_t es, const hl_site *at) {
    size_t need = hl__size(1, len, n, "a vector", at);
    size_t want = cap > SIZE_MAX / 2 ? SIZE_MAX : 2 * cap, least = es == 1 ? 8 : 4;
    if (want < least) want = least;
    return want > need ? want : need;
}

void *hl__ovec_place_slow(hl_vec *v, int kind, size_t es, size_t n, const hl_site *at) {
    size_t len = v->len, cap = vec_checked_cap(v, kind, es, true, at);
    if (n > cap - len) {
        size_t units = hl__size(vec_grown(cap, len, n, es, at), HL__UNITS(kind, es), 0, HL__KIND_TYPE(kind)->name, at);
        if (v->buf.bits != 0)
            hl__resize(&v->buf, units, at);
        else
            v->buf = buf_new(kind_tid(kind), units, true, at);
    }
    v->len = len + n;
    return (char *)hl__oslot_at((uint32_t)v->buf.bits)->obj + len * es;
}

void *hl__ovec_pop_slow(hl_vec *v, int kind, size_t es, const hl_site *at) {
    vec_checked_cap(v, kind, es, true, at);
    if (v->len == 0) return NULL;
    v->len--;
    return (char *)hl__oslot_at((uint32_t)v->buf.bits)->obj + v->len * es;
}

hl_vec hl__vec_with_capacity(int kind, size_t es, size_t n, const hl_site *at) {
    if (n == 0) return (hl_vec){HL_NULL, 0};
    return (hl_vec){buf_new(kind_tid(kind), hl__size(n, HL__UNITS(kind, es), 0, HL__KIND_TYPE(kind)->name, at), true, at), 0};
}

void hl__vec_truncate(hl_vec *v, int kind, size_t es, size_t n, const hl_site *at) {
    size_t len = v->len;
    if (n >= len) return;
    vec_checked_cap(v, kind, es, true, at);
    if (kind == HL__TID_REFS) {
        /* Dropping an element never moves the buffer: its block stays where it is. */
        hl_ref *e = hl__oslot_at((uint32_t)v->buf.bits)->obj;
        for (size_t k = n; k < len; k++) hl__drop(&e[k], at);
    }
    v->len = n;
}

void hl__vec_shrink_to(hl_vec *v, int kind, size_t es, size_t n, const hl_site *at) {
    size_t len = v->len, cap = vec_checked_cap(v, kind, es, true, at);
    size_t target = n > len ? n : len;
    if (target >= cap) return;
    if (target == 0)
        hl__drop(&v->buf, at);   /* every element past len is empty: frees just the buffer */
    else
        hl__resize(&v->buf, target * HL__UNITS(kind, es), at);
}


void hl__stats_runtime(hl_stats *s) { (void)s; }
