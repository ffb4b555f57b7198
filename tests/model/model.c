/*
** model.c: the reference model of the model-based tests, written from docs/design.md alone.
**
** It knows nothing of slots, generations or pointers: an object is a record that is alive or
** dead, with a version that every move and resize advances, a shared-borrow count and an
** exclusive flag; a handle is "null", "a copy of version V of object O", or "moved out of
** version V of object O". From that state it decides each call the way the rules table of
** docs/design.md does, the kind reflecting the object's state at that moment:
**
**   - a null handle: moving or dropping it is fine (and does nothing), anything else is
**     `null handle`;
**   - a handle that is not the object's current one (older than its last move or resize, or
**     moved out): `use of moved value` while the object lives, `use after free` once it is
**     dropped, `double drop` when dropping (dropping a moved-out variable does nothing);
**   - a stack object (docs/design.md, "Stack objects"): any use of a handle to one whose
**     block has ended is `use after scope end`, dropping included; moving, taking, dropping
**     or resizing a live one is `cannot move out of a stack object`, whatever else is wrong;
**   - then the type (`type mismatch`), the borrow state (`drop while borrowed`, `already
**     borrowed` for exclusive access, `already mutably borrowed` for shared access), and
**     last the index (`index out of bounds`);
**   - a region's end finds every heap object allocated (or buffer resized) since its mark
**     dead, else `region ended with live objects`.
** Drop glue is pre-order: an object is checked and dropped, then its owned fields in
** declaration order (or its elements first to last), each checked when reached; the first
** failure is the one reported, at the line of the call that dropped.
**
** Every mutation is journalled when the journal is on, so that the generator can try an
** operation and take it back (hlm_model_begin/undo/keep).
*/
#include "model.h"

#include <stdlib.h>
#include <string.h>

/* ---- operations, types, kinds ---------------------------------------------------------------- */

const char *const hlm_op_names[HLM_NOPS] = {
#define HLM_OP(code, weight, text) #code,
#include "ops.def"
#undef HLM_OP
};
const char *const hlm_op_texts[HLM_NOPS] = {
#define HLM_OP(code, weight, text) text,
#include "ops.def"
#undef HLM_OP
};
const unsigned hlm_op_weights[HLM_NOPS] = {
#define HLM_OP(code, weight, text) weight,
#include "ops.def"
#undef HLM_OP
};

const char *const hlm_type_names[HLM_NTYPES] = {"Leaf", "Node", "Pair", "Big", "bytes", "refs"};

const char *const hlm_kind_names[HLM_NKINDS] = {
    "ok", "null handle", "use of moved value", "use after free", "double drop", "already borrowed",
    "already mutably borrowed", "drop while borrowed", "index out of bounds", "type mismatch",
    "use after scope end", "cannot move out of a stack object", "region ended with live objects",
};

const size_t hlm_local_bytes[HLM_LOCAL_SIZES] = {0, 3, 64, 600};
/* HL_LOCAL_REFS lengths: empty, one element, a few, and more than most sequences fill */
const size_t hlm_local_refs[HLM_LOCAL_SIZES] = {0, 1, 4, 16};

size_t hlm_local_len(uint8_t t, uint8_t n) {
    switch (t % HLM_LOCAL_KINDS) {
    case HLM_BYTES: return hlm_local_bytes[n % HLM_LOCAL_SIZES];
    case HLM_REFS: return hlm_local_refs[n % HLM_LOCAL_SIZES];
    default: return 0;
    }
}

size_t hlm_decode(const uint8_t *data, size_t size, hlm_op *ops, size_t max) {
    size_t n = 0;
    for (; n < max && (n + 1) * HLM_OP_BYTES <= size; n++) {
        const uint8_t *d = data + n * HLM_OP_BYTES;
        ops[n] = (hlm_op){(uint8_t)(d[0] % HLM_NOPS), (uint8_t)(d[1] % HLM_NV), (uint8_t)(d[2] % HLM_NV), d[3], d[4]};
    }
    return n;
}

void hlm_encode(const hlm_op *ops, size_t n, uint8_t *out) {
    for (size_t i = 0; i < n; i++) {
        uint8_t *d = out + i * HLM_OP_BYTES;
        d[0] = ops[i].code, d[1] = ops[i].a, d[2] = ops[i].b, d[3] = ops[i].t, d[4] = ops[i].n;
    }
}

/* ---- operand meanings -------------------------------------------------------------------------- */

size_t hlm_max_list = 100000;
long hlm_max_many = 70000;

size_t hlm_size(uint8_t n) {
    /* around the owned allocator's small-block limit (512 bytes; refs of 64 elements) */
    static const size_t big[] = {48, 63, 64, 65, 100, 128, 255, 256, 300, 511, 512, 513, 600, 1000, 4096};
    return n < 40 ? n : big[(n - 40) % (sizeof big / sizeof *big)];
}

size_t hlm_index(uint8_t n) {
    static const size_t big[] = {255, 256, 511, 512, 600, 1000, 4095, 4096, 65535, 1u << 20, (size_t)1 << 32,
                                 SIZE_MAX / 2, SIZE_MAX - 1, SIZE_MAX};
    return n < 200 ? n : big[(n - 200) % (sizeof big / sizeof *big)];
}

size_t hlm_list_len(uint8_t n) {
    static const size_t big[] = {128, 200, 500, 1000, 2000, 5000, 20000, 100000};
    size_t len = n < 100 ? (size_t)n + 1 : big[(n - 100) % (sizeof big / sizeof *big)];
    return len < hlm_max_list ? len : hlm_max_list;
}

size_t hlm_steps(uint8_t n) {
    static const size_t big[] = {256, 1000, 4999, 5000, 100000};
    return n < 200 ? n : big[(n - 200) % (sizeof big / sizeof *big)];
}

long hlm_many(uint8_t n) {
    static const long counts[] = {1, 2, 3, 7, 8, 9, 16, 100, 1000, 32766, 32767, 32768, 32769, 40000, 65535, 70000};
    return counts[n % 16];
}

int64_t hlm_value(uint8_t t, uint8_t n) { return (int64_t)t * 256 + n - 1000; }

/* ---- state ---------------------------------------------------------------------------------- */

enum { H_NULL, H_REF, H_MOVED };
typedef struct hval {
    uint8_t  st;
    uint32_t obj, ver;
} hval;

typedef struct mobj {
    uint8_t  type;
    bool     alive, excl;
    bool     stack;    /* a stack object: alive while its block lasts */
    uint64_t born;     /* the clock at its allocation or last resize (regions) */
    uint64_t died;     /* the clock (lclock for a stack object) when it was dropped or its block ended */
    uint32_t shared;
    uint32_t ver;
    uint32_t mark;     /* traversals */
    int64_t  v;
    hval     f[2];
    size_t   len;
    uint8_t *bytes;
    hval    *refs;
} mobj;

typedef struct mblock {
    uint8_t  type;
    bool     write, many;
    bool     local;    /* a stack object's block, not a borrow */
    uint32_t obj;
    uint32_t count;
} mblock;

typedef struct jent {
    void    *addr;
    uint32_t size;
    uint8_t  old[24];
} jent;

struct hlm_model {
    mobj    *o;
    size_t   n, cap;
    hval     v[HLM_NV];
    mblock   blk[HLM_MAX_DEPTH];
    int      depth;
    long     many;   /* shared borrows held by open READ_MANY blocks */
    uint64_t obs;
    uint64_t clock;                      /* heap allocations and resizes so far */
    uint64_t lclock;                     /* stack objects declared so far */
    bool     reused;                     /* the last stale handle's object died before a later
                                            allocation of its kind: owned had reused its slot */
    uint64_t rmark[HLM_MAX_REGIONS];     /* the clock when each region began */
    bool     ropen[HLM_MAX_REGIONS];
    int      nregions;                   /* begun */
    size_t   live;
    uint32_t epoch;
    /* the journal */
    bool     journal;
    jent    *j;
    size_t   nj, capj;
    void   **fresh, **retired;   /* arrays made / replaced while journalling */
    size_t   nfresh, capfresh, nretired, capretired;
    /* scratch: the drop worklist */
    hval    *work;
    size_t   nwork, capwork;
};

static void *xrealloc(void *p, size_t n) {
    void *q = realloc(p, n ? n : 1);
    if (!q) abort();
    return q;
}

static void push_ptr(void ***arr, size_t *n, size_t *cap, void *p) {
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        *arr = xrealloc(*arr, *cap * sizeof **arr);
    }
    (*arr)[(*n)++] = p;
}

/* Record the old value of a field before it changes. */
static void jot(hlm_model *m, void *addr, size_t size) {
    if (!m->journal) return;
    if (m->nj == m->capj) {
        m->capj = m->capj ? m->capj * 2 : 256;
        m->j = xrealloc(m->j, m->capj * sizeof *m->j);
    }
    jent *e = &m->j[m->nj++];
    e->addr = addr;
    e->size = (uint32_t)size;
    memcpy(e->old, addr, size);
}
#define SET(m, lv, val)                                                                    \
    do {                                                                                   \
        jot((m), &(lv), sizeof(lv));                                                       \
        (lv) = (val);                                                                      \
    } while (0)

/* A new array that replaces old in place: old is kept until the journal is settled. */
static void *array_new(hlm_model *m, size_t bytes) {
    void *p = calloc(bytes ? bytes : 1, 1);
    if (!p) abort();
    if (m->journal) push_ptr(&m->fresh, &m->nfresh, &m->capfresh, p);
    return p;
}
static void array_retire(hlm_model *m, void *p) {
    if (m->journal)
        push_ptr(&m->retired, &m->nretired, &m->capretired, p);
    else
        free(p);
}

hlm_model *hlm_model_new(void) {
    hlm_model *m = calloc(1, sizeof *m);
    if (!m) abort();
    m->obs = HLM_OBS_START;
    return m;
}

void hlm_model_free(hlm_model *m) {
    if (!m) return;
    for (size_t i = 0; i < m->n; i++) {
        free(m->o[i].bytes);
        free(m->o[i].refs);
    }
    free(m->o);
    free(m->j);
    free(m->fresh);
    free(m->retired);
    free(m->work);
    free(m);
}

void hlm_model_begin(hlm_model *m) {
    m->journal = true;
    m->nj = m->nfresh = m->nretired = 0;
}

void hlm_model_undo(hlm_model *m) {
    for (size_t k = m->nj; k-- > 0;) memcpy(m->j[k].addr, m->j[k].old, m->j[k].size);
    for (size_t k = 0; k < m->nfresh; k++) free(m->fresh[k]);
    m->nj = m->nfresh = m->nretired = 0;
    m->journal = false;
}

void hlm_model_keep(hlm_model *m) {
    for (size_t k = 0; k < m->nretired; k++) free(m->retired[k]);
    m->nj = m->nfresh = m->nretired = 0;
    m->journal = false;
}

/* Room for `more` objects, made before an operation so that no journalled address moves. */
static void reserve(hlm_model *m, size_t more) {
    if (m->n + more <= m->cap) return;
    size_t cap = m->cap ? m->cap : 64;
    while (cap < m->n + more) cap *= 2;
    m->o = xrealloc(m->o, cap * sizeof *m->o);
    m->cap = cap;
}

static uint32_t new_object(hlm_model *m, uint8_t type, size_t len, bool stack) {
    uint32_t id = (uint32_t)m->n;
    SET(m, m->n, m->n + 1);
    mobj *o = &m->o[id];
    memset(o, 0, sizeof *o);
    if (stack) {   /* not an allocation: never counted, never in a region; it cannot move */
        SET(m, m->lclock, m->lclock + 1);
        o->stack = true;
    } else {
        SET(m, m->live, m->live + 1);
        SET(m, m->clock, m->clock + 1);
        o->born = m->clock;
    }
    o->type = type;
    o->alive = true;
    o->len = len;
    if (type == HLM_BYTES) o->bytes = array_new(m, len);
    if (type == HLM_REFS) o->refs = array_new(m, len * sizeof(hval));
    return id;
}

static hval ref_to(uint32_t obj, uint32_t ver) { return (hval){H_REF, obj, ver}; }
static const hval hnull = {H_NULL, 0, 0};

/* hl_is_null: HL_NULL and moved-out handles. */
static bool is_null(hval h) { return h.st != H_REF; }

static bool valid(const hlm_model *m, hval h) {
    return h.st == H_REF && m->o[h.obj].alive && m->o[h.obj].ver == h.ver;
}

static bool borrowed(const mobj *o) { return o->shared || o->excl; }

/* The kind for a non-null handle that is not valid. */
static hlm_kind stale_kind(hlm_model *m, hval h, bool dropping) {
    const mobj *o = &m->o[h.obj];
    m->reused = !o->alive && (o->stack ? m->lclock : m->clock) > o->died;
    if (o->stack) return HLM_SCOPE_END;   /* a stack object never moves: its block ended */
    if (!o->alive) return dropping ? HLM_DOUBLE_DROP : HLM_UAF;
    return HLM_MOVED;
}

/* The common checks of a call that uses a handle (not moving or dropping it): the object, or
** a kind. want: the type asked for (-1: any; -2: a buffer). */
static hlm_kind use_check(hlm_model *m, hval h, int want, mobj **out) {
    if (h.st == H_NULL) return HLM_NULL_HANDLE;
    if (!valid(m, h)) return stale_kind(m, h, false);
    mobj *o = &m->o[h.obj];
    if (want >= 0 && o->type != want) return HLM_TYPE_MISMATCH;
    if (want == -2 && o->type != HLM_BYTES && o->type != HLM_REFS) return HLM_TYPE_MISMATCH;
    *out = o;
    return HLM_OK;
}

/* A move or resize advances the version: older copies are stale. (On owned, at the generation
** limit, the object also moves to a fresh slot, which the contract does not show.) */
static void advance(hlm_model *m, mobj *o) { SET(m, o->ver, o->ver + 1); }

/* hl_move(place): the result in *res, the place left moved-out. */
static hlm_kind move_place(hlm_model *m, hval *place, hval *res) {
    hval h = *place;
    if (h.st == H_NULL) {
        *res = hnull;
        return HLM_OK;
    }
    if (!valid(m, h)) return stale_kind(m, h, false);
    mobj *o = &m->o[h.obj];
    if (o->stack) return HLM_CANNOT_MOVE;
    if (borrowed(o)) return HLM_ALREADY_BORROWED;
    advance(m, o);
    SET(m, *place, ((hval){H_MOVED, h.obj, h.ver}));
    *res = ref_to(h.obj, o->ver);
    return HLM_OK;
}

/* hl_take(place): a move that leaves HL_NULL. */
static hlm_kind take_place(hlm_model *m, hval *place, hval *res) {
    hlm_kind k = move_place(m, place, res);
    if (k == HLM_OK) SET(m, *place, hnull);
    return k;
}

static void work_push(hlm_model *m, hval h) {
    if (m->nwork == m->capwork) {
        m->capwork = m->capwork ? m->capwork * 2 : 256;
        m->work = xrealloc(m->work, m->capwork * sizeof *m->work);
    }
    m->work[m->nwork++] = h;
}

/* The places of o's owned handles, in drop order: a struct's owned fields in declaration
** order (Node: next, not peer; Pair: left, right; Big: child), a refs buffer's elements first
** to last. Drop glue and the end of a stack object's block both go through these. */
static size_t owned_count(const mobj *o) {
    static const size_t nfields[HLM_NTYPES] = {[HLM_NODE] = 1, [HLM_PAIR] = 2, [HLM_BIG] = 1};
    return o->type == HLM_REFS ? o->len : nfields[o->type];
}
static hval *owned_at(mobj *o, size_t k) { return o->type == HLM_REFS ? &o->refs[k] : &o->f[k]; }

/* The owned handles of o, pushed so that they pop in drop order; null and moved-out ones are
** skipped. */
static void push_owned(hlm_model *m, mobj *o) {
    for (size_t k = owned_count(o); k-- > 0;)
        if (!is_null(*owned_at(o, k))) work_push(m, *owned_at(o, k));
}

/* hl_drop(place): the object and everything it owns, pre-order; then the place is HL_NULL. */
static hlm_kind drop_place(hlm_model *m, hval *place) {
    hval h = *place;
    if (is_null(h)) return HLM_OK;   /* HL_NULL or moved-out: nothing to drop */
    m->nwork = 0;
    work_push(m, h);
    while (m->nwork) {
        hval x = m->work[--m->nwork];
        if (!valid(m, x)) return stale_kind(m, x, true);
        mobj *o = &m->o[x.obj];
        if (o->stack) return HLM_CANNOT_MOVE;
        if (borrowed(o)) return HLM_DROP_BORROWED;
        SET(m, o->alive, false);
        SET(m, o->died, m->clock);
        SET(m, m->live, m->live - 1);
        push_owned(m, o);
    }
    SET(m, *place, hnull);
    return HLM_OK;
}

/* hl_slot(v, i): the element's place. */
static hlm_kind slot_check(hlm_model *m, hval h, size_t i, hval **place) {
    mobj *o;
    hlm_kind k = use_check(m, h, HLM_REFS, &o);
    if (k) return k;
    if (borrowed(o)) return HLM_ALREADY_BORROWED;
    if (i >= o->len) return HLM_OOB;
    *place = &o->refs[i];
    return HLM_OK;
}

/* The place of field t of the borrowed object (NULL: it has none). */
static hval *field_of(hlm_model *m, const mblock *b, uint8_t t) {
    mobj *o = &m->o[b->obj];
    switch (o->type) {
    case HLM_NODE:
    case HLM_PAIR: return &o->f[t % 2];
    case HLM_BIG: return &o->f[0];
    case HLM_REFS: return o->len ? &o->refs[t % o->len] : NULL;
    default: return NULL;
    }
}

static int nborrows(const hlm_model *m) {
    int n = 0;
    for (int d = 0; d < m->depth; d++) n += !m->blk[d].local;
    return n;
}

/* Borrow k of the open ones, counting from the innermost. */
static const mblock *borrow_at(const hlm_model *m, int k) {
    for (int d = m->depth; d-- > 0;)
        if (!m->blk[d].local && k-- == 0) return &m->blk[d];
    return NULL;
}

/* The open borrow an operation names: b counts from the innermost. */
static mblock *pick_block(hlm_model *m, uint8_t b) {
    int n = nborrows(m);
    return n ? (mblock *)borrow_at(m, b % n) : NULL;
}

static void observe(hlm_model *m, uint64_t x) { SET(m, m->obs, hlm_mix(m->obs, x)); }

/* ---- the operations ------------------------------------------------------------------------ */

#define MODEL_FN(code) static hlm_kind m_##code(hlm_model *m, const hlm_op *o, int *site)
#define FAIL_AT(s, expr)                                                                   \
    do {                                                                                   \
        hlm_kind k_ = (expr);                                                              \
        if (k_) {                                                                          \
            *site = (s);                                                                   \
            return k_;                                                                     \
        }                                                                                  \
    } while (0)

MODEL_FN(NEW) {
    (void)site;
    SET(m, m->v[o->a], ref_to(new_object(m, o->t % HLM_NTYPED, 0, false), 0));
    return HLM_OK;
}
MODEL_FN(NEW_BYTES) {
    (void)site;
    SET(m, m->v[o->a], ref_to(new_object(m, HLM_BYTES, hlm_size(o->n), false), 0));
    return HLM_OK;
}
MODEL_FN(NEW_REFS) {
    (void)site;
    SET(m, m->v[o->a], ref_to(new_object(m, HLM_REFS, hlm_size(o->n), false), 0));
    return HLM_OK;
}
MODEL_FN(MOVE) {
    hval r;
    FAIL_AT(HLM_S_MOVE, move_place(m, &m->v[o->b], &r));
    SET(m, m->v[o->a], r);
    return HLM_OK;
}
MODEL_FN(TAKE) {
    hval r;
    FAIL_AT(HLM_S_TAKE, take_place(m, &m->v[o->b], &r));
    SET(m, m->v[o->a], r);
    return HLM_OK;
}
MODEL_FN(COPY) {
    (void)site;
    SET(m, m->v[o->a], m->v[o->b]);
    return HLM_OK;
}
MODEL_FN(FORGET) {
    (void)site;
    SET(m, m->v[o->a], hnull);
    return HLM_OK;
}
MODEL_FN(DROP) {
    FAIL_AT(HLM_S_DROP, drop_place(m, &m->v[o->a]));
    return HLM_OK;
}
MODEL_FN(RESIZE) {
    *site = HLM_S_RESIZE;
    mobj *b;
    hval h = m->v[o->a];
    if (valid(m, h) && m->o[h.obj].stack) return HLM_CANNOT_MOVE;   /* before its type */
    hlm_kind k = use_check(m, h, -2, &b);
    if (k) return k;
    if (borrowed(b)) return HLM_ALREADY_BORROWED;
    size_t len = hlm_size(o->n), old = b->len;
    uint32_t id = m->v[o->a].obj;
    if (b->type == HLM_REFS)   /* cut-off elements are dropped first to last */
        for (size_t i = len; i < old; i++)
            if ((k = drop_place(m, &b->refs[i]))) return k;
    if (b->type == HLM_BYTES) {
        uint8_t *nb = array_new(m, len);
        memcpy(nb, b->bytes, len < old ? len : old);
        array_retire(m, b->bytes);
        SET(m, b->bytes, nb);
    } else {
        hval *nr = array_new(m, len * sizeof *nr);
        memcpy(nr, b->refs, (len < old ? len : old) * sizeof *nr);
        array_retire(m, b->refs);
        SET(m, b->refs, nr);
    }
    SET(m, b->len, len);
    SET(m, m->clock, m->clock + 1);   /* allocated anew: it belongs to the open regions */
    SET(m, b->born, m->clock);
    advance(m, b);   /* a resize is a move into the variable */
    SET(m, m->v[o->a], ref_to(id, b->ver));
    return HLM_OK;
}
MODEL_FN(LIST) {
    (void)site;
    size_t len = hlm_list_len(o->n);
    /* built from the tail: each node's next owns the previous head */
    hval head = hnull;
    for (size_t i = len; i-- > 0;) {
        uint32_t id = new_object(m, HLM_NODE, 0, false);
        mobj *x = &m->o[id];
        x->v = (int64_t)i + 1;
        if (!is_null(head)) {
            m->o[head.obj].ver++;   /* moved into x->next (a fresh object: nothing to journal) */
            head.ver++;
        }
        x->f[0] = head;
        head = ref_to(id, 0);
    }
    SET(m, m->v[o->a], head);
    return HLM_OK;
}
MODEL_FN(AGE) {
    *site = HLM_S_AGE;
    mobj *x;
    hlm_kind k = use_check(m, m->v[o->a], -1, &x);
    if (k) return k;
    /* the hook's own rules (runtimes/owned.h): like a move into the variable, unless the object
    ** is borrowed or on the stack; o->n % 3 moves are left before the next relocation, which
    ** the contract does not show */
    if (!borrowed(x) && !x->stack) {
        SET(m, x->ver, x->ver + 1);
        SET(m, m->v[o->a].ver, x->ver);
    }
    return HLM_OK;
}
MODEL_FN(LEN) {
    mobj *b;
    FAIL_AT(HLM_S_LEN, use_check(m, m->v[o->a], -2, &b));
    observe(m, b->len);
    return HLM_OK;
}
MODEL_FN(GET) {
    *site = HLM_S_GET;
    mobj *b;
    hlm_kind k = use_check(m, m->v[o->a], HLM_BYTES, &b);
    if (k) return k;
    if (b->excl) return HLM_ALREADY_MUT;
    size_t i = hlm_index(o->n);
    if (i >= b->len) return HLM_OOB;
    observe(m, b->bytes[i]);
    return HLM_OK;
}
MODEL_FN(SET) {
    *site = HLM_S_SET;
    mobj *b;
    hlm_kind k = use_check(m, m->v[o->a], HLM_BYTES, &b);
    if (k) return k;
    if (borrowed(b)) return HLM_ALREADY_BORROWED;
    size_t i = hlm_index(o->n);
    if (i >= b->len) return HLM_OOB;
    SET(m, b->bytes[i], o->t);
    return HLM_OK;
}
MODEL_FN(REF_AT) {
    *site = HLM_S_REF_AT;
    mobj *b;
    hlm_kind k = use_check(m, m->v[o->b], HLM_REFS, &b);
    if (k) return k;
    if (b->excl) return HLM_ALREADY_MUT;
    size_t i = hlm_index(o->n);
    if (i >= b->len) return HLM_OOB;
    hval e = b->refs[i];
    SET(m, m->v[o->a], e);
    observe(m, is_null(e));
    return HLM_OK;
}
MODEL_FN(SLOT_IN) {
    hval *place, r;
    FAIL_AT(HLM_S_SLOT_IN_SLOT, slot_check(m, m->v[o->a], hlm_index(o->n), &place));
    FAIL_AT(HLM_S_SLOT_IN_MOVE, move_place(m, &m->v[o->b], &r));
    SET(m, *place, r);   /* an element that owned something leaks it */
    return HLM_OK;
}
MODEL_FN(SLOT_TAKE) {
    hval *place, r;
    FAIL_AT(HLM_S_SLOT_TAKE_SLOT, slot_check(m, m->v[o->b], hlm_index(o->n), &place));
    FAIL_AT(HLM_S_SLOT_TAKE, take_place(m, place, &r));
    SET(m, m->v[o->a], r);
    return HLM_OK;
}
MODEL_FN(SLOT_MOVE) {
    hval *place, r;
    FAIL_AT(HLM_S_SLOT_MOVE_SLOT, slot_check(m, m->v[o->b], hlm_index(o->n), &place));
    FAIL_AT(HLM_S_SLOT_MOVE, move_place(m, place, &r));
    SET(m, m->v[o->a], r);
    return HLM_OK;
}
MODEL_FN(SLOT_DROP) {
    hval *place;
    FAIL_AT(HLM_S_SLOT_DROP_SLOT, slot_check(m, m->v[o->a], hlm_index(o->n), &place));
    FAIL_AT(HLM_S_SLOT_DROP, drop_place(m, place));
    return HLM_OK;
}
MODEL_FN(NTH) {
    size_t steps = hlm_steps(o->n), k = 0;
    hval cur = m->v[o->b];
    for (; k < steps && !is_null(cur); k++) {   /* HL_READ(Node) of each, then its next */
        mobj *x;
        FAIL_AT(HLM_S_NTH, use_check(m, cur, HLM_NODE, &x));
        if (x->excl) {
            *site = HLM_S_NTH;
            return HLM_ALREADY_MUT;
        }
        cur = x->f[0];
    }
    SET(m, m->v[o->a], cur);
    observe(m, k);
    return HLM_OK;
}

/* A shared (count > 0) or exclusive borrow block of variable a as type t. */
static hlm_kind open_block(hlm_model *m, const hlm_op *o, bool write, uint32_t count, int s, int *site) {
    bool many = s == HLM_S_MANY;
    if (m->depth == HLM_MAX_DEPTH || (many && m->many + (long)count > hlm_max_many)) return HLM_OK;
    int type = o->t % HLM_NTYPES;
    *site = s + type;
    mobj *x;
    hlm_kind k = use_check(m, m->v[o->a], type, &x);
    if (k) return k;
    if (write ? borrowed(x) : x->excl) return write ? HLM_ALREADY_BORROWED : HLM_ALREADY_MUT;
    if (write)
        SET(m, x->excl, true);
    else
        SET(m, x->shared, x->shared + count);
    SET(m, m->blk[m->depth], ((mblock){(uint8_t)type, write, many, false, m->v[o->a].obj, count}));
    if (many) SET(m, m->many, m->many + (long)count);
    SET(m, m->depth, m->depth + 1);
    return HLM_OK;
}

/* The end of the innermost block: a borrow is released; what a stack object owns (a
** struct's owned fields, a refs buffer's elements) is dropped in drop order, each as hl_drop
** drops it (which may fail), then every handle to the object is stale. */
static hlm_kind close_block(hlm_model *m) {
    mblock *b = &m->blk[m->depth - 1];
    mobj *x = &m->o[b->obj];
    if (b->local) {
        for (size_t k = 0; k < owned_count(x); k++) {
            hlm_kind r = drop_place(m, owned_at(x, k));
            if (r) return r;
        }
        SET(m, x->alive, false);
        SET(m, x->died, m->lclock);
    } else if (b->write) {
        SET(m, x->excl, false);
    } else {
        SET(m, x->shared, x->shared - b->count);
    }
    if (b->many) SET(m, m->many, m->many - (long)b->count);
    SET(m, m->depth, m->depth - 1);
    return HLM_OK;
}

MODEL_FN(READ) { return open_block(m, o, false, 1, HLM_S_READ, site); }
MODEL_FN(WRITE) { return open_block(m, o, true, 1, HLM_S_WRITE, site); }
MODEL_FN(READ_MANY) { return open_block(m, o, false, (uint32_t)hlm_many(o->n), HLM_S_MANY, site); }
MODEL_FN(CLOSE) {
    (void)o;
    if (m->depth > 0) FAIL_AT(HLM_S_LOCAL_END, close_block(m));
    return HLM_OK;
}
MODEL_FN(B_GET) {
    (void)site;
    mblock *b = pick_block(m, o->b);
    if (!b) return HLM_OK;
    mobj *x = &m->o[b->obj];
    if (x->type < HLM_NTYPED)
        observe(m, (uint64_t)x->v);
    else if (x->len && x->type == HLM_BYTES)
        observe(m, x->bytes[o->n % x->len]);
    else if (x->len)
        observe(m, is_null(x->refs[o->n % x->len]));
    return HLM_OK;
}
MODEL_FN(B_SET) {
    (void)site;
    mblock *b = pick_block(m, o->b);
    if (!b || !b->write) return HLM_OK;
    mobj *x = &m->o[b->obj];
    if (x->type < HLM_NTYPED)
        SET(m, x->v, hlm_value(o->t, o->n));
    else if (x->len && x->type == HLM_BYTES)
        SET(m, x->bytes[o->n % x->len], o->t);
    return HLM_OK;
}
MODEL_FN(B_COPY) {
    (void)site;
    mblock *b = pick_block(m, o->b);
    hval *f = b ? field_of(m, b, o->t) : NULL;
    if (!f) return HLM_OK;
    hval e = *f;
    SET(m, m->v[o->a], e);
    observe(m, is_null(e));
    return HLM_OK;
}
MODEL_FN(B_PUT) {
    mblock *b = pick_block(m, o->b);
    hval *f = b && b->write ? field_of(m, b, o->t) : NULL, r;
    if (!f) return HLM_OK;
    FAIL_AT(HLM_S_B_PUT, move_place(m, &m->v[o->a], &r));
    SET(m, *f, r);   /* a field that owned something leaks it */
    return HLM_OK;
}
MODEL_FN(B_STORE) {
    (void)site;
    mblock *b = pick_block(m, o->b);
    hval *f = b && b->write ? field_of(m, b, o->t) : NULL;
    if (f) SET(m, *f, m->v[o->a]);
    return HLM_OK;
}
MODEL_FN(B_TAKE) {
    mblock *b = pick_block(m, o->b);
    hval *f = b && b->write ? field_of(m, b, o->t) : NULL, r;
    if (!f) return HLM_OK;
    FAIL_AT(HLM_S_B_TAKE, take_place(m, f, &r));
    SET(m, m->v[o->a], r);
    return HLM_OK;
}
MODEL_FN(B_DROP) {
    mblock *b = pick_block(m, o->b);
    hval *f = b && b->write ? field_of(m, b, o->t) : NULL;
    if (!f) return HLM_OK;
    FAIL_AT(HLM_S_B_DROP, drop_place(m, f));
    return HLM_OK;
}

MODEL_FN(LOCAL) {
    (void)site;
    if (m->depth == HLM_MAX_DEPTH) return HLM_OK;
    uint32_t id = new_object(m, (uint8_t)(o->t % HLM_LOCAL_KINDS), hlm_local_len(o->t, o->n), true);
    SET(m, m->blk[m->depth], ((mblock){m->o[id].type, false, false, true, id, 0}));
    SET(m, m->depth, m->depth + 1);
    SET(m, m->v[o->a], ref_to(id, 0));
    return HLM_OK;
}
MODEL_FN(REGION_BEGIN) {
    (void)o, (void)site;
    if (m->nregions == HLM_MAX_REGIONS) return HLM_OK;
    SET(m, m->rmark[m->nregions], m->clock);
    SET(m, m->ropen[m->nregions], true);
    SET(m, m->nregions, m->nregions + 1);
    return HLM_OK;
}
MODEL_FN(REGION_END) {
    if (m->nregions == 0) return HLM_OK;
    int r = o->b % m->nregions;
    if (!m->ropen[r]) return HLM_OK;   /* ended already: nothing happens */
    for (size_t i = 0; i < m->n; i++)
        if (m->o[i].alive && !m->o[i].stack && m->o[i].born > m->rmark[r]) {
            *site = HLM_S_REGION_END;
            return HLM_REGION_LIVE;
        }
    for (int q = r; q < m->nregions; q++)   /* with every region begun inside it */
        if (m->ropen[q]) SET(m, m->ropen[q], false);
    return HLM_OK;
}

typedef hlm_kind (*model_fn)(hlm_model *, const hlm_op *, int *);
static const model_fn model_fns[HLM_NOPS] = {
#define HLM_OP(code, weight, text) [HLM_##code] = m_##code,
#include "ops.def"
#undef HLM_OP
};

hlm_kind hlm_model_step(hlm_model *m, const hlm_op *o, int *site) {
    reserve(m, o->code == HLM_LIST ? hlm_list_len(o->n) : 1);
    *site = HLM_S_NONE;
    hlm_kind k = model_fns[o->code](m, o, site);
    if (k == HLM_OK) *site = HLM_S_NONE;
    return k;
}

/* ---- the end of a sequence ---------------------------------------------------------------- */

static size_t payload(const mobj *o) {
    static const size_t sizes[HLM_NTYPED] = {HLM_SIZE_LEAF, HLM_SIZE_NODE, HLM_SIZE_PAIR, HLM_SIZE_BIG};
    if (o->type < HLM_NTYPED) return sizes[o->type];
    return o->type == HLM_BYTES ? o->len : o->len * 8;
}

typedef struct ivec {
    int   *p;
    size_t n, cap;
} ivec;
static void ivec_push(ivec *v, int x) {
    if (v->n == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 256;
        v->p = xrealloc(v->p, v->cap * sizeof *v->p);
    }
    v->p[v->n++] = x;
}

/* Can the tree of variable v be read, and how many objects does it have? Every owned handle
** in it must be valid and no object reached twice (a shared or cyclic structure). */
#define READ_LIMIT 400000
static bool readable(hlm_model *m, hval root, size_t *count) {
    if (!valid(m, root)) return false;
    m->epoch++;
    m->nwork = 0;
    work_push(m, root);
    size_t c = 0;
    while (m->nwork) {
        hval x = m->work[--m->nwork];
        if (!valid(m, x)) return false;
        mobj *o = &m->o[x.obj];
        if (o->mark == m->epoch || ++c > READ_LIMIT) return false;
        o->mark = m->epoch;
        push_owned(m, o);
    }
    *count = c;
    return true;
}

void hlm_model_finish(hlm_model *m, size_t n, hlm_pred *p) {
    while (m->depth > 0) {
        hlm_kind k = close_block(m);
        if (k) {
            p->stops = true;
            p->at = n;
            p->kind = k;
            p->site = HLM_S_LOCAL_END;
            return;
        }
    }
    ivec script = {0};
    uint64_t h = m->obs;
    for (int v = 0; v < HLM_NV; v++) {
        size_t count;
        if (!readable(m, m->v[v], &count)) continue;
        ivec_push(&script, -1 - v);
        h = hlm_mix(h, (uint64_t)v);
        m->nwork = 0;
        work_push(m, m->v[v]);
        while (m->nwork) {
            mobj *o = &m->o[m->work[--m->nwork].obj];
            ivec_push(&script, o->type);
            h = hlm_mix(h, o->type);
            if (o->type < HLM_NTYPED) {
                h = hlm_mix(h, (uint64_t)o->v);
            } else {
                h = hlm_mix(h, o->len);
                for (size_t i = 0; i < o->len; i++)
                    h = hlm_mix(h, o->type == HLM_BYTES ? o->bytes[i] : (uint64_t)is_null(o->refs[i]));
            }
            push_owned(m, o);
        }
    }
    p->obs = h;
    p->script = script.p;
    p->nscript = script.n;
    p->leaks = m->live;
    p->leak_bytes = 0;
    for (size_t i = 0; i < m->n; i++)
        if (m->o[i].alive && !m->o[i].stack) p->leak_bytes += payload(&m->o[i]);
}

void hlm_predict(const hlm_op *ops, size_t n, hlm_pred *p) {
    memset(p, 0, sizeof *p);
    hlm_model *m = hlm_model_new();
    for (size_t i = 0; i < n; i++) {
        int site;
        hlm_kind k = hlm_model_step(m, &ops[i], &site);
        if (k) {
            *p = (hlm_pred){.stops = true, .at = i, .kind = k, .site = site, .executed = i + 1};
            p->reused = (k == HLM_UAF || k == HLM_DOUBLE_DROP || k == HLM_SCOPE_END) && m->reused;
            hlm_model_free(m);
            return;
        }
    }
    p->executed = n;
    hlm_model_finish(m, n, p);
    hlm_model_free(m);
}

void hlm_pred_free(hlm_pred *p) {
    free(p->script);
    p->script = NULL;
    p->nscript = 0;
}

/* ---- views for the generator --------------------------------------------------------------- */

hlm_var_view hlm_model_var(const hlm_model *m, int v) {
    hval h = m->v[v];
    hlm_var_view r = {HLM_VAR_NULL, -1, 0, false, false};
    if (h.st == H_NULL) return r;
    const mobj *o = &m->o[h.obj];
    r.state = valid(m, h) ? HLM_VAR_VALID : HLM_VAR_STALE;
    r.type = o->type;
    r.len = o->len;
    r.borrowed = borrowed(o);
    r.stack = o->stack;
    return r;
}

int hlm_model_depth(const hlm_model *m) { return m->depth; }

int hlm_model_borrows(const hlm_model *m) { return nborrows(m); }
int hlm_model_regions(const hlm_model *m) { return m->nregions; }

void hlm_model_block(const hlm_model *m, int k, int *type, bool *write, size_t *len) {
    const mblock *b = borrow_at(m, k);
    *type = b->type;
    *write = b->write;
    *len = m->o[b->obj].len;
}
