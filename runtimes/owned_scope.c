/*
** owned_scope.c: stack objects (HL_LOCAL, HL_LOCAL_BYTES, HL_LOCAL_REFS) and regions on the
** owned runtime.
**
** Stack objects: their slots (taken, recycled LIFO among stack objects only, retired at the
** generation limit), the end of their block (owned fields dropped, slot vacated), and their
** diagnostics: "use after scope end" for any stale handle to one, "cannot move out of a
** stack object" for a move, drop or resize of a live one. The layout and its invariants are
** in heaplab/owned_fast.h ("stack objects and regions").
**
** Regions: a stack of marks, each counting its live objects (the tags are described in
** owned.h), and the check at hl_region_end: every object allocated or resized since the mark
** must be dead, else "region ended with live objects" naming the first survivor and counting
** them.
*/
#include "owned.h"

#include <stdlib.h>
#include <string.h>

hl__oscope_state hl__oscope;

/* Where an error found while ending a stack object's block is reported. Its id is the scope
** end's, so objects its owned fields drop are noted "dropped at the end of its scope". */
static const hl_site block_end = {
    .file = "(the end of an HL_LOCAL object's block)", .id = HL__SITE_SCOPE_END, .hint = HL__NO_HINT};

/* ---- stack slots --------------------------------------------------------------------------- */

/* The record of an earlier declaration's objects in a stack slot (handle generations
** birth <= gen < end), kept when another declaration takes the slot. A ring of its own, so
** that stack objects, which come and go fast, do not push heap objects out of the graveyard. */
typedef struct stack_grave {
    uint32_t idx, birth, end;
    uint16_t tid, decl;
} stack_grave;

#define STACK_GRAVES 256
static stack_grave graves[STACK_GRAVES];
static uint32_t    graves_next;
static uint32_t    stack_slots;   /* slots made stack slots in this run */

void hl__oscope_start(void) {
    hl__oscope.epoch = (hl__oscope.epoch + 2) | 1;   /* odd, and not the last run's */
    hl__oscope.free = 0;
    hl__oscope.regions = 0;
    hl__oreg.top = NULL;
    memset(graves, 0, sizeof graves);
    graves_next = 0;
    stack_slots = 0;
}

/* Stack objects still live are forgotten: their slots are vacated (their blocks' ends will
** see another epoch and do nothing), so that hl_shutdown neither reports nor frees them. */
void hl__oscope_stop(void) {
    for (uint32_t i = stack_slots ? hl__oslot_first() : 0; i; i = hl__oslot_next(i)) {
        hl__oslot *s = hl__oslot_at(i);
        if ((HL__OGEN(s->head) & 1) && hl__oslot_is_stack(s)) s->head += HL__OGEN_ONE;
    }
    hl__oscope.free = 0;
    hl__oscope.regions = 0;
    hl__oreg.top = NULL;
    hl__oscope.epoch |= 1;
    hl__oscope.epoch++;   /* even: not running */
}

/* The slow half of hl__olocal_begin: start the runtime, look up the type id of the site's T,
** or turn a vacant slot into a stack slot when none is free. */
hl__olocal hl__olocal_begin_slow(void *obj, const hl_type *t, hl__olocal_site *ls) {
    if (!hl__orunning()) hl_init();
    if (t != &hl__bytes_type && ls->epoch != hl__oscope.epoch) {
        ls->tid = hl__otype_id(t);
        ls->epoch = hl__oscope.epoch;
    }
    if (hl__oscope.free == 0) {
        uint32_t i = hl__oslot_take();
        stack_slots++;
        hl__oslot *s = hl__oslot_at(i);
        if (HL__OLEVEL >= 2 && HL__OGEN(s->head)) hl__ograve_bury(i, s);   /* a heap object's record */
        /* Raising a vacant slot's generation is always safe: no handle gets valid by it. */
        *s = (hl__oslot){.head = HL__OHEAD(HL__OGEN_STACK - 1, 0, 0), .birth = HL__OGEN_STACK};
        hl__oscope.free = i;
    }
    return hl__olocal_begin(obj, t, ls);
}

/* A different declaration than the last one takes stack slot i (site-remembering level). */
void hl__olocal_record(uint32_t i, uint32_t tid, hl__osite_id site) {
    hl__oslot *s = hl__oslot_at(i);
    uint32_t gen = HL__OGEN(s->head);
    if (gen >= HL__OGEN_STACK)   /* objects of an earlier declaration were in it */
        graves[graves_next++ % STACK_GRAVES] = (stack_grave){i, s->birth, gen, HL__OTID(s->head), s->alloc};
    s->birth = gen + 1;
    s->alloc = site;
    s->head = HL__OHEAD(gen, HL__OBORROW(s->head), tid);
}

static void scope_begin(const char *kind, const hl_site *at) { hl__obegin(kind, at); }

static void note_decl(uint32_t tid, uint32_t decl) {
    if (HL__OLEVEL < 2) return;
    const hl_site *site = hl__osite_get(decl);
    const char *name = hl__orun.types[tid]->name;
    if (site && site->line)
        hl__note("`%s` declared at %s:%d", name, site->file, site->line);
    else
        hl__note("`%s` declared at an unknown location", name);
}

/* The slow half of hl__olocal_end: a borrow still live (not possible through the lexical
** borrow macros, checked all the same), owned fields or elements to drop, or the generation
** limit. */
void hl__olocal_end_slow(hl__olocal *g) {
    uint32_t i = (uint32_t)g->ref.bits;
    hl__oslot *s = hl__oslot_at(i);
    if (HL__OLEVEL > 0 && HL__OBORROW(s->head) != 0) {
        scope_begin("drop while borrowed", &block_end);
        note_decl(HL__OTID(s->head), s->alloc);
        hl__note("it is %s", HL__OBORROW(s->head) < 0 ? "mutably borrowed" : "borrowed");
        hl__panic_end();
    }
    if (g->t == &hl__refs_type) {
        hl_ref *elems = s->obj;
        for (size_t k = 0; k < hl__obuf_len(elems); k++) hl__drop(&elems[k], &block_end);
    } else if (g->t != &hl__bytes_type) {
        char *obj = s->obj;
        for (size_t k = 0; k < g->t->nrefs; k++) hl__drop((hl_ref *)(obj + g->t->refs[k]), &block_end);
    }
    s->head += HL__OGEN_ONE;
    if (HL__OLEVEL >= 2) s->event = HL__SITE_SCOPE_END;
    if (HL__OGEN(s->head) > HL__OGEN_STACK_LAST) {   /* retired: never declared in again */
        s->obj = NULL;
        return;
    }
    s->obj = (void *)(uintptr_t)hl__oscope.free;
    hl__oscope.free = i;
}

void hl__oscope_diagnose(hl_ref r, hl__oop op, const hl_site *at) {
    uint32_t idx = (uint32_t)r.bits, gen = hl__oref_gen(r);
    if (!hl__oslot_valid(idx)) return;   /* not a handle of this runtime */
    const hl__oslot *s = hl__oslot_at(idx);
    if (HL__OGEN(s->head) == gen && !(r.bits & HL__OMOVED)) {   /* the live stack object itself */
        if (op != HL__OP_MOVE && op != HL__OP_DROP && op != HL__OP_RESIZE) return;
        scope_begin("cannot move out of a stack object", at);
        note_decl(HL__OTID(s->head), s->alloc);
        hl__note("a stack object is owned by its block: borrow it, or allocate it with hl_new to move it");
        hl__panic_end();
    }
    scope_begin("use after scope end", at);
    if (HL__OLEVEL >= 2) {
        const stack_grave *found = NULL;
        if (gen >= s->birth && gen <= HL__OGEN(s->head)) {
            note_decl(HL__OTID(s->head), s->alloc);
        } else {
            for (uint32_t k = 0; k < STACK_GRAVES && !found; k++)
                if (graves[k].end && graves[k].idx == idx && gen >= graves[k].birth && gen < graves[k].end)
                    found = &graves[k];
            if (found)
                note_decl(found->tid, found->decl);
            else
                hl__note("the object's block ended long ago; its slot has since been reused");
        }
    }
    hl__panic_end();
}

/* ---- regions ------------------------------------------------------------------------------- */

hl__oregions    hl__oreg;
static uint32_t marks_cap;
static uint32_t region_seq;   /* not reset by hl_init: tokens of an earlier run stay stale */

/* The open region a serial belongs to: the innermost one whose start is at most it (starts
** grow with depth; regions begun back to back share a start, and then the innermost owns). */
hl__oregion_mark *hl__oregion_of_slow(uint32_t serial) {
    uint32_t lo = 0, hi = hl__oscope.regions;   /* the answer is in [lo, hi) */
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (hl__oreg.marks[mid].start <= serial)
            lo = mid;
        else
            hi = mid;
    }
    return &hl__oreg.marks[lo];
}

/* The tagged slots (live objects of open regions), for the renumbering and the report. */
typedef struct tagged {
    uint32_t serial, idx;
} tagged;

static int by_serial(const void *a, const void *b) {
    uint32_t x = ((const tagged *)a)->serial, y = ((const tagged *)b)->serial;
    return (x > y) - (x < y);
}

/* Slot i's allocation serial: 0 when it holds no object of an open region. */
static uint32_t serial_of(uint32_t i) { return *hl__oregion_tag(i) & ~HL__OREG_RESIZED; }

/* Every tagged slot with a serial from `from` (at least 1) on, in allocation order; NULL when
** memory is short (then *n is still the count). */
static tagged *collect(uint32_t from, size_t *n) {
    size_t count = 0;
    for (uint32_t i = hl__oslot_first(); i; i = hl__oslot_next(i)) count += serial_of(i) >= from;
    *n = count;
    tagged *t = malloc((count ? count : 1) * sizeof *t);
    if (!t) return NULL;
    size_t k = 0;
    for (uint32_t i = hl__oslot_first(); i; i = hl__oslot_next(i))
        if (serial_of(i) >= from) t[k++] = (tagged){serial_of(i), i};
    qsort(t, count, sizeof *t, by_serial);
    return t;
}

/* Serials are about to run out: number the live tagged objects 1, 2, ... in their order, and
** each region's start as the number of its first object. Returns the next serial. */
uint32_t hl__oregion_renumber(void) {
    size_t n;
    tagged *t = collect(1, &n);
    if (!t) hl__out_of_memory(n * sizeof *t, "the region tags", NULL);
    size_t k = 0;
    for (uint32_t d = 0; d < hl__oscope.regions; d++) {
        while (k < n && t[k].serial < hl__oreg.marks[d].start) k++;
        hl__oreg.marks[d].start = (uint32_t)k + 1;
    }
    for (k = 0; k < n; k++) {
        uint32_t *tag = hl__oregion_tag(t[k].idx);
        *tag = (uint32_t)(k + 1) | (*tag & HL__OREG_RESIZED);
    }
    free(t);
    hl__oreg.next = (uint32_t)n + 1;
    return hl__oreg.next;
}

void hl__owned_region_skip(uint32_t left) {
    if (left < HL__OREG_SERIAL_MAX && hl__oreg.next < HL__OREG_SERIAL_MAX - left) {
        uint32_t skip = HL__OREG_SERIAL_MAX - left - hl__oreg.next;
        /* Open regions with no object yet start at the next serial: they move with it. */
        for (uint32_t d = 0; d < hl__oscope.regions; d++)
            if (hl__oreg.marks[d].start == hl__oreg.next) hl__oreg.marks[d].start += skip;
        hl__oreg.next += skip;
    }
}

hl_region hl__region_begin(const hl_site *at) {
    if (!hl__orunning()) hl_init();
    uint32_t k = hl__oscope.regions;
    if (k == marks_cap) {
        uint32_t cap = marks_cap ? marks_cap * 2 : 16;
        hl__oregion_mark *m = realloc(hl__oreg.marks, cap * sizeof *m);
        if (!m || cap < marks_cap) hl__out_of_memory(cap * sizeof *m, "the region marks", at);
        hl__oreg.marks = m;
        marks_cap = cap;
    }
    if (++region_seq == 0) region_seq = 1;
    if (k == 0) hl__oreg.next = 1;
    hl__oreg.marks[k] = (hl__oregion_mark){region_seq, hl__oreg.next, 0, HL__OLEVEL >= 2 ? hl__osite(at) : HL__SITE_NONE};
    hl__oscope.regions = k + 1;
    hl__oreg.top = &hl__oreg.marks[k];
    return (hl_region){(uint64_t)region_seq << 32 | k};
}

/* "region ended with live objects": the first survivor in allocation order, and how many. */
HL__NORETURN static void report_survivors(const hl__oregion_mark *m, uint64_t live, const hl_site *at) {
    size_t n;
    tagged *t = collect(m->start, &n);
    scope_begin("region ended with live objects", at);
    if (HL__OLEVEL >= 2 && t && n) {
        const hl__oslot *s = hl__oslot_at(t[0].idx);
        const hl_site *site = hl__osite_get(s->alloc);
        const char *name = hl__orun.types[HL__OTID(s->head)]->name;
        if (site)
            hl__note("`%s` allocated at %s:%d", name, site->file, site->line);
        else
            hl__note("`%s` allocated at an unknown location", name);
        if (*hl__oregion_tag(t[0].idx) & HL__OREG_RESIZED)
            hl__note("it was resized inside the region, which allocates it anew");
    }
    free(t);
    hl__note("%llu object%s allocated in the region %s still live", (unsigned long long)live, live == 1 ? "" : "s",
             live == 1 ? "is" : "are");
    const hl_site *began = HL__OLEVEL >= 2 ? hl__osite_get(m->site) : NULL;
    if (began) hl__note("the region began at %s:%d", began->file, began->line);
    hl__panic_end();
}

void hl__region_end(hl_region m, const hl_site *at) {
    uint32_t k = (uint32_t)m.bits, seq = (uint32_t)(m.bits >> 32);
    if (!hl__orunning() || k >= hl__oscope.regions || hl__oreg.marks[k].seq != seq) return;   /* ended already */
    if (HL__OLEVEL > 0) {
        uint64_t live = 0;   /* the region's and those of the regions begun inside it */
        for (uint32_t d = k; d < hl__oscope.regions; d++) live += hl__oreg.marks[d].live;
        if (live) report_survivors(&hl__oreg.marks[k], live, at);
    }
    hl__oscope.regions = k;
    hl__oreg.top = k ? &hl__oreg.marks[k - 1] : NULL;
}
