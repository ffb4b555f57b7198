/*
** owned_scope.c: stack objects (HL_LOCAL, HL_LOCAL_BYTES) and regions on the owned runtime.
**
** Stack objects: their slots (taken, recycled LIFO among stack objects only, retired at the
** generation limit), the end of their block (owned fields dropped, slot vacated), and their
** diagnostics: "use after scope end" for any stale handle to one, "cannot move out of a
** stack object" for a move, drop or resize of a live one. The layout and its invariants are
** in heaplab/owned_fast.h ("stack objects and regions").
**
** Regions: a stack of marks over the region log (owned.h), and the check at hl_region_end:
** every object allocated or resized since the mark must be dead, else "region ended with
** live objects" naming the first survivor and counting them.
*/
#include "owned.h"

#include <stdlib.h>
#include <string.h>

hl__oscope_state hl__oscope;
hl__oalog        hl__oregion_log;

/* Where an error found while ending a stack object's block is reported. Its id is the scope
** end's, so objects its owned fields drop are noted "dropped at the end of its scope". */
static const hl_site block_end = {"(the end of an HL_LOCAL object's block)", 0, HL__SITE_SCOPE_END, HL__NO_HINT};

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

void hl__oscope_start(void) {
    hl__oscope.epoch = (hl__oscope.epoch + 2) | 1;   /* odd, and not the last run's */
    hl__oscope.free = 0;
    hl__oscope.regions = 0;
    hl__oregion_log.len = 0;
    memset(graves, 0, sizeof graves);
    graves_next = 0;
}

/* Stack objects still live are forgotten: their slots are vacated (their blocks' ends will
** see another epoch and do nothing), so that hl_shutdown neither reports nor frees them. */
void hl__oscope_stop(void) {
    for (uint32_t i = 1; i < hl__orun.nslots; i++) {
        hl__oslot *s = &hl__orun.slots[i];
        if ((HL__OGEN(s->head) & 1) && hl__oslot_is_stack(s)) s->head += HL__OGEN_ONE;
    }
    hl__oscope.free = 0;
    hl__oscope.regions = 0;
    hl__oregion_log.len = 0;
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
        hl__oslot *s = &hl__orun.slots[i];
        if (HL__OLEVEL >= 2 && HL__OGEN(s->head)) hl__ograve_bury(i, s);   /* a heap object's record */
        /* Raising a vacant slot's generation is always safe: no handle gets valid by it. */
        *s = (hl__oslot){.head = HL__OHEAD(HL__OGEN_STACK - 1, 0, 0), .birth = HL__OGEN_STACK};
        hl__oscope.free = i;
    }
    return hl__olocal_begin(obj, t, ls);
}

/* A different declaration than the last one takes stack slot i (site-remembering level). */
void hl__olocal_record(uint32_t i, uint32_t tid, hl__osite_id site) {
    hl__oslot *s = &hl__orun.slots[i];
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
** borrow macros, checked all the same), owned fields to drop, or the generation limit. */
void hl__olocal_end_slow(hl__olocal *g) {
    uint32_t i = (uint32_t)g->ref.bits;
    hl__oslot *s = &hl__orun.slots[i];
    if (HL__OLEVEL > 0 && HL__OBORROW(s->head) != 0) {
        scope_begin("drop while borrowed", &block_end);
        note_decl(HL__OTID(s->head), s->alloc);
        hl__note("it is %s", HL__OBORROW(s->head) < 0 ? "mutably borrowed" : "borrowed");
        hl__panic_end();
    }
    if (g->t != &hl__bytes_type) {
        char *obj = s->obj;
        for (size_t k = 0; k < g->t->nrefs; k++) hl__drop((hl_ref *)(obj + g->t->refs[k]), &block_end);
        s = &hl__orun.slots[i];
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
    if (idx == 0 || idx >= hl__orun.nslots) return;   /* not a handle of this runtime */
    const hl__oslot *s = &hl__orun.slots[idx];
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

typedef struct region_mark {
    uint32_t     seq;    /* the token's; 0 never */
    hl__osite_id site;   /* where it began */
    size_t       pos;    /* the region log's length when it began */
} region_mark;

static region_mark *marks;
static uint32_t     marks_cap;
static uint32_t     region_seq;   /* not reset by hl_init: tokens of an earlier run stay stale */

/* Is the object logged as e still alive? It is if a slot still holds it with the logged
** birth; a relocated object (generation limit) is followed to its new slot. */
static bool logged_live(uint64_t e, uint32_t *where) {
    uint32_t idx = (uint32_t)e, birth = (uint32_t)(e >> 32) & 0x7FFFFFFFu;
    for (;;) {
        if (idx == 0 || idx >= hl__orun.nslots) return false;
        const hl__oslot *s = &hl__orun.slots[idx];
        if (s->birth != birth) return false;
        if (HL__OGEN(s->head) != HL__OGEN_FORWARDED) {
            *where = idx;
            return HL__OGEN(s->head) & 1;
        }
        uint64_t fwd = (uint64_t)(uintptr_t)s->obj;   /* (birth << 32 | index) of the new slot */
        idx = (uint32_t)fwd;
        birth = (uint32_t)(fwd >> 32);
    }
}

/* Make room in the region log: first forget the entries of dead objects (they cannot come
** back to life), moving the marks with them; grow only if that frees less than half. */
void hl__oregion_log_grow(void) {
    hl__oalog *l = &hl__oregion_log;
    if (l->cap) {
        size_t kept = 0;
        uint32_t mk = 0, nm = hl__oscope.regions, where;
        for (size_t j = 0; j < l->len; j++) {
            while (mk < nm && marks[mk].pos == j) marks[mk++].pos = kept;
            if (logged_live(l->items[j], &where)) l->items[kept++] = l->items[j];
        }
        while (mk < nm) marks[mk++].pos = kept;
        l->len = kept;
        if (kept < l->cap / 2) return;
    }
    size_t cap = l->cap ? l->cap * 2 : 4096;
    uint64_t *items = realloc(l->items, cap * sizeof *items);
    if (!items) hl__out_of_memory(cap * sizeof *items, "the region log", NULL);
    l->items = items;
    l->cap = cap;
}

hl_region hl__region_begin(const hl_site *at) {
    if (!hl__orunning()) hl_init();
    uint32_t k = hl__oscope.regions;
    if (k == marks_cap) {
        uint32_t cap = marks_cap ? marks_cap * 2 : 16;
        region_mark *m = realloc(marks, cap * sizeof *m);
        if (!m || cap < marks_cap) hl__out_of_memory(cap * sizeof *m, "the region marks", at);
        marks = m;
        marks_cap = cap;
    }
    if (++region_seq == 0) region_seq = 1;
    marks[k] = (region_mark){region_seq, HL__OLEVEL >= 2 ? hl__osite(at) : HL__SITE_NONE, hl__oregion_log.len};
    hl__oscope.regions = k + 1;
    return (hl_region){(uint64_t)region_seq << 32 | k};
}

static int by_entry(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a & ~HL__OALOG_RESIZED, y = *(const uint64_t *)b & ~HL__OALOG_RESIZED;
    return (x > y) - (x < y);
}

/* How many distinct objects the survivors are (an object allocated and then resized in the
** region, or resized twice, is logged more than once). */
static size_t distinct(uint64_t *survivors, size_t n) {
    qsort(survivors, n, sizeof *survivors, by_entry);
    size_t d = 0;
    for (size_t j = 0; j < n; j++)
        if (j == 0 || by_entry(&survivors[j], &survivors[j - 1]) != 0) d++;
    return d;
}

HL__NORETURN static void report_survivors(const region_mark *m, size_t first, size_t count, const hl_site *at) {
    hl__oalog *l = &hl__oregion_log;
    uint32_t where = 0;
    uint64_t e = l->items[first];
    logged_live(e, &where);
    /* Count distinct objects (best effort when memory is short: the entries). */
    uint64_t *sv = malloc(count * sizeof *sv);
    if (sv) {
        size_t n = 0;
        uint32_t w;
        for (size_t j = m->pos; j < l->len; j++)
            if (logged_live(l->items[j], &w)) sv[n++] = (uint64_t)hl__orun.slots[w].birth << 32 | w;
        count = distinct(sv, n);
        free(sv);
    }
    scope_begin("region ended with live objects", at);
    if (HL__OLEVEL >= 2) {
        const hl__oslot *s = &hl__orun.slots[where];
        const hl_site *site = hl__osite_get(s->alloc);
        const char *name = hl__orun.types[HL__OTID(s->head)]->name;
        if (site)
            hl__note("`%s` allocated at %s:%d", name, site->file, site->line);
        else
            hl__note("`%s` allocated at an unknown location", name);
        if (e & HL__OALOG_RESIZED) hl__note("it was resized inside the region, which allocates it anew");
    }
    hl__note("%zu object%s allocated in the region %s still live", count, count == 1 ? "" : "s",
             count == 1 ? "is" : "are");
    const hl_site *began = HL__OLEVEL >= 2 ? hl__osite_get(m->site) : NULL;
    if (began) hl__note("the region began at %s:%d", began->file, began->line);
    hl__panic_end();
}

void hl__region_end(hl_region m, const hl_site *at) {
    uint32_t k = (uint32_t)m.bits, seq = (uint32_t)(m.bits >> 32);
    if (!hl__orunning() || k >= hl__oscope.regions || marks[k].seq != seq) return;   /* ended already */
    hl__oalog *l = &hl__oregion_log;
    if (HL__OLEVEL > 0) {
        size_t live = 0, first = 0;
        uint32_t where;
        for (size_t j = marks[k].pos; j < l->len; j++)
            if (logged_live(l->items[j], &where) && live++ == 0) first = j;
        if (live) report_survivors(&marks[k], first, live, at);
    }
    l->len = marks[k].pos;
    hl__oscope.regions = k;
}
