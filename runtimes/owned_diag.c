/*
** owned_diag.c: why did a checked call fail? The owned runtime's diagnostics.
**
** Fast paths (heaplab/owned_fast.h) only know that a check failed; this file works out which
** rule of docs/design.md was broken, from the object's *current* state, and prints the block:
**
**   heaplab: error: use of moved value
**     --> programs/faults/use_after_move.c:31
**      = note: `Node` allocated at programs/faults/use_after_move.c:20
**      = note: moved at programs/faults/use_after_move.c:27
**
** then exits with status 101, as a Rust panic does. Also the leak report of hl_shutdown.
*/
#include "owned.h"

#include <stdlib.h>
#include <string.h>

/* What a handle refers to, reconstructed from the table. */
typedef struct target {
    uint32_t idx;        /* the slot that holds (or held) the object */
    bool     live;       /* the object is alive */
    bool     current;    /* the handle is its valid handle */
    bool     known;      /* the slot still describes this object (not reused since) */
    uint32_t gen;        /* the handle's generation (after following forwarding) */
} target;

/* Resolve a non-null handle: follow forwarding notes of relocated objects, then compare the
** handle's generation with the slot's (see the invariants in heaplab/owned_fast.h). */
static target resolve(hl_ref r) {
    target t = {(uint32_t)r.bits, false, false, false, 0};
    uint32_t gen = hl__oref_gen(r);
    bool moved_out = (r.bits & HL__OMOVED) != 0;
    t.gen = gen;
    for (;;) {
        if (!hl__oslot_valid(t.idx)) return t;   /* not from this runtime */
        const hl__oslot *s = hl__oslot_at(t.idx);
        if (HL__OGEN(s->head) != HL__OGEN_FORWARDED) break;
        if (gen < s->birth) return t;   /* an earlier object of the slot, not the relocated one: dead */
        uint64_t fwd = (uint64_t)(uintptr_t)s->obj;   /* (birth << 32 | index) of the new slot */
        t.idx = (uint32_t)fwd;
        gen = t.gen = (uint32_t)(fwd >> 32);
        moved_out = true;   /* any handle to the old slot is older than the relocation */
    }
    const hl__oslot *s = hl__oslot_at(t.idx);
    uint32_t slot_gen = HL__OGEN(s->head);
    bool slot_live = slot_gen & 1;
    t.known = gen >= s->birth && gen <= slot_gen;
    t.live = slot_live && t.known;
    t.current = t.live && !moved_out && gen == slot_gen;
    return t;
}

/* ---- the graveyard ------------------------------------------------------------------------ */

hl__ograve hl__graves[HL__GRAVES];
uint32_t   hl__graves_next;

/* The grave of the object that handle generation gen at slot idx referred to, if recent. */
static const hl__oslot *grave_find(uint32_t idx, uint32_t gen) {
    for (uint32_t k = 0; k < HL__GRAVES; k++) {
        const hl__ograve *g = &hl__graves[k];
        uint32_t dead_gen = HL__OGEN(g->dead.head);
        if (dead_gen && g->idx == idx && gen >= g->dead.birth && gen < dead_gen) return &g->dead;
    }
    return NULL;
}

/* Is the site an HL_OWNED declaration's (its variable's drop at the end of its scope)? */
static bool is_decl(const hl_site *site) {
#if HL__OLEVEL >= 2
    return site && site->hint == HL__ODECL_HINT;
#else
    (void)site;
    return false;
#endif
}

/* Site notes exist only at the level that remembers sites (owned, not owned-fast). */
static void note_site(const char *what, uint32_t id) {
    const hl_site *site = hl__osite_get(id);
    if (HL__OLEVEL < 2 || !site) return;
    if (id == HL__SITE_SCOPE_END)
        hl__note("%s at the end of its scope", what);
    else if (is_decl(site))
        hl__note("%s at the end of the scope of the `HL_OWNED` variable declared at %s:%d", what, site->file,
                 site->line);
    else
        hl__note("%s at %s:%d", what, site->file, site->line);
}

/* The live borrow of slot idx that a conflicting call met (borrow: the slot's flag, < 0
** exclusive), like rustc's "immutable borrow occurs here" / "first mutable borrow occurs
** here": where it was taken (owned), else only what it is. again: the call was itself an
** exclusive borrow, so an exclusive live one is the first of two. */
static void note_borrow(uint32_t idx, int16_t borrow, bool again) {
    const char *what = borrow > 0 ? "borrowed (shared)" : again ? "first mutably borrowed" : "mutably borrowed";
    const hl_site *site = HL__OLEVEL >= 2 ? hl__osite_get(hl__orun.bsites[HL__OKEY(idx)]) : NULL;
    if (site && site->line)
        hl__note("%s at %s:%d", what, site->file, site->line);
    else
        hl__note("it is %s", borrow > 0 ? "borrowed (shared)" : "mutably borrowed");
}

static void note_alloc_of(uint16_t tid, hl__osite_id alloc) {
    if (HL__OLEVEL < 2) return;
    const hl_site *site = hl__osite_get(alloc);
    const char *name = hl__orun.types[tid]->name;
    if (site)
        hl__note("`%s` allocated at %s:%d", name, site->file, site->line);
    else
        hl__note("`%s` allocated at an unknown location", name);
}

static void note_alloc(uint32_t idx) { note_alloc_of(HL__OTID(hl__oslot_at(idx)->head), hl__oslot_at(idx)->alloc); }

HL__NORETURN static void fail(const char *kind, const hl_site *at) {
    hl__panic_begin(kind, at);
    hl__panic_end();
}

/* The "-->" line for a call without a location: drops at the end of an HL_OWNED scope
** whose declaration is not known (owned-fast, or nested deeper than owned keeps). */
static const hl_site *where(const hl_site *at) {
    static const hl_site scope_end = {.file = "(the end of an HL_OWNED variable's scope)", .hint = HL__NO_HINT};
    return at ? at : &scope_end;
}

/* The kind and "-->" lines. A drop at the end of an HL_OWNED variable's scope points at the
** declaration (owned), with a note saying that the call is that drop. */
void hl__obegin(const char *kind, const hl_site *at) {
    at = where(at);
    fflush(stdout);
    if (at->line)
        hl__panic_begin(kind, at);
    else {
        hl__panic_begin(kind, NULL);
        fprintf(stderr, "  --> %s\n", at->file);
    }
    if (is_decl(at)) hl__note("the drop is at the end of the scope of the `HL_OWNED` variable declared here");
}

static void begin(const char *kind, const hl_site *at) { hl__obegin(kind, at); }

/* The handle does not refer to a live object: moved, dropped or never valid. */
HL__NORETURN static void fail_stale(hl_ref r, target t, hl__oop op, const hl_site *at) {
    if (!hl__oslot_valid(t.idx)) {
        begin(hl__orunning() ? "invalid handle" : "runtime not running", at);
        hl__note(hl__orunning() ? "the handle was not made by this runtime (or is uninitialised memory)"
                                : "call hl_init before using the API; handles do not survive hl_shutdown");
        hl__panic_end();
    }
    if (t.live) {   /* the object lives elsewhere: this handle is a moved-out or older copy */
        begin("use of moved value", at);
        note_alloc(t.idx);
        note_site("moved", hl__oslot_at(t.idx)->event);
        hl__panic_end();
    }
    begin(op == HL__OP_DROP ? "double drop" : "use after free", at);
    if (t.known) {
        note_alloc(t.idx);
        note_site("dropped", hl__oslot_at(t.idx)->event);
    } else {
        const hl__oslot *g = grave_find(t.idx, t.gen);
        if (g) {
            note_alloc_of(HL__OTID(g->head), g->alloc);
            note_site("dropped", g->event);
        } else {
            hl__note("the object was dropped long ago; its slot has since been reused");
        }
    }
    (void)r;
    hl__panic_end();
}

static const char *op_verb(hl__oop op) {
    switch (op) {
    case HL__OP_READ: return "borrowed";
    case HL__OP_WRITE: return "borrowed mutably";
    case HL__OP_GET: case HL__OP_SET: case HL__OP_SLOT: return "indexed";
    default: return "used";
    }
}

void hl__ofail(hl_ref r, const hl_type *want, hl__oop op, size_t index, const hl_site *at) {
    if (!hl__orunning() && r.bits != 0) {
        begin("runtime not running", at);
        hl__note("call hl_init before using the API; handles do not survive hl_shutdown");
        hl__panic_end();
    }
    if (r.bits == 0) {
        begin("null handle", at);
        hl__note("HL_NULL was %s", op_verb(op));
        hl__panic_end();
    }
    if (hl__ogen_is_stack(hl__oref_gen(r))) hl__oscope_diagnose(r, op, at);
    target t = resolve(r);
    if (!t.current) fail_stale(r, t, op, at);

    const hl__oslot *s = hl__oslot_at(t.idx);
    const hl_type *have = hl__orun.types[HL__OTID(s->head)];
    bool is_buffer = HL__OTID(s->head) <= HL__TID_REFS;
    int16_t borrow = HL__OBORROW(s->head);
    if ((want && have != want) || ((op == HL__OP_RESIZE || op == HL__OP_LEN) && !is_buffer)) {
        begin("type mismatch", at);
        note_alloc(t.idx);
        if (want)
            hl__note("%s as `%s`", op_verb(op), want->name);
        else
            hl__note("%s is not a bytes or refs buffer", op == HL__OP_LEN ? "hl_len: it" : "hl_resize: it");
        hl__panic_end();
    }
    bool exclusive = op == HL__OP_WRITE || op == HL__OP_MOVE || op == HL__OP_RESIZE || op == HL__OP_SET ||
                     op == HL__OP_SLOT;
    if (op == HL__OP_DROP && borrow != 0) {
        begin("drop while borrowed", at);
        note_alloc(t.idx);
        note_borrow(t.idx, borrow, false);
        hl__panic_end();
    }
    if (exclusive && borrow != 0) {
        begin("already borrowed", at);
        note_alloc(t.idx);
        note_borrow(t.idx, borrow, op == HL__OP_WRITE);
        hl__panic_end();
    }
    if (!exclusive && borrow < 0) {
        begin("already mutably borrowed", at);
        note_alloc(t.idx);
        note_borrow(t.idx, borrow, false);
        hl__panic_end();
    }
    if (is_buffer && index >= hl__obuf_len(s->obj)) {
        begin("index out of bounds", at);
        hl__note("the len is %zu but the index is %zu", hl__obuf_len(s->obj), index);
        note_alloc(t.idx);
        hl__panic_end();
    }
    /* A fast path declined a call that passes every check: a bug in heaplab itself. */
    fail("internal error: a check failed without a cause", at);
}

/* ---- index errors of slices and vectors ------------------------------------------------- */

/* The allocation note of the buffer in slot obj (0: none). */
static void note_buffer(uint32_t obj) {
    if (hl__oslot_valid(obj) && (HL__OGEN(hl__oslot_at(obj)->head) & 1)) note_alloc(obj);
}

void hl__index_fail(size_t len, size_t index, uint32_t obj, const hl_site *at) {
    begin("index out of bounds", at);
    hl__note("the len is %zu but the index is %zu", len, index);
    note_buffer(obj);
    hl__panic_end();
}

void hl__range_fail(size_t len, size_t start, size_t n, uint32_t obj, const hl_site *at) {
    begin("index out of bounds", at);
    hl__range_note(len, start, n);
    note_buffer(obj);
    hl__panic_end();
}

void hl__vec_len_fail(size_t len, size_t cap, uint32_t obj, const hl_site *at) {
    begin("index out of bounds", at);
    hl__note("the vector's len is %zu but its capacity is %zu", len, cap);
    note_buffer(obj);
    hl__panic_end();
}

/* ---- leak report ------------------------------------------------------------------------- */

typedef struct leak_site {
    uint32_t site, tid;
    size_t   count, bytes;
} leak_site;

static int by_count_desc(const void *a, const void *b) {
    const leak_site *x = a, *y = b;
    return x->count < y->count ? 1 : x->count > y->count ? -1 : (x->site > y->site) - (x->site < y->site);
}

#define LEAK_SITES_SHOWN 10

void hl__oreport_leaks(size_t count, size_t bytes) {
    fflush(stdout);
    fprintf(stderr, "heaplab: warning: %zu object%s (%zu byte%s) leaked\n", count, count == 1 ? "" : "s", bytes,
            bytes == 1 ? "" : "s");
    if (HL__OLEVEL < 2) return;   /* no allocation sites were remembered */
    /* Group live objects by (allocation site, type): a small linear-probe table. */
    size_t cap = 64, n = 0;
    leak_site *tab = calloc(cap, sizeof *tab);
    if (!tab) return;
    for (uint32_t i = hl__oslot_first(); i; i = hl__oslot_next(i)) {
        const hl__oslot *s = hl__oslot_at(i);
        if (!(HL__OGEN(s->head) & 1)) continue;
        uint32_t site = s->alloc, tid = HL__OTID(s->head);
        size_t k = 0;
        while (k < n && !(tab[k].site == site && tab[k].tid == tid)) k++;
        if (k == n) {
            if (n == cap) {
                leak_site *t2 = realloc(tab, 2 * cap * sizeof *tab);
                if (!t2) break;
                tab = t2;
                cap *= 2;
            }
            tab[n++] = (leak_site){site, tid, 0, 0};
        }
        tab[k].count++;
        tab[k].bytes += hl__opayload(s);
    }
    qsort(tab, n, sizeof *tab, by_count_desc);
    for (size_t k = 0; k < n && k < LEAK_SITES_SHOWN; k++) {
        const hl_site *site = hl__osite_get(tab[k].site);
        hl__note("%zu `%s` (%zu bytes) allocated at %s:%d", tab[k].count, hl__orun.types[tab[k].tid]->name,
                 tab[k].bytes, site ? site->file : "?", site ? site->line : 0);
    }
    if (n > LEAK_SITES_SHOWN) hl__note("... and %zu more allocation sites", n - LEAK_SITES_SHOWN);
    free(tab);
}
