/*
** gen.c: random operation sequences from a seed, steered by the model.
**
** A sequence is built one operation at a time. An operation is drawn by weight (ops.def) and
** its operands chosen with a bias towards what makes sense in the current state (a valid
** variable to use, an empty one to fill, the object's own type, an index in bounds); the
** model then tries it with its journal on, and an operation that would commit a violation
** is taken back and drawn again. So the body of a sequence is a correct program, however
** long. A chosen share of the sequences then end with one violation: a kind is drawn, and
** operations with unbiased operands are tried until one commits that kind (or any kind).
**
** The same seed always gives the same sequence: sequence i of a run with base seed S has
** seed hlm_seq_seed(S, i), which is what a failure prints.
*/
#include "model.h"

#include <stdlib.h>
#include <string.h>

uint64_t hlm_splitmix(uint64_t *state) {
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

uint64_t hlm_seq_seed(uint64_t base, uint64_t i) {
    uint64_t s = base ^ (i * 0xD1B54A32D192ED03ULL);
    return hlm_splitmix(&s);
}

typedef struct gen {
    uint64_t   rng;
    hlm_model *m;
    bool       wild;   /* looking for the violation at the end ... */
    hlm_kind   want;   /* ... of this kind: operands are biased towards it */
} gen;

static uint32_t rnd(gen *g, uint32_t n) { return n ? (uint32_t)(hlm_splitmix(&g->rng) % n) : 0; }
static bool chance(gen *g, unsigned percent) { return rnd(g, 100) < percent; }

/* A variable in the given state, if there is one (else any). */
static uint8_t var_in(gen *g, int state) {
    uint8_t pick[HLM_NV];
    int n = 0;
    for (int v = 0; v < HLM_NV; v++)
        if ((int)hlm_model_var(g->m, v).state == state) pick[n++] = (uint8_t)v;
    return n ? pick[rnd(g, (uint32_t)n)] : (uint8_t)rnd(g, HLM_NV);
}

static bool wants_stale(const gen *g) {
    return g->wild && (g->want == HLM_MOVED || g->want == HLM_UAF || g->want == HLM_DOUBLE_DROP || g->want == HLM_SCOPE_END);
}
static bool wants_borrowed(const gen *g) {
    return g->wild && (g->want == HLM_ALREADY_BORROWED || g->want == HLM_ALREADY_MUT || g->want == HLM_DROP_BORROWED);
}

/* A valid variable whose object is borrowed, if there is one. */
static uint8_t var_borrowed(gen *g) {
    uint8_t pick[HLM_NV];
    int n = 0;
    for (int v = 0; v < HLM_NV; v++) {
        hlm_var_view w = hlm_model_var(g->m, v);
        if (w.state == HLM_VAR_VALID && w.borrowed) pick[n++] = (uint8_t)v;
    }
    return n ? pick[rnd(g, (uint32_t)n)] : var_in(g, HLM_VAR_VALID);
}

/* A variable to use: valid most of the time; when a violation is wanted, the kind of
** variable that commits it. */
static uint8_t var_use(gen *g) {
    if (wants_stale(g) && chance(g, 80)) return var_in(g, HLM_VAR_STALE);
    if (g->wild && g->want == HLM_NULL_HANDLE && chance(g, 80)) return var_in(g, HLM_VAR_NULL);
    if (wants_borrowed(g) && chance(g, 80)) return var_borrowed(g);
    if (g->wild && chance(g, 20)) return (uint8_t)rnd(g, HLM_NV);
    return chance(g, 90) ? var_in(g, HLM_VAR_VALID) : (uint8_t)rnd(g, HLM_NV);
}

/* A variable to assign: an empty one first, then a stale one (stale copies are kept around
** for the violations at the end), rarely a valid one (overwriting an owner leaks). */
static uint8_t var_dest(gen *g) {
    if (chance(g, 85)) {
        uint8_t pick[HLM_NV];
        int n = 0;
        for (int v = 0; v < HLM_NV; v++)
            if (hlm_model_var(g->m, v).state == HLM_VAR_NULL) pick[n++] = (uint8_t)v;
        if (n && chance(g, 60)) return pick[rnd(g, (uint32_t)n)];
        for (int v = 0; v < HLM_NV; v++)
            if (hlm_model_var(g->m, v).state == HLM_VAR_STALE) pick[n++] = (uint8_t)v;
        if (n) return pick[rnd(g, (uint32_t)n)];
    }
    return (uint8_t)rnd(g, HLM_NV);
}

/* A buffer variable of the given kind (-2: either), valid when possible. */
static uint8_t var_buf(gen *g, int type) {
    uint8_t pick[HLM_NV];
    int n = 0;
    for (int v = 0; v < HLM_NV; v++) {
        hlm_var_view w = hlm_model_var(g->m, v);
        if (w.state == HLM_VAR_VALID && (w.type == type || (type == -2 && w.type >= HLM_BYTES))) pick[n++] = (uint8_t)v;
    }
    bool other = g->wild && (g->want == HLM_TYPE_MISMATCH || wants_stale(g) || g->want == HLM_NULL_HANDLE);
    if (n && !(other && chance(g, 70))) return pick[rnd(g, (uint32_t)n)];
    return var_use(g);
}

static uint8_t small_size(gen *g) { return chance(g, 80) ? (uint8_t)rnd(g, 40) : (uint8_t)(40 + rnd(g, 216)); }

/* An index byte for variable v: in bounds mostly, else at or far past the end. */
static uint8_t index_for(gen *g, uint8_t v) {
    hlm_var_view w = hlm_model_var(g->m, v);
    unsigned in = g->wild && g->want == HLM_OOB ? 20 : g->wild ? 90 : 95;
    if (w.len && chance(g, in)) return (uint8_t)rnd(g, (uint32_t)(w.len < 200 ? w.len : 200));
    if (w.len < 200 && chance(g, 60)) return (uint8_t)w.len;
    return (uint8_t)(200 + rnd(g, 56));
}

/* A type byte for borrowing variable v: its own type mostly. */
static uint8_t type_for(gen *g, uint8_t v) {
    hlm_var_view w = hlm_model_var(g->m, v);
    if (w.type >= 0 && chance(g, g->wild && g->want == HLM_TYPE_MISMATCH ? 20 : 95))
        return (uint8_t)(w.type + HLM_NTYPES * rnd(g, 40));
    return (uint8_t)rnd(g, 256);
}

/* The open borrow an operation names (0: innermost), an exclusive one when wanted. */
static uint8_t block_pick(gen *g, bool want_write) {
    int d = hlm_model_borrows(g->m);
    if (d == 0) return 0;
    for (int tries = 0; tries < 4; tries++) {
        int k = chance(g, 60) ? 0 : (int)rnd(g, (uint32_t)d);
        int type;
        bool write;
        size_t len;
        hlm_model_block(g->m, k, &type, &write, &len);
        if (!want_write || write) return (uint8_t)k;
    }
    return (uint8_t)rnd(g, (uint32_t)d);
}

/* ---- operand choosers, one per operation --------------------------------------------------- */

#define GEN_FN(code) static void g_##code(gen *g, hlm_op *o)

GEN_FN(NEW) { o->a = var_dest(g), o->t = (uint8_t)rnd(g, 256); }
GEN_FN(NEW_BYTES) { o->a = var_dest(g), o->n = small_size(g); }
GEN_FN(NEW_REFS) { o->a = var_dest(g), o->n = small_size(g); }
GEN_FN(MOVE) { o->b = var_use(g), o->a = var_dest(g); }
GEN_FN(TAKE) { o->b = var_use(g), o->a = var_dest(g); }
GEN_FN(COPY) { o->b = var_use(g), o->a = var_dest(g); }
GEN_FN(FORGET) { o->a = var_dest(g); }
GEN_FN(DROP) { o->a = g->wild ? (uint8_t)rnd(g, HLM_NV) : var_use(g); }
GEN_FN(RESIZE) { o->a = var_buf(g, -2), o->n = small_size(g); }
GEN_FN(LIST) {
    o->a = var_dest(g);
    /* mostly short; now and then long enough for deep drop glue */
    o->n = chance(g, 97) ? (uint8_t)rnd(g, 100) : (uint8_t)(100 + rnd(g, chance(g, 90) ? 6 : 8));
}
GEN_FN(AGE) { o->a = var_use(g), o->n = (uint8_t)rnd(g, 3); }
GEN_FN(LEN) { o->a = var_buf(g, -2); }
GEN_FN(GET) { o->a = var_buf(g, HLM_BYTES), o->n = index_for(g, o->a); }
GEN_FN(SET) { o->a = var_buf(g, HLM_BYTES), o->n = index_for(g, o->a), o->t = (uint8_t)rnd(g, 256); }
GEN_FN(REF_AT) { o->b = var_buf(g, HLM_REFS), o->n = index_for(g, o->b), o->a = var_dest(g); }
GEN_FN(SLOT_IN) { o->a = var_buf(g, HLM_REFS), o->n = index_for(g, o->a), o->b = var_use(g); }
GEN_FN(SLOT_TAKE) { o->b = var_buf(g, HLM_REFS), o->n = index_for(g, o->b), o->a = var_dest(g); }
GEN_FN(SLOT_MOVE) { o->b = var_buf(g, HLM_REFS), o->n = index_for(g, o->b), o->a = var_dest(g); }
GEN_FN(SLOT_DROP) { o->a = var_buf(g, HLM_REFS), o->n = index_for(g, o->a); }
GEN_FN(NTH) { o->b = var_use(g), o->a = var_dest(g), o->n = chance(g, 95) ? (uint8_t)rnd(g, 12) : (uint8_t)rnd(g, 256); }
GEN_FN(READ) { o->a = var_use(g), o->t = type_for(g, o->a); }
GEN_FN(WRITE) { o->a = var_use(g), o->t = type_for(g, o->a); }
GEN_FN(READ_MANY) { o->a = var_use(g), o->t = type_for(g, o->a), o->n = (uint8_t)rnd(g, 256); }
GEN_FN(CLOSE) { (void)g, (void)o; }
GEN_FN(B_GET) { o->b = block_pick(g, false), o->n = (uint8_t)rnd(g, 256); }
GEN_FN(B_SET) { o->b = block_pick(g, true), o->n = (uint8_t)rnd(g, 256), o->t = (uint8_t)rnd(g, 256); }
GEN_FN(B_COPY) { o->b = block_pick(g, false), o->t = (uint8_t)rnd(g, 256), o->a = var_dest(g); }
GEN_FN(B_PUT) { o->b = block_pick(g, true), o->t = (uint8_t)rnd(g, 256), o->a = var_use(g); }
GEN_FN(B_STORE) { o->b = block_pick(g, true), o->t = (uint8_t)rnd(g, 256), o->a = var_use(g); }
GEN_FN(B_TAKE) { o->b = block_pick(g, true), o->t = (uint8_t)rnd(g, 256), o->a = var_dest(g); }
GEN_FN(B_DROP) { o->b = block_pick(g, true), o->t = (uint8_t)rnd(g, 256); }
GEN_FN(LOCAL) { o->a = var_dest(g), o->t = (uint8_t)rnd(g, 256), o->n = (uint8_t)rnd(g, 256); }
GEN_FN(REGION_BEGIN) { (void)g, (void)o; }
GEN_FN(REGION_END) {
    /* mostly the innermost region begun (a LIFO program), sometimes an outer or ended one */
    int n = hlm_model_regions(g->m);
    o->b = (uint8_t)(n && chance(g, 70) ? (uint32_t)(n - 1) : rnd(g, 256));
}

typedef void (*gen_fn)(gen *, hlm_op *);
static const gen_fn gen_fns[HLM_NOPS] = {
#define HLM_OP(code, weight, text) [HLM_##code] = g_##code,
#include "ops.def"
#undef HLM_OP
};

static hlm_op draw(gen *g) {
    static unsigned total;
    if (!total)
        for (int c = 0; c < HLM_NOPS; c++) total += hlm_op_weights[c];
    uint32_t r = rnd(g, total);
    int c = 0;
    while (r >= hlm_op_weights[c]) r -= hlm_op_weights[c++];
    hlm_op o = {(uint8_t)c, (uint8_t)rnd(g, HLM_NV), (uint8_t)rnd(g, HLM_NV), (uint8_t)rnd(g, 256),
                (uint8_t)rnd(g, 256)};
    gen_fns[c](g, &o);
    return o;
}

typedef struct opvec {
    hlm_op *p;
    size_t  n, cap;
} opvec;
static void opvec_push(opvec *v, hlm_op o) {
    if (v->n == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 64;
        v->p = realloc(v->p, v->cap * sizeof *v->p);
        if (!v->p) abort();
    }
    v->p[v->n++] = o;
}

/* An operation that commits kind want (HLM_NKINDS: any kind), or code HLM_NOPS. */
static hlm_op try_violation(gen *g, hlm_kind want, int tries) {
    for (int i = 0; i < tries; i++) {
        hlm_op o = draw(g);
        int site;
        hlm_model_begin(g->m);
        hlm_kind k = hlm_model_step(g->m, &o, &site);
        hlm_model_undo(g->m);
        if (k && (k == want || want == HLM_NKINDS)) return o;
    }
    return (hlm_op){HLM_NOPS, 0, 0, 0, 0};
}

/* One correct operation that prepares a violation of the wanted kind (reuse: an allocation,
** so that a stale handle meets its slot reused). */
static void setup(gen *g, opvec *out, bool reuse) {
    static const uint8_t stale[] = {HLM_COPY, HLM_COPY, HLM_DROP, HLM_MOVE, HLM_RESIZE, HLM_SLOT_TAKE, HLM_B_TAKE,
                                    HLM_LOCAL, HLM_CLOSE};
    static const uint8_t borrow[] = {HLM_READ, HLM_WRITE, HLM_NEW, HLM_B_COPY};
    static const uint8_t other[] = {HLM_NEW, HLM_NEW_BYTES, HLM_NEW_REFS, HLM_FORGET, HLM_TAKE, HLM_CLOSE,
                                    HLM_LOCAL, HLM_REGION_BEGIN};
    static const uint8_t alloc[] = {HLM_NEW, HLM_NEW, HLM_NEW_BYTES, HLM_NEW_REFS, HLM_LOCAL};
    const uint8_t *set = reuse ? alloc : wants_stale(g) ? stale : wants_borrowed(g) ? borrow : other;
    size_t nset = reuse ? sizeof alloc : wants_stale(g) ? sizeof stale : wants_borrowed(g) ? sizeof borrow : sizeof other;
    hlm_kind want = g->want;
    g->wild = false;
    for (int tries = 0; tries < 30; tries++) {
        hlm_op o = draw(g);
        o.code = set[rnd(g, (uint32_t)nset)];
        gen_fns[o.code](g, &o);
        int site;
        hlm_model_begin(g->m);
        if (hlm_model_step(g->m, &o, &site) == HLM_OK) {
            hlm_model_keep(g->m);
            opvec_push(out, o);
            break;
        }
        hlm_model_undo(g->m);
    }
    g->wild = true;
    g->want = want;
}

/* Apply o if it is correct here; true if it was. */
static bool emit(gen *g, opvec *out, hlm_op o) {
    int site;
    hlm_model_begin(g->m);
    if (hlm_model_step(g->m, &o, &site) == HLM_OK) {
        hlm_model_keep(g->m);
        opvec_push(out, o);
        return true;
    }
    hlm_model_undo(g->m);
    return false;
}

/* Make a handle to a dead object whose slot is then taken again: a copy, the object dropped
** (a stack object: its block ended), then new objects of all kinds (a stack object: another
** block). */
static void dead_handle(gen *g, opvec *out) {
    uint8_t spare = var_dest(g);
    if (g->want == HLM_SCOPE_END) {
        uint8_t x = var_dest(g), t = (uint8_t)rnd(g, 256), n = (uint8_t)rnd(g, 256);
        if (!emit(g, out, (hlm_op){HLM_LOCAL, x, 0, t, n})) return;
        if (spare != x) emit(g, out, (hlm_op){HLM_COPY, spare, x, 0, 0});
        if (!emit(g, out, (hlm_op){HLM_CLOSE, 0, 0, 0, 0})) return;
        uint8_t y = var_dest(g);
        if (y != x && y != spare && emit(g, out, (hlm_op){HLM_LOCAL, y, 0, t, n}))
            emit(g, out, (hlm_op){HLM_CLOSE, 0, 0, 0, 0});
        return;
    }
    uint8_t v = var_in(g, HLM_VAR_VALID);
    hlm_var_view w = hlm_model_var(g->m, v);
    if (w.state != HLM_VAR_VALID || w.stack || spare == v) return;
    emit(g, out, (hlm_op){HLM_COPY, spare, v, 0, 0});
    if (!emit(g, out, (hlm_op){HLM_DROP, v, 0, 0, 0})) return;
    /* an object of the same kind first: owned gives it the slot just vacated */
    uint8_t code = w.type == HLM_BYTES ? HLM_NEW_BYTES : w.type == HLM_REFS ? HLM_NEW_REFS : HLM_NEW;
    for (int k = 0; k < 3; k++) {
        uint8_t d = var_dest(g);
        if (d != spare) emit(g, out, (hlm_op){code, d, 0, (uint8_t)w.type, (uint8_t)rnd(g, 40)});
        code = (uint8_t)(HLM_NEW + rnd(g, 3));   /* then any kind */
    }
}

hlm_op *hlm_generate(uint64_t seed, const hlm_gen_opts *opt, size_t *n) {
    gen g = {seed, hlm_model_new(), false, HLM_OK};
    opvec out = {0};
    size_t len = 1 + rnd(&g, (uint32_t)(opt->max_len ? opt->max_len : 1));
    for (size_t i = 0; i < len; i++) {
        for (int tries = 0; tries < 30; tries++) {
            hlm_op o = draw(&g);
            int site;
            hlm_model_begin(g.m);
            if (hlm_model_step(g.m, &o, &site) == HLM_OK) {
                hlm_model_keep(g.m);
                opvec_push(&out, o);
                break;
            }
            hlm_model_undo(g.m);
        }
    }
    if (chance(&g, opt->violate)) {
        /* one violation to end with: a kind drawn first, so that rare kinds get their share */
        g.wild = true;
        hlm_kind want = g.want = (hlm_kind)(1 + rnd(&g, HLM_NKINDS - 1));
        hlm_op any = {HLM_NOPS, 0, 0, 0, 0};
        /* When the state offers no way to commit that kind, a few more correct operations
        ** of the kind that sets one up (a copy before a drop, a borrow, a buffer ...) */
        if ((want == HLM_UAF || want == HLM_DOUBLE_DROP || want == HLM_SCOPE_END) && chance(&g, 70))
            dead_handle(&g, &out);
        for (int round = 0; round < 8 && any.code == HLM_NOPS; round++) {
            if (round > 0) setup(&g, &out, false);
            any = try_violation(&g, want, 60);
        }
        if (any.code == HLM_NOPS) any = try_violation(&g, HLM_NKINDS, 300);
        if (any.code != HLM_NOPS) opvec_push(&out, any);
    }
    hlm_model_free(g.m);
    *n = out.n;
    return out.p;
}
