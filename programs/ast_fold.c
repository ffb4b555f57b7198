/*
** ast_fold: a compiler front end in miniature.
**
** Models what compilers and interpreters do to memory: a source text is generated (a
** compilation unit of 256 statements `vK = expr;`, where expr is a random arithmetic
** expression over integer constants and earlier variables with + - * and unary minus),
** written into a vector of bytes that grows by doubling (hl_vec, Rust's Vec<u8>), parsed from
** a slice of it (&[u8]) by recursive descent into an
** expression tree per statement (the unit is an array of the statements' trees);
** evaluated; constant-folded (each tree is consumed and a new one is built: constant
** subexpressions become one constant node, x+0, x-0, x*1, 0*x, --x are simplified, the
** replaced nodes are dropped); evaluated again, which must give the same values; then the
** whole unit is dropped and the next one starts.
**
** Allocation pattern: bursts of small uniform tree nodes allocated in parse order and freed
** in bulk (per unit), with a second generation (the folded trees) built while the first dies
** node by node: mixed LIFO and out-of-order frees of one size, plus a growing text buffer.
** Arithmetic wraps modulo 2^64.
**
** Regions: each unit is a region (compile_unit drops everything it allocated before its
** region ends), so the region runtime reuses one unit's memory for the next, the text
** buffer's doublings and the trees replaced by folding included. Stack objects: the unit's
** trees are an HL_LOCAL_REFS array of 256 handles and the two value environments (256 values
** each, 2 KiB) HL_LOCAL_BYTES arrays in compile_unit, as a C programmer would declare
** `Node *unit[256]` and `uint64_t env[256]`.
**
** Size argument: the number of statements compiled, rounded up to whole units of 256
** (default 280000).
*/
#include "heaplab.h"
#include "hl_prog.h"
#include "hlp_util.h"

#include <stdio.h>
#include <string.h>

enum Kind { K_CONST, K_VAR, K_NEG, K_ADD, K_SUB, K_MUL };

typedef struct Node {
    hl_ref   a, b;    /* owned operands (b unused by K_NEG; both HL_NULL in leaves) */
    uint64_t val;     /* K_CONST: the value; K_VAR: the variable number */
    uint32_t kind;
} Node;
HL_TYPE(Node, a, b);

enum { UNIT = 256, MAX_DEPTH = 9 };

/* ---- source generation ------------------------------------------------------------------ */

/* The source text: a vector of bytes. */
typedef hl_vec Writer;

static void put(Writer *w, const char *s) { hl_vec_extend(w, s, strlen(s)); }

static void gen_expr(Writer *w, hlp_rng *rng, int depth, uint32_t nvars) {
    char tmp[32];
    uint64_t pick = hlp_rng_below(rng, 100);
    if (depth == 0 || pick < 25) {
        if (nvars > 0 && hlp_rng_below(rng, 100) < 35) {
            snprintf(tmp, sizeof tmp, "v%u", (unsigned)hlp_rng_below(rng, nvars));
        } else {
            uint64_t r = hlp_rng_below(rng, 10);
            unsigned c = r == 0 ? 0 : r == 1 ? 1 : (unsigned)hlp_rng_below(rng, 1000);
            snprintf(tmp, sizeof tmp, "%u", c);
        }
        put(w, tmp);
    } else if (pick < 35) {
        put(w, "-");
        gen_expr(w, rng, depth - 1, nvars);
    } else {
        static const char *const ops[] = {" + ", " - ", " * "};
        put(w, "(");
        gen_expr(w, rng, depth - 1, nvars);
        put(w, ops[hlp_rng_below(rng, 3)]);
        gen_expr(w, rng, depth - 1, nvars);
        put(w, ")");
    }
}

/* ---- parsing ------------------------------------------------------------------------------ */

typedef struct Parser {
    HL_SLICE(uint8_t) s;   /* the text (borrowed by the caller for the whole parse) */
    size_t pos;
    bool ok;
} Parser;

static void skip_ws(Parser *p) {
    while (p->pos < p->s.len && (HL_AT(p->s, p->pos) == ' ' || HL_AT(p->s, p->pos) == '\n')) p->pos++;
}

static int peek(Parser *p) {
    skip_ws(p);
    return p->pos < p->s.len ? HL_AT(p->s, p->pos) : -1;
}

static bool expect(Parser *p, int c) {
    if (peek(p) != c) return p->ok = false;
    p->pos++;
    return true;
}

static uint64_t number(Parser *p) {
    uint64_t v = 0;
    if (peek(p) < '0' || peek(p) > '9') p->ok = false;
    for (int c; p->pos < p->s.len && (c = HL_AT(p->s, p->pos)) >= '0' && c <= '9'; p->pos++) v = v * 10 + (uint64_t)(c - '0');
    return v;
}

static hl_ref leaf(uint32_t kind, uint64_t val) {
    hl_ref n = hl_new(&Node_type);
    HL_WRITE(Node, w, n);
    w->kind = kind;
    w->val = val;
    return n;
}

static hl_ref node2(uint32_t kind, hl_ref *a, hl_ref *b) {
    hl_ref n = hl_new(&Node_type);
    HL_WRITE(Node, w, n);
    w->kind = kind;
    w->a = hl_move(a);
    w->b = hl_move(b);
    return n;
}

static hl_ref parse_expr(Parser *p);

static hl_ref parse_unary(Parser *p) {
    int c = peek(p);
    if (c == '-') {
        p->pos++;
        hl_ref a = parse_unary(p), none = HL_NULL;
        return node2(K_NEG, &a, &none);
    }
    if (c == '(') {
        p->pos++;
        hl_ref e = parse_expr(p);
        expect(p, ')');
        return e;
    }
    if (c == 'v') {
        p->pos++;
        return leaf(K_VAR, number(p));
    }
    return leaf(K_CONST, number(p));
}

static hl_ref parse_term(Parser *p) {
    hl_ref left = parse_unary(p);
    while (p->ok && peek(p) == '*') {
        p->pos++;
        hl_ref right = parse_unary(p);
        left = node2(K_MUL, &left, &right);
    }
    return left;
}

static hl_ref parse_expr(Parser *p) {
    hl_ref left = parse_term(p);
    for (int c; p->ok && ((c = peek(p)) == '+' || c == '-');) {
        p->pos++;
        hl_ref right = parse_term(p);
        left = node2(c == '+' ? K_ADD : K_SUB, &left, &right);
    }
    return left;
}

/* ---- evaluation and folding --------------------------------------------------------------- */

static uint64_t eval(hl_ref n, HL_SLICE(uint64_t) env) {
    HL_READ(Node, r, n);
    switch (r->kind) {
    case K_CONST: return r->val;
    case K_VAR: return HL_AT(env, r->val);
    case K_NEG: return 0 - eval(r->a, env);
    case K_ADD: return eval(r->a, env) + eval(r->b, env);
    case K_SUB: return eval(r->a, env) - eval(r->b, env);
    default: return eval(r->a, env) * eval(r->b, env);
    }
}

static uint64_t count_nodes(hl_ref n) {
    if (hl_is_null(n)) return 0;
    HL_READ(Node, r, n);
    return 1 + count_nodes(r->a) + count_nodes(r->b);
}

/* The kind and value of a node (K_CONST tells whether it is a constant). */
static uint32_t kind_of(hl_ref n, uint64_t *val) {
    HL_READ(Node, r, n);
    *val = r->val;
    return r->kind;
}

/* Fold the tree *np: consumes it (*np is moved out) and returns the folded tree. Every
** operator node is rebuilt; nodes that fold away are dropped. */
static hl_ref fold(hl_ref *np) {
    hl_ref n = hl_move(np);
    uint64_t unused;
    uint32_t kind = kind_of(n, &unused);
    if (kind == K_CONST || kind == K_VAR) return n;
    hl_ref a, b;
    {
        HL_WRITE(Node, w, n);
        a = hl_move(&w->a);
        b = hl_move(&w->b);
    }
    hl_drop(&n);   /* its operands were moved out: frees just this node */
    a = fold(&a);
    uint64_t av, bv = 0;
    uint32_t ak = kind_of(a, &av), bk = K_CONST;
    if (kind == K_NEG) {
        if (ak == K_CONST) {
            hl_drop(&a);
            return leaf(K_CONST, 0 - av);
        }
        if (ak == K_NEG) {   /* --x = x */
            hl_ref x;
            {
                HL_WRITE(Node, w, a);
                x = hl_move(&w->a);
            }
            hl_drop(&a);
            return x;
        }
        return node2(K_NEG, &a, &b);
    }
    b = fold(&b);
    bk = kind_of(b, &bv);
    if (ak == K_CONST && bk == K_CONST) {
        hl_drop(&a);
        hl_drop(&b);
        return leaf(K_CONST, kind == K_ADD ? av + bv : kind == K_SUB ? av - bv : av * bv);
    }
    /* Identities: keep one operand, drop the other. */
    if ((kind == K_ADD || kind == K_SUB) && bk == K_CONST && bv == 0) {
        hl_drop(&b);
        return a;
    }
    if (kind == K_ADD && ak == K_CONST && av == 0) {
        hl_drop(&a);
        return b;
    }
    if (kind == K_MUL && ((ak == K_CONST && av == 0) || (bk == K_CONST && bv == 1))) {
        hl_drop(&b);
        return a;
    }
    if (kind == K_MUL && ((bk == K_CONST && bv == 0) || (ak == K_CONST && av == 1))) {
        hl_drop(&a);
        return b;
    }
    return node2(kind, &a, &b);
}

/* ---- driver ------------------------------------------------------------------------------- */

/* What the run has compiled so far. */
typedef struct Totals {
    uint64_t sum, nodes_before, nodes_after, text_bytes;
} Totals;

/* Compile unit number `unit`: generate, parse, evaluate, fold, evaluate again. Everything it
** allocates is dropped before it returns. Returns false (after a message) when the text does
** not parse or folding changed a value. */
static bool compile_unit(hlp_rng *rng, uint64_t unit, Totals *t) {
    /* Generate the unit's source text. */
    HL_OWNED_VEC Writer w = HL_VEC_NEW;
    for (uint32_t k = 0; k < UNIT; k++) {
        char tmp[32];
        snprintf(tmp, sizeof tmp, "v%u = ", (unsigned)k);
        put(&w, tmp);
        gen_expr(&w, rng, 1 + (int)hlp_rng_below(rng, MAX_DEPTH), k);
        put(&w, ";\n");
    }
    t->text_bytes += hl_vec_len(&w);
    /* Parse it: statement k assigns variable k; the unit's trees are an array on the stack
    ** (Rust: `[None; UNIT]` of Option<Box<Node>>), whose trees are dropped when it ends. */
    HL_LOCAL_REFS(trees, UNIT);
    bool parsed;
    {
        HL_READ_VEC(uint8_t, text, &w);
        Parser p = {text, 0, true};
        for (uint32_t k = 0; k < UNIT && p.ok; k++) {
            expect(&p, 'v');
            if (number(&p) != k) p.ok = false;
            expect(&p, '=');
            hl_ref e = parse_expr(&p);
            expect(&p, ';');
            *hl_slot(trees, k) = hl_move(&e);
        }
        parsed = p.ok && peek(&p) == -1;
        if (!parsed)
            fprintf(stderr, "ast_fold: error: parse error at byte %zu of unit %llu\n", p.pos,
                    (unsigned long long)unit);
    }
    hl_drop(&w.buf);   /* the text is done with: free it before the trees are folded */
    if (!parsed) return false;
    /* Evaluate, fold, evaluate again: the variables' values before and after folding, in
    ** two arrays on the stack. */
    HL_LOCAL_BYTES(env, 8 * UNIT);
    HL_LOCAL_BYTES(env2, 8 * UNIT);
    HL_WRITE_SLICE(uint64_t, e1, env);
    HL_WRITE_SLICE(uint64_t, e2, env2);
    for (uint32_t k = 0; k < UNIT; k++) {
        hl_ref e = hl_ref_at(trees, k);
        t->nodes_before += count_nodes(e);
        HL_AT(e1, k) = eval(e, HL_SLICE_SHARED(uint64_t, e1));
    }
    for (uint32_t k = 0; k < UNIT; k++) {
        hl_ref folded = fold(hl_slot(trees, k));
        *hl_slot(trees, k) = hl_move(&folded);
        hl_ref e = hl_ref_at(trees, k);
        t->nodes_after += count_nodes(e);
        uint64_t v = eval(e, HL_SLICE_SHARED(uint64_t, e2));
        HL_AT(e2, k) = v;
        if (v != HL_AT(e1, k)) {
            fprintf(stderr, "ast_fold: error: folding changed v%u of unit %llu\n", (unsigned)k,
                    (unsigned long long)unit);
            return false;
        }
        t->sum = hlp_mix(t->sum, v);
    }
    return true;
}

int main(int argc, char **argv) {
    static const hlp_spec spec = {"ast_fold", "parse, constant-fold and evaluate generated arithmetic programs",
                                  "number of statements (rounded up to units of 256)", 280000, 1, 1000000000};
    uint64_t n = (uint64_t)hlp_size_arg(&spec, argc, argv);
    hl_init();
    hlp_rng rng;
    hlp_rng_seed(&rng, 0xa57);
    Totals t = {HLP_CHECK_INIT, 0, 0, 0};
    uint64_t units = 0;
    for (uint64_t done = 0; done < n; done += UNIT, units++) {
        /* A unit is a region: nothing it allocates outlives it. */
        hl_region unit_region = hl_region_begin();
        bool ok = compile_unit(&rng, units, &t);
        hl_region_end(unit_region);
        if (!ok) return 1;
    }
    printf("%llu units, %llu bytes of source, %llu nodes parsed, %llu after folding\n", (unsigned long long)units,
           (unsigned long long)t.text_bytes, (unsigned long long)t.nodes_before, (unsigned long long)t.nodes_after);
    uint64_t sum = t.sum;
    sum = hlp_mix(sum, t.nodes_before);
    sum = hlp_mix(sum, t.nodes_after);
    sum = hlp_mix(sum, t.text_bytes);
    hlp_print_checksum(&spec, (long long)n, sum);
    return hl_shutdown() == 0 ? 0 : 1;
}
