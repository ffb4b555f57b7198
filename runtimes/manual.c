/*
** manual.c: the manual runtime. malloc/free, as plain C does it; a handle is the object's
** address, with its type id in the top bits (heaplab/direct_fast.h).
**
** Nothing is checked: misuse through the API (use after free, double drop, ...) is
** undefined behaviour, exactly as with malloc/free. Borrows and element access are plain
** pointer operations inlined from heaplab/direct_fast.h. hl_drop frees an object and, through its
** descriptor's drop glue, everything it owns.
*/
#include "runtime.h"

#include <stdlib.h>
#include <string.h>

static bool running;   /* as direct.h says */

static inline void *direct_alloc(size_t n, bool pointer_free, bool zero) {
    (void)pointer_free;
    return zero ? hl__zalloc(n) : malloc(n);
}

static inline void *direct_realloc(void *p, size_t old, size_t n, bool pointer_free) {
    (void)old, (void)pointer_free;
    return realloc(p, n);
}

static inline void direct_free(void *p) { free(p); }

#define DIRECT_DROP_FREES 1
#define DIRECT_BYTES_INLINE_MAX (SIZE_MAX - DIRECT_BUF_HDR)
#include "direct.h"
#include "addr_map.h"

/* ---- type ids and their drop glue ----------------------------------------------------------
** A handle's tag is its type id (heaplab/direct_fast.h): a shape id, or a registered type's.
** Each id has a glue entry that says how hl_drop frees an object of that type: its shape, and
** the byte offsets of up to two owned fields. Shape ids' entries are filled before main runs,
** a registered type's when it is registered, so that freeing an object reads one 8-byte entry,
** indexed by the tag, instead of a descriptor's nrefs and refs[]. */
enum {
    GLUE_PAIR = 1,  /* a typed object whose first two words are its two owned fields (a tree
                    ** node, a keyed list node): GLUE_TWO with offsets 0 and 8, which hl_drop
                    ** walks with drop_pair */
    GLUE_TWO,       /* a typed object with two owned fields elsewhere */
    GLUE_ONE,       /* ... with one (a list node, an object owning a buffer) */
    GLUE_LEAF,      /* ... with none */
    GLUE_BYTES,     /* a bytes buffer */
    GLUE_REFS,      /* a refs buffer: its elements, then itself */
    GLUE_MANY,      /* a typed object with more owned fields, or offsets past 64 KiB */
};
typedef struct direct_glue {
    uint16_t shape;
    uint16_t first, last;   /* GLUE_PAIR, GLUE_TWO: both owned fields' offsets; GLUE_ONE: last only */
    uint16_t unused;
} direct_glue;

/* The pair shape's id: drop_pair's trees are made of it. */
#define MTID_PAIR (HL__MTID_TWO + 1)

/* Both tables are zero-initialised, so that they lie in .bss, where only the pages a program
** touches take memory; the entries of the buffers and shapes are filled before main runs (and
** before any constructor without a priority). Initialised data would be file-backed, and the
** kernel maps the pages around the first one touched in a file-backed mapping along with it:
** 64 KiB more peak RSS for every manual program (the data mapping's Rss in /proc/PID/smaps,
** 68 KiB against 4). */
const hl_type *hl__mtypes[HL__MTYPES];
static direct_glue glues[HL__MTYPES];
static uint32_t nmtypes = HL__MTID_REGISTERED;

/* The shapes' descriptors: what hl__type_of gives for an object of a shape id. */
static hl_type shape_types[HL__MTID_REGISTERED];
static size_t shape_refs[HL__MTID_REGISTERED][2];

static direct_glue glue_of(const hl_type *t) {
    size_t n = t->nrefs;
    bool small = n == 0 || (t->refs[0] <= UINT16_MAX && t->refs[n - 1] <= UINT16_MAX);
    if (n == 0) return (direct_glue){GLUE_LEAF, 0, 0, 0};
    if (n == 1 && small) return (direct_glue){GLUE_ONE, 0, (uint16_t)t->refs[0], 0};
    if (n == 2 && t->refs[0] == 0 && t->refs[1] == sizeof(hl_ref))
        return (direct_glue){GLUE_PAIR, 0, sizeof(hl_ref), 0};
    if (n == 2 && small) return (direct_glue){GLUE_TWO, (uint16_t)t->refs[0], (uint16_t)t->refs[1], 0};
    return (direct_glue){GLUE_MANY, 0, 0, 0};
}

/* Give id its entries, for objects of descriptor t. */
static void mtype_set(uint32_t id, const hl_type *t) {
    hl__mtypes[id] = t;
    glues[id] = glue_of(t);
}

/* Describe the shape of n owned fields at offsets a and b (as many as n says) and give its id,
** which hl__mshape_id computes from that description, its entries. */
static void shape_add(size_t n, size_t a, size_t b) {
    size_t refs[2] = {a, b};
    uint32_t id = hl__mshape_id(&(hl_type){"object", 0, n, refs});
    shape_refs[id][0] = a, shape_refs[id][1] = b;
    shape_types[id] = (hl_type){"object", 0, n, shape_refs[id]};
    mtype_set(id, &shape_types[id]);
}

__attribute__((constructor(101))) static void mtypes_init(void) {
    hl__mtypes[HL__MTID_BYTES] = &hl__bytes_type;
    hl__mtypes[HL__MTID_REFS] = &hl__refs_type;
    glues[HL__MTID_BYTES] = (direct_glue){GLUE_BYTES, 0, 0, 0};
    glues[HL__MTID_REFS] = (direct_glue){GLUE_REFS, 0, 0, 0};
    shape_add(0, 0, 0);
    for (size_t i = 0; i < 8; i++) {
        shape_add(1, 8 * i, 0);
        for (size_t j = i + 1; j < 8; j++) shape_add(2, 8 * i, 8 * j);
    }
}

/* The registered types' ids, by descriptor address. */
static addr_map registered;

/* The id of t: its shape id, or its own, registered on first use. Ids live as long as the
** process: a descriptor keeps its id across hl_init/hl_shutdown. */
static uint32_t mtype_id(const hl_type *t, const hl_site *at) {
    uint32_t id = hl__mshape_id(t);
    if (id) return id;
    id = (uint32_t)addr_map_get(&registered, (uintptr_t)t);
    if (id) return id;
    if (nmtypes == HL__MTYPES) {
        hl__panic_begin("too many types", at);
        hl__note("the manual runtime supports %u types that have more than two owned fields, or fields past "
                 "the first 64 bytes",
                 HL__MTYPES - HL__MTID_REGISTERED);
        hl__panic_end();
    }
    if (!addr_map_put(&registered, (uintptr_t)t, nmtypes))
        hl__out_of_memory(addr_map_next_bytes(&registered), "the table of type ids", at);
    mtype_set(nmtypes, t);
    return nmtypes++;
}

/* hl_new's and HL_LOCAL's out-of-line path (heaplab/direct_fast.h): t's tag, cached in the
** call site. */
uintptr_t hl__mtag_slow(const hl_type *t, hl_site *at) {
    uintptr_t tag = (uintptr_t)mtype_id(t, at) << HL__TAG_SHIFT;
    at->fast_type = t;
    at->fast_word = tag;
    return tag;
}

/* ---- typed objects' allocation and statistics ------------------------------------------------
** hl__mnew_alloc (heaplab/direct_fast.h) is malloc in a timed run and alloc_counting in a
** statistics run, which counts each typed object and notes its size in sizes, so that its drop
** can count the bytes freed (a shape id does not say the type's size). alloc_starting chooses
** between the two. */
static addr_map sizes;

static void *alloc_counting(size_t n) {
    void *p = malloc(n);
    if (!p) return NULL;
    if (!addr_map_put(&sizes, (uintptr_t)p, n))
        hl__out_of_memory(addr_map_next_bytes(&sizes), "the statistics' object sizes", NULL);
    hl__count_alloc(n);
    return p;
}

static void *alloc_starting(size_t n) {
    direct_start_if_stopped();
    hl__mnew_alloc = hl__count_bytes ? alloc_counting : malloc;
    return hl__mnew_alloc(n);
}

void *(*hl__mnew_alloc)(size_t n) = alloc_starting;

/* Whether hl_drop may take its common path (the runtime is running and statistics are off),
** kept as the type id of bytes buffers then and as an id no handle has (DROP_NOT_PLAIN)
** otherwise. hl_drop's first test, whether the handle is a bytes buffer it may free on the
** spot, so tests both at once: the commonest drop, a buffer's, makes no other test. Set to
** DROP_NOT_PLAIN with the inline allocation paths (inline_paths_off); the next drop checks the
** runtime and the statistics and sets it again. */
#define DROP_NOT_PLAIN HL__MTYPES
static uintptr_t drop_plain_bytes_id = DROP_NOT_PLAIN;   /* a word, compared in place */

/* Turn off every path that skips the statistics (hl_new's malloc, the inline
** hl_new_bytes_uninit, the plain drop); each out-of-line path turns its own on again when it
** finds statistics off and the runtime running. Called whenever either may have changed:
** hl_init (HEAPLAB_STATS is read again) and hl_shutdown. Before the first hl_init all three are
** off already (hl__mnew_alloc is alloc_starting, hl__bytes_inline_max 0, drop_plain_bytes_id
** DROP_NOT_PLAIN), so statistics requested at process start are counted from the first
** allocation. */
static void inline_paths_off(void) {
    hl__mnew_alloc = alloc_starting;
    hl__bytes_inline_max = 0;
    drop_plain_bytes_id = DROP_NOT_PLAIN;
}

/* ---- hl_drop ----------------------------------------------------------------------------
** Two walks free what an object owns. The general walk (drop_rest) takes every shape with an
** explicit stack: a few dozen handles in the drop's own frame, spilling to the process-wide
** worklist, so that a structure of millions costs heap, not stack, however deep. Trees of
** pair nodes, the commonest deep shape, take drop_pair instead, which recurses as a
** type-specific free does, and hands what it cannot recurse into to the general walk.
** Both free in the order a program builds: an object before what it owns, its first field's
** tree before its last's (pre-order). malloc's free lists hand the most recently freed block
** out first, so the next structure built the same way gets the same blocks in address order,
** which the processor prefetches: binary_trees takes 0.74x its C peer's wall time in
** interleaved runs (0.72x to 0.84x in `make bench`), whose textbook free (children first) scatters
** them; the C peer freeing in pre-order takes 0.71x.
** Handles are used as their bits here: the tag selects the glue, the rest is the address.
**
** The general walk is compiled twice: for timed runs, counting nothing, as plain C, and for
** runs that asked for statistics (HEAPLAB_STATS), counting frees and bytes, so that the
** common case tests no flag per object. Statistics runs take it for pair trees too. */
#define DROP_STACK 64
/* Handles from this one up may own something (refs buffers, typed objects); those below are
** null or bytes buffers (tag HL__MTID_BYTES), which own nothing. */
#define DROP_MAY_OWN ((uintptr_t)(HL__MTID_BYTES + 1) << HL__TAG_SHIFT)

static hl__worklist worklist;

static inline uintptr_t field(const char *p, size_t off) { return *(const uintptr_t *)(p + off); }
static inline char *addr(uintptr_t h) { return (char *)(h & HL__ADDR_MASK); }

/* Free the typed object h; stats: keep the statistics (a constant in each walk). */
static inline void free_typed(uintptr_t h, bool stats) {
    if (stats) hl__count_free(addr_map_take(&sizes, (uintptr_t)addr(h)));
    free(addr(h));
}

/* Free the buffer h of elements of elem bytes (1: bytes, 8: refs). Its tag follows from elem,
** so its block's address is one subtraction away. */
static inline void free_buf(uintptr_t h, size_t elem, bool stats) {
    uintptr_t tag = (uintptr_t)(elem == 1 ? HL__MTID_BYTES : HL__MTID_REFS) << HL__TAG_SHIFT;
    if (stats) hl__count_free(hl__buf_len((hl_ref){h}) * elem);
    free((void *)(h - tag - DIRECT_BUF_HDR));
}

/* The shapes the walk does not take inline (refs buffers, many fields): pushes every owned
** handle but the first onto the worklist, so that they pop in order, frees the object and
** returns the first (0 if none). */
static HL__COLD uintptr_t drop_general(uintptr_t h, bool stats) {
    char *p = addr(h);
    if (glues[h >> HL__TAG_SHIFT].shape == GLUE_REFS) {
        size_t n = hl__buf_len((hl_ref){h});
        const uintptr_t *e = (const uintptr_t *)p;
        uintptr_t first = n ? e[0] : 0;
        if (n > 1) hl__worklist_push_owned(&worklist, e + 1, NULL, n - 1);
        free_buf(h, sizeof(hl_ref), stats);
        return first;
    }
    const hl_type *t = hl__mtypes[h >> HL__TAG_SHIFT];
    size_t n = t->nrefs;   /* GLUE_MANY: n > 2, or offsets past 64 KiB */
    uintptr_t first = field(p, t->refs[0]);
    hl__worklist_push_owned(&worklist, p, t->refs + 1, n - 1);
    free_typed(h, stats);
    return first;
}

/* Free the object h. Returns the owned handle to drop next (0 if none: the first field that
** may own something) and sets *later to one that must wait its turn (0 if none); the shapes
** with more (refs buffers, many fields) leave the rest on the worklist. A bytes buffer owns
** nothing, so a first or only field that holds one is freed on the spot: the stack does not
** grow along a list whose nodes own a buffer, and an object owning one buffer is freed
** without a walk. The shapes are tested in the order of how often programs free them. */
static inline __attribute__((always_inline)) uintptr_t free_one(uintptr_t h, uintptr_t *later, bool stats) {
    direct_glue g = glues[h >> HL__TAG_SHIFT];
    char *p = addr(h);
    *later = 0;
    if (HL__LIKELY(g.shape <= GLUE_TWO)) {
        uintptr_t first = field(p, g.first), last = field(p, g.last);
        free_typed(h, stats);
        if (first >= DROP_MAY_OWN) {
            *later = last;
            return first;
        }
        if (first) free_buf(first, 1, stats);
        return last;
    }
    if (g.shape == GLUE_BYTES) {
        free_buf(h, 1, stats);
        return 0;
    }
    if (g.shape == GLUE_ONE) {
        uintptr_t last = field(p, g.last);
        free_typed(h, stats);
        if (last >= DROP_MAY_OWN) return last;
        if (last) free_buf(last, 1, stats);
        return 0;
    }
    if (g.shape == GLUE_LEAF) {
        free_typed(h, stats);
        return 0;
    }
    return drop_general(h, stats);
}

/* Drop next, later and everything they own, and the worklist's entries above base. */
static inline __attribute__((always_inline)) void drop_rest(uintptr_t next, uintptr_t later, size_t base,
                                                            bool stats) {
    uintptr_t stack[DROP_STACK];
    size_t n = 0;
    if (later) stack[n++] = later;
    for (;;) {
        if (!next) {
            if (n)
                next = stack[--n];
            else if (worklist.len > base)
                next = worklist.items[--worklist.len].bits;
            else
                return;
        }
        next = free_one(next, &later, stats);
        if (later) {
            if (HL__LIKELY(n < DROP_STACK))
                stack[n++] = later;
            else
                hl__worklist_push(&worklist, (hl_ref){later});
        }
    }
}

static void drop_rest_objects(uintptr_t next, uintptr_t later, size_t base) { drop_rest(next, later, base, false); }
static HL__COLD void drop_rest_stats(uintptr_t next, size_t base) { drop_rest(next, 0, base, true); }

/* Trees of pair nodes (GLUE_PAIR: binary trees, expression trees, keyed lists) are dropped as a
** type-specific free drops them: recursively, with the fields' offsets constants. A walk holds the
** tree's tag (the pair shape's, which every type of that shape shares) and the addresses of its
** nodes: a field minus the tag is the child's address when the child is a pair node too, and out
** of address range (above HL__ADDR_MASK) otherwise, null included, so that one subtraction and one
** comparison both check a child's shape and untag it. Leaves (both fields null) are freed without
** a call. The first field recurses, the last is a loop, so a list costs no stack. Each call walks
** three levels of the tree (drop_pair_level inlined into itself twice), so that a call's prologue
** and epilogue are paid once for up to seven nodes, as GCC does for a hand-written recursive free.
** Recursion stops DROP_PAIR_STACK bytes below the frame of drop_tree, which begins the walk: a
** subtree below that, or a field of another shape, goes to the general walk. binary_trees
** (callgrind, size 12): 15 instructions a node besides free's own, against 26 in the general walk;
** its C peer's hand-written free takes 7.4, knowing that a node without a left child is a leaf and
** so never reading a leaf's fields or a tag. */
#define DROP_PAIR_STACK (24 * 1024)

/* The lowest frame address at which drop_pair still recurses (set by drop_tree). */
static uintptr_t drop_frame_min;

static inline bool same_tag(uintptr_t a, uintptr_t b) { return (a ^ b) >> HL__TAG_SHIFT == 0; }

/* Drop h (HL_NULL included), a field of a node that drop_pair does not walk itself: a bytes
** buffer inline, the rest through the general walk. */
static inline void drop_other(uintptr_t h) {
    if (h >> HL__TAG_SHIFT == HL__MTID_BYTES)
        free_buf(h, 1, false);
    else if (h)
        drop_rest_objects(h, 0, worklist.len);
}

/* The same for a field held as its value minus tag. */
static HL__COLD void drop_other_untagged(uintptr_t a, uintptr_t tag) { drop_other(a + tag); }

/* Whether the pair node at address a is a leaf. */
static inline bool is_leaf_at(uintptr_t a) {
    const uintptr_t *p = (const uintptr_t *)a;
    return !(p[0] | p[1]);
}

typedef void drop_pair_fn(uintptr_t a, uintptr_t tag);

/* Drop the pair node at address a, of tag tag, and its tree; deeper walks a first field that is
** not a leaf. */
static inline __attribute__((always_inline)) void drop_pair_level(uintptr_t a, uintptr_t tag,
                                                                  drop_pair_fn *deeper) {
    for (;;) {
        const uintptr_t *p = (const uintptr_t *)a;
        uintptr_t first = p[0] - tag, last = p[1] - tag;
        free((void *)a);
        if (first > HL__ADDR_MASK)
            drop_other_untagged(first, tag);
        else if (is_leaf_at(first))
            free((void *)first);
        else if ((uintptr_t)__builtin_frame_address(0) > drop_frame_min)
            deeper(first, tag);
        else
            drop_other_untagged(first, tag);
        if (last > HL__ADDR_MASK) {
            drop_other_untagged(last, tag);
            return;
        }
        if (is_leaf_at(last)) {
            free((void *)last);
            return;
        }
        a = last;
    }
}

static void drop_pair(uintptr_t a, uintptr_t tag);
static inline __attribute__((always_inline)) void drop_pair_3(uintptr_t a, uintptr_t tag) {
    drop_pair_level(a, tag, drop_pair);
}
static inline __attribute__((always_inline)) void drop_pair_2(uintptr_t a, uintptr_t tag) {
    drop_pair_level(a, tag, drop_pair_3);
}
static void drop_pair(uintptr_t a, uintptr_t tag) { drop_pair_level(a, tag, drop_pair_2); }

/* Drop the tree or list of pair nodes h. Out of line, so that hl__drop, which calls it, needs
** no frame pointer for __builtin_frame_address. */
static __attribute__((noinline)) void drop_tree(uintptr_t h) {
    drop_frame_min = (uintptr_t)__builtin_frame_address(0) - DROP_PAIR_STACK;
    drop_pair(h & HL__ADDR_MASK, h & ~HL__ADDR_MASK);
}

/* Drop h, not null, when hl__drop's front has not freed it: the first drop after a start (or
** every drop of a statistics run), and the objects that may own something. */
static __attribute__((noinline)) void drop_owner(uintptr_t h) {
    uintptr_t later;
    if (HL__UNLIKELY(drop_plain_bytes_id == DROP_NOT_PLAIN)) {
        /* After hl_shutdown drops are harmless no-ops, as the contract says, until the runtime
        ** starts again (hl_init, or an allocation, which calls it). */
        if (!running) return;
        if (hl__count_bytes) {
            drop_rest_stats(h, worklist.len);
            return;
        }
        drop_plain_bytes_id = HL__MTID_BYTES;
        if (h >> HL__TAG_SHIFT == HL__MTID_BYTES) {
            free_buf(h, 1, false);
            return;
        }
    }
    if (h >> HL__TAG_SHIFT == MTID_PAIR) {
        const uintptr_t *p = (const uintptr_t *)addr(h);
        uintptr_t first = p[0], last = p[1];
        if (same_tag(first, h) || same_tag(last, h)) {   /* a tree or a list */
            drop_tree(h);
            return;
        }
        free((void *)p);   /* its fields hold other types (a pair of buffers) or nothing */
        drop_other(first);
        drop_other(last);
        return;
    }
    if (HL__UNLIKELY(glues[h >> HL__TAG_SHIFT].shape >= GLUE_REFS)) {
        drop_rest_objects(h, 0, worklist.len);   /* the shapes that use the worklist */
        return;
    }
    uintptr_t next = free_one(h, &later, false);
    if (later)
        drop_rest_objects(next, later, worklist.len);
    else
        drop_other(next);   /* a last field that is a bytes buffer is freed without the walk */
}

/* The drops that free one block, a bytes buffer or a pair node whose fields are null (a leaf,
** or a node whose fields were moved out), take no frame and no walk. */
void hl__drop(hl_ref *r, const hl_site *at) {
    (void)at;
    uintptr_t h = r->bits;
    *r = HL_NULL;
    if (h >> HL__TAG_SHIFT == drop_plain_bytes_id) {
        free_buf(h, 1, false);
        return;
    }
    if (h >> HL__TAG_SHIFT == MTID_PAIR && drop_plain_bytes_id != DROP_NOT_PLAIN && is_leaf_at((uintptr_t)addr(h))) {
        free(addr(h));
        return;
    }
    if (h) drop_owner(h);
}

const char *hl_runtime_name(void) { return "manual"; }

void hl_init(void) {
    if (running) return;
    running = true;
    hl__start();
    inline_paths_off();   /* statistics may have been requested */
}

/* In a statistics run manual counts allocations and frees, so it knows how many objects were
** never dropped; a timed run counts nothing (both counts stay 0), as plain C. */
size_t hl_shutdown(void) {
    size_t live = (size_t)(hl__count.allocations - hl__count.frees);
    running = false;
    inline_paths_off();
    addr_map_clear(&sizes);
    hl__stop();
    return live;
}

void hl__stats_runtime(hl_stats *s) { (void)s; }
