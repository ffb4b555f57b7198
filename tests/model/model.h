/*
** model.h: the model-based tests of the runtimes (docs/testing.md).
**
** A test is a sequence of operations (ops.def) on eight handle variables v0..v7. The same
** sequence is
**  - predicted by a reference model written from docs/design.md alone (model.c): "runs to the
**    end, observing these values, with N objects (B bytes) leaked" or "stops at operation k
**    with kind K at the line of call site S";
**  - executed by an interpreter linked against a runtime (interp.c, built once per runtime),
**    in which every API call has a call site whose source line the model can look up;
**  - compared (check.c) in a child process, and shrunk to a minimal sequence when they
**    disagree.
** gen.c generates sequences from a seed, steered by the model; fuzz.c lets libFuzzer generate
** them. An operation is 5 bytes (code, a, b, t, n), so a sequence is a byte string: the
** fuzzer's input, a corpus file, or a generator's output.
*/
#ifndef HLM_MODEL_H
#define HLM_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HLM_NV 8           /* handle variables */
#define HLM_MAX_DEPTH 40   /* nested blocks; an opening operation beyond it does nothing */
#define HLM_OP_BYTES 5

/* ---- operations ---------------------------------------------------------------------------- */

typedef enum hlm_code {
#define HLM_OP(code, weight, text) HLM_##code,
#include "ops.def"
#undef HLM_OP
    HLM_NOPS
} hlm_code;

/* One operation. a and b are variables (< HLM_NV); t and n are bytes each operation reads
** in its own way (a type, a field, a value; a size, an index, a count). */
typedef struct hlm_op {
    uint8_t code, a, b, t, n;
} hlm_op;

extern const char *const hlm_op_names[HLM_NOPS];
extern const char *const hlm_op_texts[HLM_NOPS];
extern const unsigned hlm_op_weights[HLM_NOPS];

/* Bytes <-> operations. Decoding takes every byte string: codes and variables are reduced
** modulo their ranges, a trailing partial operation is ignored. Returns the count. */
size_t hlm_decode(const uint8_t *data, size_t size, hlm_op *ops, size_t max);
void hlm_encode(const hlm_op *ops, size_t n, uint8_t *out);   /* n * HLM_OP_BYTES bytes */

/* ---- the types of the interpreter --------------------------------------------------------------
**   Leaf { int64_t v; }                                        owns nothing
**   Node { int64_t v; hl_ref next; hl_ref peer; }              owns next; peer is a plain copy
**   Pair { hl_ref left; int64_t v; hl_ref right; }             owns left and right
**   Big  { uint8_t pad[600]; hl_ref child; int64_t v; }        owns child; a large block
** and bytes and refs buffers. Fields by index (f0, f1): Node next, peer; Pair left, right;
** Big child. */
enum { HLM_LEAF, HLM_NODE, HLM_PAIR, HLM_BIG, HLM_BYTES, HLM_REFS, HLM_NTYPES };
#define HLM_NTYPED 4
#define HLM_SIZE_LEAF 8
#define HLM_SIZE_NODE 24
#define HLM_SIZE_PAIR 24
#define HLM_SIZE_BIG 616
extern const char *const hlm_type_names[HLM_NTYPES];

/* ---- operand meanings (shared by the model and the interpreter) ------------------------- */

size_t  hlm_size(uint8_t n);       /* buffer lengths: 0..39, then up to 4096 */
size_t  hlm_index(uint8_t n);      /* indices: 0..199, then up to SIZE_MAX */
size_t  hlm_list_len(uint8_t n);   /* 1..100, then up to 100,000 (at most hlm_max_list) */
size_t  hlm_steps(uint8_t n);      /* 0..199, then up to 100,000 */
long    hlm_many(uint8_t n);       /* nested shared borrows: 1 .. 70,000 */
int64_t hlm_value(uint8_t t, uint8_t n);
extern size_t hlm_max_list;        /* the fuzzer keeps sequences small */
/* The shared borrows all open READ_MANY blocks may hold together (they cost stack): one that
** would hold more does nothing. */
extern long   hlm_max_many;

/* The observation hash: every value a sequence reads, and the final contents, fold into it. */
static inline uint64_t hlm_mix(uint64_t h, uint64_t x) {
    h ^= x + 0x9E3779B97F4A7C15ULL + (h << 6) + (h >> 2);
    h *= 0xFF51AFD7ED558CCDULL;
    return h ^ (h >> 29);
}
#define HLM_OBS_START 0x686561706C6162ULL

/* ---- violation kinds (docs/design.md, "Owned runtime rules") -------------------------------- */

typedef enum hlm_kind {
    HLM_OK, HLM_NULL_HANDLE, HLM_MOVED, HLM_UAF, HLM_DOUBLE_DROP, HLM_ALREADY_BORROWED,
    HLM_ALREADY_MUT, HLM_DROP_BORROWED, HLM_OOB, HLM_TYPE_MISMATCH, HLM_SCOPE_END, HLM_CANNOT_MOVE,
    HLM_REGION_LIVE, HLM_NKINDS
} hlm_kind;
extern const char *const hlm_kind_names[HLM_NKINDS];   /* as the diagnostic prints them */

/* ---- call sites -------------------------------------------------------------------------------
** Every API call of the interpreter that can fail has a site; the interpreter records each
** site's source line (hlm_site_line), so that the model can predict the "-->" line. */
typedef enum hlm_site {
    HLM_S_NONE,
    HLM_S_NEW, HLM_S_NEW_BYTES = HLM_S_NEW + HLM_NTYPED, HLM_S_NEW_REFS,
    HLM_S_MOVE, HLM_S_TAKE, HLM_S_DROP, HLM_S_RESIZE, HLM_S_LEN, HLM_S_GET, HLM_S_SET, HLM_S_REF_AT,
    HLM_S_SLOT_IN_SLOT, HLM_S_SLOT_IN_MOVE, HLM_S_SLOT_TAKE_SLOT, HLM_S_SLOT_TAKE,
    HLM_S_SLOT_MOVE_SLOT, HLM_S_SLOT_MOVE, HLM_S_SLOT_DROP_SLOT, HLM_S_SLOT_DROP,
    HLM_S_LIST_NEW, HLM_S_LIST_WRITE, HLM_S_NTH, HLM_S_AGE,
    HLM_S_READ, HLM_S_WRITE = HLM_S_READ + HLM_NTYPES, HLM_S_MANY = HLM_S_WRITE + HLM_NTYPES,
    HLM_S_MANY8 = HLM_S_MANY + HLM_NTYPES, HLM_S_MANY1 = HLM_S_MANY8 + HLM_NTYPES,
    HLM_S_B_PUT = HLM_S_MANY1 + HLM_NTYPES, HLM_S_B_TAKE, HLM_S_B_DROP,
    HLM_S_REGION_BEGIN, HLM_S_REGION_END, HLM_S_LOCAL_END,
    HLM_S_DIGEST, HLM_NSITES = HLM_S_DIGEST + HLM_NTYPES
} hlm_site;

/* Sites the runtime reports without a line: the test hook hl__owned_age_slot takes no
** location, and the end of a stack object's block is "(the end of an HL_LOCAL object's block)". */
static inline bool hlm_site_unlocated(int site) { return site == HLM_S_AGE || site == HLM_S_LOCAL_END; }

/* Stack objects (LOCAL): t % HLM_LOCAL_KINDS is the object's type: Leaf, Node, Pair, Big
** (HL_LOCAL), a bytes buffer of hlm_local_bytes[n % 4] bytes (HL_LOCAL_BYTES) or a refs
** buffer of hlm_local_refs[n % 4] elements (HL_LOCAL_REFS). The sizes are constants, as the
** macros require; the interpreter has a case for each. */
#define HLM_LOCAL_KINDS HLM_NTYPES
#define HLM_LOCAL_SIZES 4
_Static_assert(HLM_LOCAL_KINDS == HLM_REFS + 1 && HLM_BYTES == HLM_NTYPED,
               "LOCAL's kinds are the types: the typed ones, then bytes and refs");
extern const size_t hlm_local_bytes[HLM_LOCAL_SIZES];
extern const size_t hlm_local_refs[HLM_LOCAL_SIZES];
size_t hlm_local_len(uint8_t t, uint8_t n);   /* a stack buffer's length (0: a struct) */
#define HLM_MAX_REGIONS 16   /* regions begun in one sequence; a further begin does nothing */

/* The source line of a site in interp.c (0: unlocated or unknown). hlm_sites_check says
** whether every site was recorded exactly once; it fills why otherwise. */
int hlm_site_line(int site);
bool hlm_sites_check(char *why, size_t cap);
extern const char hlm_interp_file[];   /* the "-->" file of the interpreter's calls */

/* ---- the model ------------------------------------------------------------------------------ */

typedef struct hlm_model hlm_model;

/* What the model expects of a sequence. */
typedef struct hlm_pred {
    bool     stops;        /* a violation stops the sequence ... */
    size_t   at;           /* ... at this operation (n: while reading the final contents) */
    hlm_kind kind;
    int      site;
    uint64_t obs;          /* otherwise: the observation hash at the end, */
    size_t   leaks;        /* objects still owned at hl_shutdown, */
    size_t   leak_bytes;   /* and their payload bytes */
    int     *script;       /* how to read the final contents: see hlm_model_finish */
    size_t   nscript;
    size_t   executed;     /* operations executed (up to and including the stopping one) */
    bool     reused;       /* it stops on a stale handle whose object died before a later
                              allocation of its kind (a statistic: owned reuses slots LIFO) */
} hlm_pred;

hlm_model *hlm_model_new(void);
void hlm_model_free(hlm_model *m);

/* Apply one operation. Returns HLM_OK, or the kind of the violation it commits (*site: the
** failing call). With the journal on (hlm_model_begin), hlm_model_undo restores the state
** from before the operation and hlm_model_keep makes it final. */
hlm_kind hlm_model_step(hlm_model *m, const hlm_op *o, int *site);
void hlm_model_begin(hlm_model *m);
void hlm_model_undo(hlm_model *m);
void hlm_model_keep(hlm_model *m);

/* End of a sequence of n operations that ran through: close the open blocks (the end of a
** stack object's block may commit a violation: then p says it stops at n), then read the
** final contents and count what is left. The contents are read from every variable holding
** a valid handle whose owned tree is readable (every owned handle in it valid, no object
** reached twice); script says how: for each such variable -1 - v, then the type of each
** object in the order the reading visits them (pre-order, owned fields in declaration
** order, elements first to last). */
void hlm_model_finish(hlm_model *m, size_t n, hlm_pred *p);

/* The whole prediction of a sequence. */
void hlm_predict(const hlm_op *ops, size_t n, hlm_pred *p);
void hlm_pred_free(hlm_pred *p);

/* What the generator asks of the state. */
typedef struct hlm_var_view {
    enum { HLM_VAR_NULL, HLM_VAR_VALID, HLM_VAR_STALE } state;   /* STALE: moved-out, old or dropped */
    int    type;      /* of the object (VALID and STALE-but-live) */
    size_t len;       /* buffers */
    bool   borrowed;
    bool   stack;     /* a stack object (LOCAL) */
} hlm_var_view;
hlm_var_view hlm_model_var(const hlm_model *m, int v);
int hlm_model_depth(const hlm_model *m);
/* Open borrows (stack objects' blocks are not borrows), and borrow k of them (0: innermost):
** its type, whether exclusive, its buffer's length. */
int hlm_model_borrows(const hlm_model *m);
void hlm_model_block(const hlm_model *m, int k, int *type, bool *write, size_t *len);
/* Regions begun in the sequence so far. */
int hlm_model_regions(const hlm_model *m);

/* ---- the generator ----------------------------------------------------------------------------- */

typedef struct hlm_gen_opts {
    size_t max_len;      /* operations before the end (uniform in 1..max_len) */
    unsigned violate;    /* percent of sequences that end with a violation */
} hlm_gen_opts;

/* A sequence from its seed (malloc'd; *n its length). */
hlm_op *hlm_generate(uint64_t seed, const hlm_gen_opts *opt, size_t *n);
/* The seed of sequence i of a run with base seed s. */
uint64_t hlm_seq_seed(uint64_t base, uint64_t i);
uint64_t hlm_splitmix(uint64_t *state);

/* ---- the interpreter (interp.c, one build per runtime) ---------------------------------------- */

typedef struct hlm_prog {
    const hlm_op *ops;
    size_t        n;
    const int    *script;
    size_t        nscript;
} hlm_prog;

typedef struct hlm_result {
    uint64_t obs;
    size_t   leaks;   /* hl_shutdown's return */
    bool     script_ok;
} hlm_result;

/* Run a sequence: hl_init, the operations, the final reading, hl_shutdown. *progress gets the
** index of each operation before it runs (n for the final reading). A violation ends the
** process (or, in the fuzzer, jumps out). */
void hlm_interp_run(const hlm_prog *p, volatile int *progress, hlm_result *r);
const char *hlm_runtime(void);   /* hl_runtime_name() */

/* ---- running and comparing (check.c) -------------------------------------------------------- */

/* What a run showed, parsed from its exit status, stdout and stderr. */
typedef struct hlm_actual {
    bool     stats;            /* the run requested statistics (HEAPLAB_STATS) */
    bool     exited, signaled;
    int      code, sig;
    int      progress;
    int      nerrors;          /* "heaplab: error: " lines */
    char     kind[64];         /* of the first */
    char     file[160];        /* its "-->" location; line 0: none given */
    int      line;
    bool     have_result;      /* stdout's "hlm: obs X leaks N" line */
    uint64_t obs;
    size_t   leaks;
    bool     have_warning;     /* "heaplab: warning: N objects (B bytes) leaked" */
    size_t   warn_objects, warn_bytes;
    bool     script_ok;
    const char *err;           /* the captured stderr */
} hlm_actual;

/* Parse a run's stderr (and, when not NULL, its stdout) into a. */
void hlm_parse(const char *out, const char *err, hlm_actual *a);

/* Does the run agree with the prediction on this runtime? why says how not. A sequence that
** a runtime without checks cannot run (it commits a violation) agrees trivially. */
bool hlm_agrees(const hlm_pred *p, const hlm_actual *a, const char *runtime, char *why, size_t cap);
/* Whether the runtime checks (owned, owned-fast) and so runs violating sequences too. */
bool hlm_runtime_checks(const char *runtime);

/* Run a sequence in a child process on this build's runtime and compare: true if it agrees. */
bool hlm_check(const hlm_op *ops, size_t n, char *why, size_t cap, hlm_pred *pred_out);

/* Shrink a disagreeing sequence (delta debugging): operations are removed while it still
** disagrees. Returns the new length; at most max_tries runs. */
size_t hlm_shrink(hlm_op *ops, size_t n, unsigned max_tries);

/* ---- printing (print.c) ------------------------------------------------------------------------ */

#include <stdio.h>
void hlm_print(FILE *f, const hlm_op *ops, size_t n, const hlm_pred *p);
void hlm_print_op(FILE *f, const hlm_op *o, int depth, int nregions);

#endif
