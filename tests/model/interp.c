/*
** interp.c: the interpreter of the model-based tests: runs an operation sequence through the
** heaplab API on the runtime this file is built with (one build per runtime).
**
** Each operation is a function i_<CODE>. Every API call that can fail stands on a line of its
** own together with AT(site), which records that line in the section hlm_lines, so that the
** model can predict the "-->" line of a violation: hlm_site_line(site). Borrows are lexical
** in the API, and so they are here: an operation that opens a block declares its borrow and
** runs the following operations in a nested call (run_block) until CLOSE or the end of the
** sequence, and the borrow is released when that C block is left, innermost first.
**
** The variables v0..v7 are static, so that the gc runtime sees them as roots.
*/
#define _GNU_SOURCE
#include "heaplab.h"
#include "model.h"
#if defined(HL_RUNTIME_OWNED)
#include "owned.h"   /* hl__owned_age_slot, the slot-ageing test hook */
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Leaf {
    int64_t v;
} Leaf;
HL_TYPE(Leaf);

typedef struct Node {
    int64_t v;
    hl_ref  next;
    hl_ref  peer;   /* not owned */
} Node;
HL_TYPE(Node, next);

typedef struct Pair {
    hl_ref  left;
    int64_t v;
    hl_ref  right;
} Pair;
HL_TYPE(Pair, left, right);

typedef struct Big {
    uint8_t pad[600];
    hl_ref  child;
    int64_t v;
} Big;
HL_TYPE(Big, child);

_Static_assert(sizeof(Leaf) == HLM_SIZE_LEAF && sizeof(Node) == HLM_SIZE_NODE && sizeof(Pair) == HLM_SIZE_PAIR &&
                   sizeof(Big) == HLM_SIZE_BIG,
               "model.h's sizes are the interpreter's");

/* ---- call sites ------------------------------------------------------------------------------ */

typedef struct hlm_line {
    int site, line;
} hlm_line;

/* AT(site): this line is the site's. A static record in the section hlm_lines; the linker
** provides __start_hlm_lines and __stop_hlm_lines around all of them. */
#define AT(site) AT_(site, __COUNTER__)
#define AT_(site, c) AT__(site, c)
#define AT__(site, c)                                                                      \
    static const hlm_line hlm_at_##c __attribute__((used, section("hlm_lines"), aligned(8))) = {(site), __LINE__}

extern const hlm_line __start_hlm_lines[], __stop_hlm_lines[];

const char hlm_interp_file[] = __FILE__;

int hlm_site_line(int site) {
    if (hlm_site_unlocated(site)) return 0;
    for (const hlm_line *l = __start_hlm_lines; l < __stop_hlm_lines; l++)
        if (l->site == site) return l->line;
    return 0;
}

bool hlm_sites_check(char *why, size_t cap) {
    int seen[HLM_NSITES] = {0};
    for (const hlm_line *l = __start_hlm_lines; l < __stop_hlm_lines; l++) {
        if (l->site <= HLM_S_NONE || l->site >= HLM_NSITES || l->line <= 0) {
            snprintf(why, cap, "a malformed site record (%d at line %d)", l->site, l->line);
            return false;
        }
        seen[l->site]++;
    }
    for (int s = HLM_S_NONE + 1; s < HLM_NSITES; s++)
        if (seen[s] != 1 && !hlm_site_unlocated(s)) {
            snprintf(why, cap, "site %d is recorded %d times", s, seen[s]);
            return false;
        }
    return true;
}

const char *hlm_runtime(void) { return hl_runtime_name(); }

/* ---- state ---------------------------------------------------------------------------------- */

static hl_ref vars[HLM_NV];
#define V(x) vars[(x)]

/* An open block: a borrow (p its pointer), or a stack object's block (local). */
typedef struct bor {
    int    type;
    bool   write, local;
    void  *p;
    size_t len;
} bor;

static struct {
    const hlm_op *ops;
    size_t        n, pos;
    volatile int *progress;
    bor           bor[HLM_MAX_DEPTH];
    int           depth;
    long          many;   /* shared borrows held by open READ_MANY blocks, as model.c counts them */
    uint64_t      obs;
    hl_region     regions[HLM_MAX_REGIONS];
    int           nregions;
} ix;

static void observe(uint64_t x) { ix.obs = hlm_mix(ix.obs, x); }

static void run_block(void);

/* Run the operations inside a block whose borrow (or stack object) the caller holds. */
static void nest_block(int type, bool write, bool local, const void *p, size_t len) {
    ix.bor[ix.depth++] = (bor){type, write, local, (void *)p, len};
    run_block();
    ix.depth--;
}
static void nest(int type, bool write, const void *p, size_t len) { nest_block(type, write, false, p, len); }

/* The open borrow an operation names: b counts the borrows from the innermost. */
static bor *pick(uint8_t b) {
    int n = 0;
    for (int d = 0; d < ix.depth; d++) n += !ix.bor[d].local;
    if (!n) return NULL;
    int k = b % n;
    for (int d = ix.depth; d-- > 0;)
        if (!ix.bor[d].local && k-- == 0) return &ix.bor[d];
    return NULL;
}

/* The place of field t of a borrowed object (NULL: none), as model.c's field_of. */
static hl_ref *field_of(bor *b, uint8_t t) {
    switch (b->type) {
    case HLM_NODE: return t % 2 ? &((Node *)b->p)->peer : &((Node *)b->p)->next;
    case HLM_PAIR: return t % 2 ? &((Pair *)b->p)->right : &((Pair *)b->p)->left;
    case HLM_BIG: return &((Big *)b->p)->child;
    case HLM_REFS: return b->len ? &((hl_ref *)b->p)[t % b->len] : NULL;
    default: return NULL;
    }
}

static int64_t *value_of(bor *b) {
    switch (b->type) {
    case HLM_LEAF: return &((Leaf *)b->p)->v;
    case HLM_NODE: return &((Node *)b->p)->v;
    case HLM_PAIR: return &((Pair *)b->p)->v;
    case HLM_BIG: return &((Big *)b->p)->v;
    default: return NULL;
    }
}

/* ---- the operations ------------------------------------------------------------------------ */

#define INTERP_FN(code) static void i_##code(const hlm_op *o)

INTERP_FN(NEW) {
    switch (o->t % HLM_NTYPED) {
    case HLM_LEAF: { AT(HLM_S_NEW + HLM_LEAF); V(o->a) = hl_new(&Leaf_type); } break;
    case HLM_NODE: { AT(HLM_S_NEW + HLM_NODE); V(o->a) = hl_new(&Node_type); } break;
    case HLM_PAIR: { AT(HLM_S_NEW + HLM_PAIR); V(o->a) = hl_new(&Pair_type); } break;
    default: { AT(HLM_S_NEW + HLM_BIG); V(o->a) = hl_new(&Big_type); } break;
    }
}
INTERP_FN(NEW_BYTES) { AT(HLM_S_NEW_BYTES); V(o->a) = hl_new_bytes(hlm_size(o->n)); }
INTERP_FN(NEW_REFS) { AT(HLM_S_NEW_REFS); V(o->a) = hl_new_refs(hlm_size(o->n)); }
INTERP_FN(MOVE) { AT(HLM_S_MOVE); V(o->a) = hl_move(&V(o->b)); }
INTERP_FN(TAKE) { AT(HLM_S_TAKE); V(o->a) = hl_take(&V(o->b)); }
INTERP_FN(COPY) { V(o->a) = V(o->b); }
INTERP_FN(FORGET) { V(o->a) = HL_NULL; }
INTERP_FN(DROP) { AT(HLM_S_DROP); hl_drop(&V(o->a)); }
INTERP_FN(RESIZE) { AT(HLM_S_RESIZE); hl_resize(&V(o->a), hlm_size(o->n)); }

INTERP_FN(LIST) {
    size_t len = hlm_list_len(o->n);
    hl_ref head = HL_NULL;
    for (size_t i = len; i-- > 0;) {
        AT(HLM_S_LIST_NEW); hl_ref x = hl_new(&Node_type);
        AT(HLM_S_LIST_WRITE); HL_WRITE(Node, p, x); p->v = (int64_t)i + 1; p->next = hl_move(&head);
        head = x;   /* x's block ends here: its handle simply passes on */
    }
    V(o->a) = head;
}

INTERP_FN(AGE) {
#if defined(HL_RUNTIME_OWNED)
    V(o->a) = hl__owned_age_slot(V(o->a), o->n % 3);
#else
    (void)o;   /* no generations: nothing to age */
#endif
}

INTERP_FN(LEN) { AT(HLM_S_LEN); size_t len = hl_len(V(o->a)); observe(len); }
INTERP_FN(GET) { AT(HLM_S_GET); uint8_t x = hl_byte(V(o->a), hlm_index(o->n)); observe(x); }
INTERP_FN(SET) { AT(HLM_S_SET); hl_set_byte(V(o->a), hlm_index(o->n), o->t); }
INTERP_FN(REF_AT) { AT(HLM_S_REF_AT); V(o->a) = hl_ref_at(V(o->b), hlm_index(o->n)); observe(hl_is_null(V(o->a))); }

INTERP_FN(SLOT_IN) {
    AT(HLM_S_SLOT_IN_SLOT); hl_ref *place = hl_slot(V(o->a), hlm_index(o->n));
    AT(HLM_S_SLOT_IN_MOVE); *place = hl_move(&V(o->b));
}
INTERP_FN(SLOT_TAKE) {
    AT(HLM_S_SLOT_TAKE_SLOT); hl_ref *place = hl_slot(V(o->b), hlm_index(o->n));
    AT(HLM_S_SLOT_TAKE); V(o->a) = hl_take(place);
}
INTERP_FN(SLOT_MOVE) {
    AT(HLM_S_SLOT_MOVE_SLOT); hl_ref *place = hl_slot(V(o->b), hlm_index(o->n));
    AT(HLM_S_SLOT_MOVE); V(o->a) = hl_move(place);
}
INTERP_FN(SLOT_DROP) {
    AT(HLM_S_SLOT_DROP_SLOT); hl_ref *place = hl_slot(V(o->a), hlm_index(o->n));
    AT(HLM_S_SLOT_DROP); hl_drop(place);
}

INTERP_FN(NTH) {
    size_t steps = hlm_steps(o->n), k = 0;
    hl_ref cur = V(o->b);
    for (; k < steps && !hl_is_null(cur); k++) {
        AT(HLM_S_NTH); HL_READ(Node, p, cur); cur = p->next;
    }
    V(o->a) = cur;
    observe(k);
}

/* Opening a block: borrow variable a as type t % 6, then run the block. */
#define R_Leaf(p, x) HL_READ(Leaf, p, x)
#define R_Node(p, x) HL_READ(Node, p, x)
#define R_Pair(p, x) HL_READ(Pair, p, x)
#define R_Big(p, x) HL_READ(Big, p, x)
#define R_bytes(p, x) HL_READ_BYTES(p, x)
#define R_refs(p, x) HL_READ_REFS(p, x)
#define W_Leaf(p, x) HL_WRITE(Leaf, p, x)
#define W_Node(p, x) HL_WRITE(Node, p, x)
#define W_Pair(p, x) HL_WRITE(Pair, p, x)
#define W_Big(p, x) HL_WRITE(Big, p, x)
#define W_bytes(p, x) HL_WRITE_BYTES(p, x)
#define W_refs(p, x) HL_WRITE_REFS(p, x)

/* One line: the borrow, then (buffers) its length, then the block. */
#define OPEN(ACQ, T, TC, W, S) { AT((S) + (TC)); ACQ##_##T(p, V(o->a)); nest(TC, W, p, (TC) >= HLM_BYTES ? hl_len(V(o->a)) : 0); } break

INTERP_FN(READ) {
    if (ix.depth == HLM_MAX_DEPTH) return;
    switch (o->t % HLM_NTYPES) {
    case HLM_LEAF: OPEN(R, Leaf, HLM_LEAF, false, HLM_S_READ);
    case HLM_NODE: OPEN(R, Node, HLM_NODE, false, HLM_S_READ);
    case HLM_PAIR: OPEN(R, Pair, HLM_PAIR, false, HLM_S_READ);
    case HLM_BIG: OPEN(R, Big, HLM_BIG, false, HLM_S_READ);
    case HLM_BYTES: OPEN(R, bytes, HLM_BYTES, false, HLM_S_READ);
    default: OPEN(R, refs, HLM_REFS, false, HLM_S_READ);
    }
}

INTERP_FN(WRITE) {
    if (ix.depth == HLM_MAX_DEPTH) return;
    switch (o->t % HLM_NTYPES) {
    case HLM_LEAF: OPEN(W, Leaf, HLM_LEAF, true, HLM_S_WRITE);
    case HLM_NODE: OPEN(W, Node, HLM_NODE, true, HLM_S_WRITE);
    case HLM_PAIR: OPEN(W, Pair, HLM_PAIR, true, HLM_S_WRITE);
    case HLM_BIG: OPEN(W, Big, HLM_BIG, true, HLM_S_WRITE);
    case HLM_BYTES: OPEN(W, bytes, HLM_BYTES, true, HLM_S_WRITE);
    default: OPEN(W, refs, HLM_REFS, true, HLM_S_WRITE);
    }
}

/* READ_MANY: `left` more shared borrows of r, eight per frame while there are that many (so
** that 70,000 of them need less stack), then the block. The first borrow is the caller's: the
** model expects only that one to fail. */
#define MANY_FN(T, TC) \
    static void many_##T(hl_ref r, long left, const void *first, size_t len) { \
        if (left >= 8) { \
            AT(HLM_S_MANY8 + (TC)); R_##T(p0, r); R_##T(p1, r); R_##T(p2, r); R_##T(p3, r); R_##T(p4, r); R_##T(p5, r); R_##T(p6, r); R_##T(p7, r); \
            if (p0 != (const void *)first || p7 != (const void *)first) abort(); \
            (void)p1, (void)p2, (void)p3, (void)p4, (void)p5, (void)p6; \
            many_##T(r, left - 8, first, len); \
        } else if (left > 0) { \
            AT(HLM_S_MANY1 + (TC)); R_##T(p, r); (void)p; \
            many_##T(r, left - 1, first, len); \
        } else { \
            nest(TC, false, first, len); \
        } \
    }
MANY_FN(Leaf, HLM_LEAF)
MANY_FN(Node, HLM_NODE)
MANY_FN(Pair, HLM_PAIR)
MANY_FN(Big, HLM_BIG)
MANY_FN(bytes, HLM_BYTES)
MANY_FN(refs, HLM_REFS)

#define OPEN_MANY(T, TC) { AT(HLM_S_MANY + (TC)); R_##T(p, V(o->a)); many_##T(V(o->a), count - 1, p, (TC) >= HLM_BYTES ? hl_len(V(o->a)) : 0); } break

INTERP_FN(READ_MANY) {
    long count = hlm_many(o->n);
    if (ix.depth == HLM_MAX_DEPTH || ix.many + count > hlm_max_many) return;
    ix.many += count;
    switch (o->t % HLM_NTYPES) {
    case HLM_LEAF: OPEN_MANY(Leaf, HLM_LEAF);
    case HLM_NODE: OPEN_MANY(Node, HLM_NODE);
    case HLM_PAIR: OPEN_MANY(Pair, HLM_PAIR);
    case HLM_BIG: OPEN_MANY(Big, HLM_BIG);
    case HLM_BYTES: OPEN_MANY(bytes, HLM_BYTES);
    default: OPEN_MANY(refs, HLM_REFS);
    }
    ix.many -= count;
}

INTERP_FN(CLOSE) { (void)o; }   /* run_block ends the block */

INTERP_FN(B_GET) {
    bor *b = pick(o->b);
    if (!b) return;
    if (b->type < HLM_NTYPED)
        observe((uint64_t)*value_of(b));
    else if (b->len && b->type == HLM_BYTES)
        observe(((const uint8_t *)b->p)[o->n % b->len]);
    else if (b->len)
        observe(hl_is_null(((const hl_ref *)b->p)[o->n % b->len]));
}
INTERP_FN(B_SET) {
    bor *b = pick(o->b);
    if (!b || !b->write) return;
    if (b->type < HLM_NTYPED)
        *value_of(b) = hlm_value(o->t, o->n);
    else if (b->len && b->type == HLM_BYTES)
        ((uint8_t *)b->p)[o->n % b->len] = o->t;
}
INTERP_FN(B_COPY) {
    bor *b = pick(o->b);
    hl_ref *f = b ? field_of(b, o->t) : NULL;
    if (!f) return;
    V(o->a) = *f;
    observe(hl_is_null(V(o->a)));
}
INTERP_FN(B_PUT) {
    bor *b = pick(o->b);
    hl_ref *f = b && b->write ? field_of(b, o->t) : NULL;
    if (!f) return;
    AT(HLM_S_B_PUT); *f = hl_move(&V(o->a));
}
INTERP_FN(B_STORE) {
    bor *b = pick(o->b);
    hl_ref *f = b && b->write ? field_of(b, o->t) : NULL;
    if (f) *f = V(o->a);
}
INTERP_FN(B_TAKE) {
    bor *b = pick(o->b);
    hl_ref *f = b && b->write ? field_of(b, o->t) : NULL;
    if (!f) return;
    AT(HLM_S_B_TAKE); V(o->a) = hl_take(f);
}
INTERP_FN(B_DROP) {
    bor *b = pick(o->b);
    hl_ref *f = b && b->write ? field_of(b, o->t) : NULL;
    if (!f) return;
    AT(HLM_S_B_DROP); hl_drop(f);
}

/* A stack object in a block of its own; the variable gets a copy of its handle. The end of
** the block (the cleanup of the declaration) drops what the object owns (a struct's owned
** fields, a refs buffer's elements) and makes the handle stale. */
#define LOCAL_T(T, TC) { HL_LOCAL(T, x); V(o->a) = x; nest_block(TC, false, true, NULL, 0); } break
#define LOCAL_B(N) { HL_LOCAL_BYTES(x, N); V(o->a) = x; nest_block(HLM_BYTES, false, true, NULL, 0); } break
#define LOCAL_R(N) { HL_LOCAL_REFS(x, N); V(o->a) = x; nest_block(HLM_REFS, false, true, NULL, 0); } break

INTERP_FN(LOCAL) {
    if (ix.depth == HLM_MAX_DEPTH) return;
    /* the buffer macros take constants: one case per entry of hlm_local_bytes, hlm_local_refs */
    switch (o->t % HLM_LOCAL_KINDS) {
    case HLM_LEAF: LOCAL_T(Leaf, HLM_LEAF);
    case HLM_NODE: LOCAL_T(Node, HLM_NODE);
    case HLM_PAIR: LOCAL_T(Pair, HLM_PAIR);
    case HLM_BIG: LOCAL_T(Big, HLM_BIG);
    case HLM_BYTES:
        switch (o->n % HLM_LOCAL_SIZES) {
        case 0: LOCAL_B(0);
        case 1: LOCAL_B(3);
        case 2: LOCAL_B(64);
        default: LOCAL_B(600);
        }
        break;
    default:
        switch (o->n % HLM_LOCAL_SIZES) {
        case 0: LOCAL_R(0);
        case 1: LOCAL_R(1);
        case 2: LOCAL_R(4);
        default: LOCAL_R(16);
        }
    }
}
_Static_assert(HLM_LOCAL_SIZES == 4 && HLM_LOCAL_KINDS == HLM_REFS + 1,
               "LOCAL's cases are hlm_local_bytes's and hlm_local_refs's sizes, and the kinds up to refs");

INTERP_FN(REGION_BEGIN) {
    (void)o;
    if (ix.nregions == HLM_MAX_REGIONS) return;
    AT(HLM_S_REGION_BEGIN); ix.regions[ix.nregions++] = hl_region_begin();
}
INTERP_FN(REGION_END) {
    if (ix.nregions == 0) return;
    AT(HLM_S_REGION_END); hl_region_end(ix.regions[o->b % ix.nregions]);
}

typedef void (*interp_fn)(const hlm_op *);
static const interp_fn interp_fns[HLM_NOPS] = {
#define HLM_OP(code, weight, text) [HLM_##code] = i_##code,
#include "ops.def"
#undef HLM_OP
};

static void run_block(void) {
    while (ix.pos < ix.n) {
        const hlm_op *o = &ix.ops[ix.pos];
        *ix.progress = (int)ix.pos;
        ix.pos++;
        if (o->code == HLM_CLOSE) {
            if (ix.depth > 0) return;   /* the block ends in the caller's return */
            continue;
        }
        interp_fns[o->code](o);
    }
    *ix.progress = (int)ix.n;   /* the blocks still open end after the last operation */
}

/* ---- the final reading --------------------------------------------------------------------- */

typedef struct stack {
    hl_ref *p;
    size_t  n, cap;
} stack;
static void push(stack *s, hl_ref r) {
    if (hl_is_null(r)) return;
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 256;
        s->p = realloc(s->p, s->cap * sizeof *s->p);
        if (!s->p) abort();
    }
    s->p[s->n++] = r;
}

/* Read object h as the script's type: fold its contents into the hash and push what it owns
** (so that it pops in drop order), as model.c's hlm_model_finish does. */
static void read_one(stack *s, hl_ref h, int type) {
    observe((uint64_t)type);
    switch (type) {
    case HLM_LEAF: { AT(HLM_S_DIGEST + HLM_LEAF); HL_READ(Leaf, p, h); observe((uint64_t)p->v); } break;
    case HLM_NODE: { AT(HLM_S_DIGEST + HLM_NODE); HL_READ(Node, p, h); observe((uint64_t)p->v); push(s, p->next); } break;
    case HLM_PAIR: { AT(HLM_S_DIGEST + HLM_PAIR); HL_READ(Pair, p, h); observe((uint64_t)p->v); push(s, p->right); push(s, p->left); } break;
    case HLM_BIG: { AT(HLM_S_DIGEST + HLM_BIG); HL_READ(Big, p, h); observe((uint64_t)p->v); push(s, p->child); } break;
    case HLM_BYTES: {
        AT(HLM_S_DIGEST + HLM_BYTES); HL_READ_BYTES(p, h); size_t len = hl_len(h);
        observe(len);
        for (size_t i = 0; i < len; i++) observe(p[i]);
    } break;
    default: {
        AT(HLM_S_DIGEST + HLM_REFS); HL_READ_REFS(p, h); size_t len = hl_len(h);
        observe(len);
        for (size_t i = 0; i < len; i++) observe(hl_is_null(p[i]));
        for (size_t i = len; i-- > 0;) push(s, p[i]);
    } break;
    }
}

/* Follow the script; false when the objects are not what it says (the model was wrong about
** the shape: nothing a runtime could be blamed for, but a disagreement all the same). */
static bool read_contents(const int *script, size_t n) {
    stack s = {0};
    size_t k = 0;
    bool ok = true;
    while (k < n && ok) {
        if (script[k] >= 0) {
            ok = false;
            break;
        }
        int v = -1 - script[k++];
        observe((uint64_t)v);
        s.n = 0;
        push(&s, V(v));
        while (s.n && ok) {
            hl_ref h = s.p[--s.n];
            if (k == n || script[k] < 0)
                ok = false;
            else
                read_one(&s, h, script[k++]);
        }
        if (s.n) ok = false;
    }
    free(s.p);
    return ok;
}

void hlm_interp_run(const hlm_prog *p, volatile int *progress, hlm_result *r) {
    memset(vars, 0, sizeof vars);
    ix.ops = p->ops;
    ix.n = p->n;
    ix.pos = 0;
    ix.depth = 0;
    ix.many = 0;
    ix.nregions = 0;
    ix.obs = HLM_OBS_START;
    ix.progress = progress;
    hl_init();
    run_block();
    *progress = (int)p->n;
    r->script_ok = read_contents(p->script, p->nscript);
    r->obs = ix.obs;
    memset(vars, 0, sizeof vars);
    r->leaks = hl_shutdown();
}
