/*
** bench/peers/c/ast_fold.c: the plain C peer of programs/ast_fold.c (a compiler front end in
** miniature: generate a unit of 256 statements as text, parse it into expression trees,
** evaluate, constant-fold, evaluate again), written as a C programmer would write it without
** heaplab.
**
** Idioms: an expression node is a typed struct with two raw operand pointers, allocated with
** peer_new (malloc, or GC_MALLOC in the c+gc build) and filled by a compound literal. The
** source text is the usual growable {data, len, cap} char buffer doubled with realloc
** (pointer-free: peer_alloc_raw, as it is written before it is read). The unit's 256 trees and
** its two value environments are arrays on the stack. fold consumes a tree as the API program
** does: every operator node is freed and a new one built, nodes that fold away are freed by the
** recursive, type-specific tree_free (a walk the c+gc build skips: the collector reclaims). The
** text is freed once parsed, the trees at the end of their unit, where the API program drops
** them.
**
** Size argument: the number of statements, rounded up to units of 256 (default 280000), as
** programs/ast_fold.c.
*/
#include "hl_prog.h"
#include "hlp_util.h"
#include "peer.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

enum Kind { K_CONST, K_VAR, K_NEG, K_ADD, K_SUB, K_MUL };

typedef struct Node {
    struct Node *a, *b;   /* owned operands (b NULL for K_NEG; both NULL in leaves) */
    uint64_t val;         /* K_CONST: the value; K_VAR: the variable number */
    uint32_t kind;
} Node;

enum { UNIT = 256, MAX_DEPTH = 9 };

/* ---- source generation ------------------------------------------------------------------ */

typedef struct Writer {
    char  *data;   /* cap bytes, the first len used */
    size_t len, cap;
} Writer;

static void put(Writer *w, const char *s) {
    size_t n = strlen(s);
    if (w->len + n > w->cap) {
        while (w->len + n > w->cap) w->cap *= 2;
        w->data = peer_realloc(w->data, w->cap);
    }
    memcpy(w->data + w->len, s, n);
    w->len += n;
}

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

/* The source text of one unit: statement k is `vK = expr;`. */
static Writer gen_unit(hlp_rng *rng) {
    Writer w = {peer_alloc_raw(64), 0, 64};
    for (uint32_t k = 0; k < UNIT; k++) {
        char tmp[32];
        snprintf(tmp, sizeof tmp, "v%u = ", (unsigned)k);
        put(&w, tmp);
        gen_expr(&w, rng, 1 + (int)hlp_rng_below(rng, MAX_DEPTH), k);
        put(&w, ";\n");
    }
    return w;
}

/* ---- trees ------------------------------------------------------------------------------- */

static Node *leaf(uint32_t kind, uint64_t val) {
    Node *n = peer_new(sizeof *n);
    *n = (Node){.a = NULL, .b = NULL, .val = val, .kind = kind};
    return n;
}

static Node *node2(uint32_t kind, Node *a, Node *b) {
    Node *n = peer_new(sizeof *n);
    *n = (Node){.a = a, .b = b, .val = 0, .kind = kind};
    return n;
}

static void tree_free(Node *n) {
    if (!PEER_FREES || !n) return;   /* c+gc: the collector reclaims the whole tree */
    tree_free(n->a);
    tree_free(n->b);
    peer_free(n);
}

/* ---- parsing ------------------------------------------------------------------------------ */

typedef struct Parser {
    const char *s;
    size_t pos, len;
    bool ok;
} Parser;

static void skip_ws(Parser *p) {
    while (p->pos < p->len && (p->s[p->pos] == ' ' || p->s[p->pos] == '\n')) p->pos++;
}

static int peek(Parser *p) {
    skip_ws(p);
    return p->pos < p->len ? (unsigned char)p->s[p->pos] : -1;
}

static bool expect(Parser *p, int c) {
    if (peek(p) != c) return p->ok = false;
    p->pos++;
    return true;
}

static uint64_t number(Parser *p) {
    uint64_t v = 0;
    if (peek(p) < '0' || peek(p) > '9') p->ok = false;
    while (p->pos < p->len && p->s[p->pos] >= '0' && p->s[p->pos] <= '9') v = v * 10 + (p->s[p->pos++] - '0');
    return v;
}

static Node *parse_expr(Parser *p);

static Node *parse_unary(Parser *p) {
    int c = peek(p);
    if (c == '-') {
        p->pos++;
        return node2(K_NEG, parse_unary(p), NULL);
    }
    if (c == '(') {
        p->pos++;
        Node *e = parse_expr(p);
        expect(p, ')');
        return e;
    }
    if (c == 'v') {
        p->pos++;
        return leaf(K_VAR, number(p));
    }
    return leaf(K_CONST, number(p));
}

static Node *parse_term(Parser *p) {
    Node *left = parse_unary(p);
    while (p->ok && peek(p) == '*') {
        p->pos++;
        Node *right = parse_unary(p);
        left = node2(K_MUL, left, right);
    }
    return left;
}

static Node *parse_expr(Parser *p) {
    Node *left = parse_term(p);
    for (int c; p->ok && ((c = peek(p)) == '+' || c == '-');) {
        p->pos++;
        Node *right = parse_term(p);
        left = node2(c == '+' ? K_ADD : K_SUB, left, right);
    }
    return left;
}

/* Parse the unit's text into unit[k] (statement k assigns variable k). Returns false on a
** syntax error, with the trees parsed so far in unit (the rest NULL). */
static bool parse_unit(const Writer *w, Node *unit[UNIT], size_t *err_pos) {
    Parser p = {w->data, 0, w->len, true};
    for (uint32_t k = 0; k < UNIT && p.ok; k++) {
        expect(&p, 'v');
        if (number(&p) != k) p.ok = false;
        expect(&p, '=');
        unit[k] = parse_expr(&p);
        expect(&p, ';');
    }
    *err_pos = p.pos;
    return p.ok && peek(&p) == -1;
}

/* ---- evaluation and folding --------------------------------------------------------------- */

static uint64_t eval(const Node *n, const uint64_t *env) {
    switch (n->kind) {
    case K_CONST: return n->val;
    case K_VAR: return env[n->val];
    case K_NEG: return 0 - eval(n->a, env);
    case K_ADD: return eval(n->a, env) + eval(n->b, env);
    case K_SUB: return eval(n->a, env) - eval(n->b, env);
    default: return eval(n->a, env) * eval(n->b, env);
    }
}

static uint64_t count_nodes(const Node *n) { return n ? 1 + count_nodes(n->a) + count_nodes(n->b) : 0; }

/* Fold -a where a is already folded. */
static Node *fold_neg(Node *a) {
    if (a->kind == K_CONST) {
        uint64_t v = 0 - a->val;
        tree_free(a);
        return leaf(K_CONST, v);
    }
    if (a->kind == K_NEG) {   /* --x = x */
        Node *x = a->a;
        peer_free(a);
        return x;
    }
    return node2(K_NEG, a, NULL);
}

/* Fold a (kind) b where a and b are already folded: constants combine, identities keep one
** operand and free the other. */
static Node *fold_binary(uint32_t kind, Node *a, Node *b) {
    bool ac = a->kind == K_CONST, bc = b->kind == K_CONST;
    uint64_t av = a->val, bv = b->val;
    if (ac && bc) {
        tree_free(a);
        tree_free(b);
        return leaf(K_CONST, kind == K_ADD ? av + bv : kind == K_SUB ? av - bv : av * bv);
    }
    Node *keep = NULL, *drop = NULL;
    if ((kind == K_ADD || kind == K_SUB) && bc && bv == 0) keep = a, drop = b;
    else if (kind == K_ADD && ac && av == 0) keep = b, drop = a;
    else if (kind == K_MUL && ((ac && av == 0) || (bc && bv == 1))) keep = a, drop = b;
    else if (kind == K_MUL && ((bc && bv == 0) || (ac && av == 1))) keep = b, drop = a;
    if (!keep) return node2(kind, a, b);
    tree_free(drop);
    return keep;
}

/* Fold the tree n: consumes it and returns the folded tree. Every operator node is freed and
** rebuilt (the second generation the workload models). */
static Node *fold(Node *n) {
    if (n->kind == K_CONST || n->kind == K_VAR) return n;
    uint32_t kind = n->kind;
    Node *a = n->a, *b = n->b;
    peer_free(n);
    a = fold(a);
    if (kind == K_NEG) return fold_neg(a);
    b = fold(b);
    return fold_binary(kind, a, b);
}

/* ---- driver ------------------------------------------------------------------------------- */

typedef struct Totals {
    uint64_t sum, nodes_before, nodes_after, text_bytes, units;
} Totals;

/* Evaluate the parsed unit, fold each tree and evaluate again. Returns false (after a
** message) when folding changed a value. */
static bool eval_fold_unit(Node *unit[UNIT], Totals *t) {
    uint64_t env[UNIT], env2[UNIT];
    for (uint32_t k = 0; k < UNIT; k++) {
        t->nodes_before += count_nodes(unit[k]);
        env[k] = eval(unit[k], env);
    }
    for (uint32_t k = 0; k < UNIT; k++) {
        unit[k] = fold(unit[k]);
        t->nodes_after += count_nodes(unit[k]);
        uint64_t v = eval(unit[k], env2);
        env2[k] = v;
        if (v != env[k]) {
            fprintf(stderr, "ast_fold: error: folding changed v%u of unit %llu\n", (unsigned)k,
                    (unsigned long long)t->units);
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
    peer_init();
    hlp_rng rng;
    hlp_rng_seed(&rng, 0xa57);
    Totals t = {HLP_CHECK_INIT, 0, 0, 0, 0};
    for (uint64_t done = 0; done < n; done += UNIT, t.units++) {
        Writer w = gen_unit(&rng);
        t.text_bytes += w.len;
        Node *unit[UNIT] = {0};
        size_t err_pos;
        if (!parse_unit(&w, unit, &err_pos)) {
            fprintf(stderr, "ast_fold: error: parse error at byte %zu of unit %llu\n", err_pos,
                    (unsigned long long)t.units);
            return 1;
        }
        peer_free(w.data);
        bool same = eval_fold_unit(unit, &t);
        for (uint32_t k = 0; k < UNIT; k++) tree_free(unit[k]);
        if (!same) return 1;
    }
    printf("%llu units, %llu bytes of source, %llu nodes parsed, %llu after folding\n", (unsigned long long)t.units,
           (unsigned long long)t.text_bytes, (unsigned long long)t.nodes_before, (unsigned long long)t.nodes_after);
    t.sum = hlp_mix(t.sum, t.nodes_before);
    t.sum = hlp_mix(t.sum, t.nodes_after);
    t.sum = hlp_mix(t.sum, t.text_bytes);
    hlp_print_checksum(&spec, (long long)n, t.sum);
    return 0;
}
