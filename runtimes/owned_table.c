/*
** owned_table.c: where the owned runtime's slots live: one reserved range of address space,
** carved into pages of slots, with small objects stored inside their slots.
**
** Why: every checked access loads the object's slot before the object. In a table of its own
** that is a second cache miss for every object a program reaches by pointer chasing (a list,
** a tree, a hash chain), and on those programs it was most of owned's distance from plain C.
** Here a small object lies right after its slot, so the slot and the object share a cache
** line (or the next one, which the hardware fetches with it): the check costs instructions,
** not another trip to memory.
**
** Layout. A handle's index counts 8-byte units from the base (hl__oslot_at). The range is
** carved in pages of HL__OPAGE_UNITS units; all slots of a page belong to one class c: a
** 24-byte slot followed by an inline block of c units (a typed object, or a buffer's length
** word and elements), or for class 0 a slot alone (buffers too big for a class, large
** objects, stack objects), padded to 4 units. Pages are carved in the order classes need
** them.
** Invariants:
**  - a page keeps its class, and a carved slot stays a slot, for the whole run: an index once
**    handed out names a slot until hl_shutdown, so a stale handle reads a slot's generation,
**    as the safety argument in heaplab/owned_fast.h needs;
**  - slots lie at least 4 units apart (class 0 is padded), so index / 4 (HL__OKEY) numbers
**    the arrays kept beside the table;
**  - a vacant slot keeps its inline block: free lists are by class (owned.c);
**  - page 0 holds the sentinel slot 0 only. Each run of the runtime carves pages after the
**    previous run's (whose memory is zeroed and given back at hl_shutdown), so a borrow that
**    a previous run left live and releases late writes into a page no live slot uses; only
**    after 1 GiB of pages (RESTART_PAGES) does a run start over at page 1.
** The range is reserved inaccessible and without memory, and opened (made readable and
** writable) in growing steps ahead of the carving: pages take memory when first touched, and
** tools that scan a process's readable memory (Valgrind's leak check) see only the part in use.
** The arrays kept beside the table at owned (borrow sites, region tags: one entry per
** HL__OKEY) are reserved with it and opened the same way, in step with it.
*/
#define _GNU_SOURCE   /* MAP_NORESERVE, MAP_ANONYMOUS */
#include "owned.h"

#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

/* The largest range tried: 2^31 units (16 GiB of address space, about 300 million slots of
** small objects). Smaller ones are tried when the system refuses it (an address-space limit). */
#define TABLE_UNITS_MAX (1ULL << 31)
#define TABLE_UNITS_MIN (1ULL << 20)
/* Opened in steps that double, from 1 MiB, by at most 256 MiB at a time. */
#define OPEN_FIRST (1ULL << 17)
#define OPEN_STEP_MAX (1ULL << 25)
/* A run starts over at page 1 once this many pages (1 GiB) lie behind, so that a process that
** runs the runtime again and again reuses its memory, and a sanitizer's shadow of it, rather
** than walking through the whole range. */
#define RESTART_PAGES 16384u

static uint64_t  units;        /* reserved (0: not yet) */
static uint64_t  opened;       /* units [0, opened) are readable and writable */
/* The arrays beside the table: each entry of sides[k] is side_elem[k] bytes, one per key. */
static void    **sides[2];
static size_t    side_elem[2];
static int       nsides;
static uint32_t  max_pages;    /* units / HL__OPAGE_UNITS */
static uint32_t  npages;       /* pages carved: [0, npages) */
static uint32_t  first_page;   /* this run's first page */
uint8_t         *hl__otable_class;   /* by page: the class of its slots */
/* By page: units carved from the page's start, once its class has moved on to another page
** (a class's current page is read from carve); 0 for a page of no run. */
static uint16_t *page_used;
/* Per class: the next unit to carve and the end of its current page (0, 0: no page yet in
** this run). */
static struct {
    uint32_t next[HL_BLK_CLASSES], end[HL_BLK_CLASSES];
} carve;

/* A slot of class 0 takes 4 units, one of class c > 0 takes 3 + c. */
static uint32_t stride(size_t cls) { return cls ? 3 + (uint32_t)cls : 4; }

/* Units carved in page p of this run. */
static uint32_t used(uint32_t p) {
    size_t c = hl__otable_class[p];
    if (carve.end[c] == (p + 1) * HL__OPAGE_UNITS) return carve.next[c] - p * HL__OPAGE_UNITS;
    return page_used[p];
}

/* A range of address space, inaccessible until opened; NULL when refused. */
static void *reserve(size_t bytes) {
    void *p = mmap(NULL, bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

/* Open bytes [from, to) of a reserved range: zeroed, taking memory only where written. */
static bool open_range(void *base, size_t from, size_t to) {
    return to <= from || mprotect((char *)base + from, to - from, PROT_READ | PROT_WRITE) == 0;
}

/* Open the table up to at least need units, and the arrays beside it with it. */
static void open_units(uint64_t need) {
    if (need <= opened) return;
    uint64_t to = opened ? opened + (opened < OPEN_STEP_MAX ? opened : OPEN_STEP_MAX) : OPEN_FIRST;
    while (to < need) to += OPEN_STEP_MAX;
    if (to > units) to = units;
    bool ok = open_range(hl__orun.slots, opened * 8, to * 8);
    for (int k = 0; k < nsides; k++)
        ok = ok && open_range(*sides[k], opened / 4 * side_elem[k], to / 4 * side_elem[k]);
    if (!ok) hl__out_of_memory((size_t)(to - opened) * 8, "the handle table", NULL);
    opened = to;
}

/* The address space the process may still take (RLIMIT_AS less what it has), or SIZE_MAX. */
static size_t address_space_left(void) {
    struct rlimit rl;
    if (getrlimit(RLIMIT_AS, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY) return SIZE_MAX;
    unsigned long pages = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) {
        if (fscanf(f, "%lu", &pages) != 1) pages = 0;
        fclose(f);
    }
    size_t in_use = (size_t)pages * (size_t)sysconf(_SC_PAGESIZE);
    return rl.rlim_cur > in_use ? (size_t)(rl.rlim_cur - in_use) : 0;
}

/* The address space a table of u units takes with the arrays beside it: borrow sites and
** region tags at the level that remembers sites (owned-fast keeps its tags in the slots). */
static uint64_t reserve_size(uint64_t u) {
    return u * 8 + (HL__OLEVEL >= 2 ? u / 4 * (sizeof *hl__orun.bsites + sizeof *hl__oreg.tags) : 0);
}

/* Reserve the table of u units and the arrays beside it, all or none. */
static bool reserve_all(uint64_t u) {
    void *slots = reserve(u * 8), *bsites = NULL, *tags = NULL;
    bool ok = slots && (HL__OLEVEL < 2 || (bsites = reserve(u / 4 * sizeof *hl__orun.bsites))) &&
              (HL__OLEVEL < 2 || (tags = reserve(u / 4 * sizeof *hl__oreg.tags)));
    if (!ok) {
        if (slots) munmap(slots, u * 8);
        if (bsites) munmap(bsites, u / 4 * sizeof *hl__orun.bsites);
        return false;
    }
    hl__orun.slots = slots;
    units = u;
    if (bsites) {
        hl__orun.bsites = bsites;
        sides[nsides] = (void **)&hl__orun.bsites;
        side_elem[nsides++] = sizeof *hl__orun.bsites;
    }
    if (tags) {
        hl__oreg.tags = tags;
        sides[nsides] = (void **)&hl__oreg.tags;
        side_elem[nsides++] = sizeof *hl__oreg.tags;
    }
    return true;
}

/* The largest reservation the system grants, taking at most half of the address space left
** under a limit (RLIMIT_AS), so that blocks of their own can still be allocated. */
static void reserve_table(void) {
    size_t left = address_space_left();
    for (uint64_t u = TABLE_UNITS_MAX; u >= TABLE_UNITS_MIN && !units; u /= 2)
        if (left == SIZE_MAX || reserve_size(u) <= left / 2) reserve_all(u);
    if (!units) hl__out_of_memory(reserve_size(TABLE_UNITS_MIN), "the handle table", NULL);
    max_pages = (uint32_t)(units / HL__OPAGE_UNITS);
    hl__otable_class = calloc(max_pages, 1);
    page_used = calloc(max_pages, sizeof *page_used);
    if (!hl__otable_class || !page_used) hl__out_of_memory(max_pages * 3, "the handle table", NULL);
    open_units(HL__OPAGE_UNITS);
    npages = 1;   /* page 0: the sentinel's */
}

void hl__otable_start(void) {
    if (!units) reserve_table();
    /* The earlier runs' pages are empty (hl__otable_stop). */
    if (npages > RESTART_PAGES || npages > max_pages / 2) npages = 1;
    first_page = npages;
    hl__orun.nslots = (hl__oword)npages * HL__OPAGE_UNITS;
    *hl__oslot_at(0) = (hl__oslot){.head = HL__OHEAD(HL__OGEN_FORWARDED, 0, 0), .obj = NULL};
}

/* This run's pages, and their entries in the arrays beside the table, are zeroed and give
** their memory back. */
void hl__otable_stop(void) {
    size_t from = (size_t)first_page * HL__OPAGE_UNITS, to = (size_t)npages * HL__OPAGE_UNITS;
    if (to > from) {
        madvise((char *)hl__orun.slots + from * 8, (to - from) * 8, MADV_DONTNEED);
        for (int k = 0; k < nsides; k++)
            madvise((char *)*sides[k] + from / 4 * side_elem[k], (to - from) / 4 * side_elem[k], MADV_DONTNEED);
    }
    for (uint32_t p = first_page; p < npages; p++) page_used[p] = 0;
    memset(&carve, 0, sizeof carve);   /* no current pages: no slot is valid */
}

/* A new page for class cls: its first unit. */
static uint32_t carve_page(size_t cls) {
    if (carve.end[cls]) {   /* the page the class leaves: remember how much it carved */
        uint32_t p = carve.end[cls] / HL__OPAGE_UNITS - 1;
        page_used[p] = (uint16_t)(carve.next[cls] - p * HL__OPAGE_UNITS);
    }
    if (npages >= max_pages) hl__out_of_memory((size_t)units * 8, "the handle table", NULL);
    hl__otable_class[npages] = (uint8_t)cls;
    uint32_t i = npages * HL__OPAGE_UNITS;
    open_units((uint64_t)i + HL__OPAGE_UNITS);
    carve.end[cls] = i + HL__OPAGE_UNITS;
    npages++;
    hl__orun.nslots = (hl__oword)npages * HL__OPAGE_UNITS;
    return i;
}

uint32_t hl__oslot_carve(size_t cls) {
    uint32_t i = carve.next[cls], n = stride(cls);
    if (HL__UNLIKELY(carve.end[cls] - i < n)) i = carve_page(cls);
    carve.next[cls] = i + n;
    /* A page of an earlier run is zero, but for a borrow that run left live and released
    ** later into a slot's head. */
    *hl__oslot_at(i) = (hl__oslot){0};
    return i;
}

bool hl__oslot_in_table(const void *p) { return (uintptr_t)p - (uintptr_t)hl__orun.slots < units * 8; }

bool hl__oslot_valid(uint32_t i) {
    uint32_t p = i / HL__OPAGE_UNITS, off = i % HL__OPAGE_UNITS;
    return i != 0 && p >= first_page && p < npages && off < used(p) && off % stride(hl__otable_class[p]) == 0;
}

/* The first slot of a page from p on, or 0. */
static uint32_t page_first(uint32_t p) {
    for (; p < npages; p++)
        if (used(p)) return p * HL__OPAGE_UNITS;
    return 0;
}

uint32_t hl__oslot_first(void) { return page_first(first_page); }

uint32_t hl__oslot_next(uint32_t i) {
    uint32_t p = i / HL__OPAGE_UNITS, n = i + stride(hl__otable_class[p]);
    if (n - p * HL__OPAGE_UNITS < used(p)) return n;
    return page_first(p + 1);
}
