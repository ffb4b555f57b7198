/*
** heaplab.h: the ownership API, the one header every heaplab program includes.
**
** A program written against this header runs unchanged on every runtime, chosen when it is
** built (pkg-config heaplab-manual, heaplab-gc, heaplab-owned, heaplab-owned-fast,
** heaplab-owned-off or heaplab-region, which define HL_RUNTIME_MANUAL, HL_RUNTIME_GC,
** HL_RUNTIME_OWNED (owned-fast and owned-off with HL_OWNED_FAST or HL_OWNED_OFF) or
** HL_RUNTIME_REGION):
**
**   manual  malloc/free. Misuse through the API is undefined behaviour, as in plain C.
**   gc      Boehm-Demers-Weiser conservative collector. hl_drop only forgets; the collector
**           reclaims. Misuse is mostly harmless: objects stay alive while reachable.
**   owned   single-owner generational handles that mimic Rust: every call is checked and a
**           violation prints a diagnostic and exits with status 101, like a Rust panic.
**           Check levels, to measure what each guarantee costs: owned-fast checks the same
**           but remembers no allocation/move/drop sites (a diagnostic gives the kind and the
**           "-->" line only); owned-off checks nothing (a handle is only an index into the
**           table; misuse is undefined behaviour, as on manual).
**   region  bump allocation in large chunks: hl_drop frees nothing, hl_region_end releases
**           everything allocated since its mark in one step. No checks. The speed limit of
**           allocation, and the memory price of forcing LIFO lifetimes on a program.
**
** The model is Rust's. Every object has exactly one owner: a variable, an owned field of
** another object, or an element of a refs buffer. hl_move transfers ownership, hl_drop ends
** it (dropping owned fields and elements first). Borrows (HL_READ, HL_WRITE, ...) give a
** plain C pointer to the object for the rest of the enclosing block: any number of shared
** borrows, or one exclusive borrow, like RefCell. Copying an hl_ref by assignment makes a
** non-owning copy; it stays usable until the object is next moved, resized or dropped.
**
** Owned runtime errors (see docs/design.md for the full rules; the kind reflects the object's
** current state):
**   null handle               borrowing, resizing or indexing HL_NULL
**   use of moved value        a moved-out variable, or a copy older than the last move/resize
**   use after free            any handle to an object that has been dropped
**   double drop               dropping an object that has already been dropped
**   already borrowed          writing, resizing, moving or slot access while borrowed
**   already mutably borrowed  reading while exclusively borrowed
**   drop while borrowed       dropping an object (or its owner) while it is borrowed
**   index out of bounds       checked accessor past the end
**   type mismatch             borrowing an object as a type it is not
**   use after scope end       a handle to a stack object (HL_LOCAL) used after its block
**   cannot move out of a stack object   moving, dropping or resizing a stack object
**   region ended with live objects      hl_region_end while an object of the region lives
** A diagnostic names both ends, as rustc does: the call that broke the rule ("-->"), and in
** notes where the object was allocated and where it was moved or dropped, or, for a borrow
** conflict, where the live borrow was taken ("borrowed (shared) at FILE:LINE", "first mutably
** borrowed at FILE:LINE"). A drop at the end of an HL_OWNED variable's scope points at the
** variable's declaration. owned-fast gives the kind and "-->" only.
**
** HEAPLAB_BACKTRACE=1 in the environment adds the call stack to every diagnostic of every
** runtime ("stack backtrace:", then the program's frames from the failing call down to main:
** function names, and file:line where the program was built with -g; binutils' addr2line
** resolves them, and without it the raw frames are printed). HEAPLAB_BACKTRACE=full keeps the
** runtime's own frames; unset, empty or 0 prints none.
**
** What no runtime can see: a raw pointer kept after its borrow's block ends, `const` cast
** away, and indexing past the end through a raw borrowed pointer (use the checked
** accessors). Rust's compiler rejects these; a C library cannot. Nor can it tell a
** non-owning copy from the owner: `hl_ref c = a; hl_drop(&c);` drops the object (owned
** reports the owner's later drop as a double drop, naming both drops).
**
** Where docs/design.md is silent heaplab does what Rust does; those choices are marked "(Rust)".
**
** Objects are 8-byte aligned (enough for every scalar type up to 8 bytes; types that need
** 16-byte alignment are not supported). The runtimes are single-threaded.
**
** Requires C11 and GNU C extensions (statement expressions, the cleanup attribute),
** as GCC and Clang provide.
*/
#ifndef HEAPLAB_H
#define HEAPLAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if !defined(HL_RUNTIME_MANUAL) && !defined(HL_RUNTIME_GC) && !defined(HL_RUNTIME_OWNED) && \
    !defined(HL_RUNTIME_REGION)
#error "heaplab: build with $(pkg-config --cflags heaplab-manual|heaplab-gc|heaplab-owned|heaplab-region)"
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------------------------
** Handles and type descriptors
** ---------------------------------------------------------------------------------------- */

/* A handle to a heap object: 8 bytes in every runtime. manual and gc keep a pointer in it;
** owned keeps a slot index and a generation. Treat it as opaque. */
typedef struct { uintptr_t bits; } hl_ref;

#define HL_NULL ((hl_ref){0})

/* What a struct type looks like to the runtime: its size and where its owned hl_ref fields
** are, so that dropping an object can drop what it owns ("drop glue"). */
typedef struct hl_type {
    const char   *name;   /* for diagnostics */
    size_t        size;   /* bytes of one object */
    size_t        nrefs;  /* how many owned hl_ref fields it has */
    const size_t *refs;   /* their offsets (offsetof), in declaration order */
} hl_type;

/* HL_TYPE(T, field...) defines `const hl_type T_type` for the struct typedef T, listing T's
** owned hl_ref fields by name (none for a struct that owns nothing). Types are compared by
** descriptor address: a type used in several files has one descriptor, declared
** `extern const hl_type T_type;` in a header and defined with HL_TYPE in one file.
** Fields that hold non-owning copies of handles (back links, indices) are not listed. */
#define HL_TYPE(T, ...)                                                                    \
    static const size_t T##_type_refs[] = {HL__OFFSETS(T, __VA_ARGS__)};                   \
    const hl_type T##_type = {#T, sizeof(T),                                               \
                              sizeof(T##_type_refs) / sizeof(size_t) - 1, T##_type_refs}

/* A source location, captured by the API macros for diagnostics. */
typedef struct hl_site {
    const char *file;
    int         line;
    uint32_t    id;       /* runtime-private (owned: interned index); starts at 0 */
    uint32_t    hint;     /* runtime-private (owned: the type id a borrow here expects, cached);
                             starts at HL__NO_HINT */
    const void *fast_type;   /* runtime-private (manual: the type hl_new or HL_LOCAL here made */
    uintptr_t   fast_word;   /* last, and its handle tag; heaplab/direct_fast.h); start 0 */
} hl_site;

/* ------------------------------------------------------------------------------------------
** Lifetime
** ---------------------------------------------------------------------------------------- */

/* Start the runtime. Call it before any other call; calling it again while running is
** harmless, and a first allocation before it (hl_new, a buffer) starts the runtime as hl_init
** does, statistics requested in the environment included. After hl_shutdown it starts a
** fresh runtime (handles from before are invalid), as does an allocation then. */
void hl_init(void);

/* Stop the runtime. Returns the number of objects still owned (leaks) where the runtime
** knows: owned always, manual in a run that requested statistics (HEAPLAB_STATS, see hl_stats:
** as plain C, a timed manual run counts nothing), else 0 (gc, and region, whose drops free
** nothing). owned also prints
**   heaplab: warning: N objects (B bytes) leaked
** with the allocation sites. Drop roots before calling it; drops after it are harmless
** no-ops. Writes the statistics file when HEAPLAB_STATS is set (see hl_stats below). */
size_t hl_shutdown(void);

/* A zeroed object of type *t, owned by the caller. Allocation failure is reported
** ("heaplab: error: out of memory allocating N bytes for T") and exits with status 101. */
hl_ref hl_new(const hl_type *t);

/* A zeroed pointer-free buffer of n bytes (n may be 0). */
hl_ref hl_new_bytes(size_t n);

/* A pointer-free buffer of n bytes whose content is unspecified until the program writes it
** (Rust: Box::new_uninit_slice), for a buffer the program fills before it reads it, as C code
** fills what malloc returns. It saves hl_new_bytes's clearing where nothing reads the zeros.
** manual, gc, region and owned-off hand out the block as their allocator returns it (it may
** hold an earlier object's bytes: reading a byte before writing it reads that garbage, as in
** C). owned and owned-fast zero it all the same: a checked runtime never lets a program read
** memory it did not write (Rust allows such reads only through unsafe code). Allocation
** failure is reported as hl_new_bytes reports it. */
hl_ref hl_new_bytes_uninit(size_t n);

/* A zeroed array of n owned hl_ref elements (vectors, buckets, arenas). */
hl_ref hl_new_refs(size_t n);

/* Elements of a bytes or refs buffer. Allowed at any time on a live buffer, even while it is
** borrowed. */
size_t hl_len(hl_ref buf);

/* Change a bytes or refs buffer's length to n: the content is kept, new elements are zero;
** shrinking a refs buffer drops the elements cut off (first to last). Acts as a move into *r:
** older copies of the handle are stale afterwards. Needs exclusive access (no live borrow). */
void hl_resize(hl_ref *r, size_t n);

/* End ownership: owned fields (in declaration order) and elements (first to last) are
** dropped first, iteratively (a list of millions does not overflow the stack), then the
** object; *r becomes HL_NULL. HL_NULL and moved-out values are a no-op. */
void hl_drop(hl_ref *r);

/* Transfer ownership: returns the value; *from becomes moved-out (hl_is_null is true,
** dropping it does nothing). Moving HL_NULL returns HL_NULL. Older copies of the handle are
** stale afterwards (owned); needs no live borrow of the object (Rust cannot move out of a
** borrowed value either). */
hl_ref hl_move(hl_ref *from);

/* Take the value out of a place, leaving HL_NULL (Rust's Option::take): like hl_move, but
** the place stays usable (empty), so it may be taken or moved from again. The idiom for
** emptying a bucket or a field: `hl_ref chain = hl_take(hl_slot(buckets, i));`. */
hl_ref hl_take(hl_ref *place);

/* True for HL_NULL and for a moved-out variable. Never an error. */
static inline bool hl_is_null(hl_ref r);

/* ------------------------------------------------------------------------------------------
** Checked element access. owned checks liveness, borrow state and bounds; manual and gc
** check nothing (an out-of-range index is undefined behaviour there).
** ---------------------------------------------------------------------------------------- */

/* Byte i of a bytes buffer (a momentary shared borrow). */
uint8_t hl_byte(hl_ref bytes, size_t i);

/* Set byte i of a bytes buffer (a momentary exclusive borrow). */
void hl_set_byte(hl_ref bytes, size_t i, uint8_t v);

/* A non-owning copy of element i of a refs buffer (a momentary shared borrow). */
hl_ref hl_ref_at(hl_ref refs, size_t i);

/* Element i's place, to move into or out of: `*hl_slot(v, i) = hl_move(&x)` or
** `hl_move(hl_slot(v, i))`. Needs exclusive access (no live borrow). The pointer is valid
** until the buffer is resized or dropped. Assigning over an element that still owns an
** object leaks that object (Rust would drop it first): drop the old value first. */
hl_ref *hl_slot(hl_ref refs, size_t i);

/* ------------------------------------------------------------------------------------------
** Borrows. Each macro is a declaration (it may expand to more than one): use it where a
** declaration may stand, not in a `for` initialiser. The borrow is released when the
** enclosing block ends (also on `return`, `break`, `goto` out of it). A borrow remembers the
** handle it was taken on, so reassigning the variable inside the block is harmless.
** ---------------------------------------------------------------------------------------- */
/* HL_READ(T, name, ref);        const T *name: shared borrow, checked against T_type       */
/* HL_WRITE(T, name, ref);       T *name: exclusive borrow                                  */
/* HL_READ_BYTES(name, ref);     const uint8_t *name                                        */
/* HL_WRITE_BYTES(name, ref);    uint8_t *name                                              */
/* HL_READ_REFS(name, ref);      const hl_ref *name                                         */
/* HL_WRITE_REFS(name, ref);     hl_ref *name                                               */
/* HL_OWNED hl_ref x = ...;      x is dropped when its block ends, unless moved out/dropped.
**                               A prefix of the declaration; at owned it expands to two
**                               declarations (a hidden one that tells the drop where x was
**                               declared, for diagnostics), so like the borrow macros it
**                               cannot be a `for` initialiser                              */
/*
** Writing `p->field = hl_move(&x)` through an HL_WRITE pointer stores an owned handle in
** the object; `hl_ref c = p->field` makes a non-owning copy, `hl_move(&p->field)` takes
** ownership out. Objects never move in memory while borrowed, even when other objects are
** allocated meanwhile. */

/* ------------------------------------------------------------------------------------------
** Stack objects: objects in the block's own automatic storage (the stack), used through
** handles exactly like heap objects, so that a program can choose stack or heap per object
** through the one API.
** ---------------------------------------------------------------------------------------- */
/* HL_LOCAL(T, name);          const hl_ref name: a zeroed T on the stack, with T_type's
**                             owned fields                                                */
/* HL_LOCAL_BYTES(name, n);    const hl_ref name: a zeroed bytes buffer of n bytes on the
**                             stack; n is an integer constant expression (a stack frame's
**                             size is fixed at compile time), else the program does not
**                             compile                                                     */
/* HL_LOCAL_REFS(name, n);     const hl_ref name: a refs buffer of n owned handles on the
**                             stack, all HL_NULL (Rust: `[None; n]` of Option<Box<T>>); n
**                             as for HL_LOCAL_BYTES. Its elements are owned fields: what
**                             they hold when the block ends is dropped, in index order    */
/*
** All three are declarations, like the borrow macros (not in a `for` initialiser). The
** object lives until its block ends (also on `return`, `break`, `goto` out of it); then its
** owned fields are dropped as hl_drop drops them, in reverse order together with the block's
** HL_OWNED variables and borrows, and every copy of its handle is stale.
**
** Borrows, the checked accessors and hl_len work on a stack object exactly as on a heap
** object; non-owning copies of its handle may be kept (in locals, in fields that are not
** owned) while its block lives. The block owns it, no handle does: hl_move, hl_take, hl_drop
** and hl_resize of a handle to it are errors, and so is a drop that reaches it through drop
** glue (a copy of its handle stored in an owned field). Rust: a local cannot be moved out of
** through a reference, and a reference to it cannot outlive it ("does not live long enough").
**
** Stack objects are not allocations: the statistics do not count them, hl_shutdown does not
** report them as leaks and hl_region_end does not look at them; what they own is heap like
** anything else. The runtime must be running while a stack object lives (a stack object
** still live at hl_shutdown is forgotten; its owned fields are then leaks).
**
** On manual, gc and region the handle is the object's address in the block's storage, with
** the layout of a heap object of the same kind; misuse is undefined behaviour, as in C. gc
** scans the stack, so heap objects owned by a live stack object stay alive. owned gives the
** object a slot of its own and reports:
**   use after scope end                 any use of a handle to it after its block ended
**                                       (note: `T` declared at file:line)
**   cannot move out of a stack object   hl_move, hl_take, hl_drop, hl_resize of it,
**                                       directly or through an owner's drop glue
*/

/* ------------------------------------------------------------------------------------------
** Regions: a stack discipline for heap objects. A mark is taken; everything allocated from
** then on must be dead when the region ends.
** ---------------------------------------------------------------------------------------- */

/* A region mark. Opaque; copying it is harmless. */
typedef struct hl_region { uint64_t bits; } hl_region;

/* hl_region hl_region_begin(void);
**   Begin a region: objects allocated from now on (hl_new, hl_new_bytes, hl_new_refs) and
**   buffers resized from now on (the region runtime allocates a resized buffer anew) belong
**   to it.
** void hl_region_end(hl_region m);
**   End the region begun at m: every object that belongs to it must be dead (dropped, or
**   owned by something dropped) by now. Regions nest (LIFO): ending a region also ends the
**   regions begun inside it that are still open. Ending a region that has already ended,
**   directly or through an enclosing one, does nothing (Rust makes the second end
**   impossible: ending consumes the mark). hl_shutdown ends every open region.
**
** manual, gc    begin returns a token; end checks nothing.
** owned         end checks the discipline: an object allocated (or resized) since m and
**               still live is an error, "region ended with live objects", at the
**               hl_region_end call, with notes naming the first such object's type and
**               allocation site and how many there are. A program that passes on owned
**               is correct on the region runtime.
** region        end releases everything allocated since m in one step; misuse (an object
**               of the region used after its end) is undefined behaviour.
** Rust: an arena such as bumpalo's Bump, reset at the end of each phase; a value allocated
** in it cannot outlive it (a bumpalo Vec lives no longer than its Bump). */

/* ------------------------------------------------------------------------------------------
** Slices: a buffer borrowed once, then indexed with a bounds check (Rust's &[T], &mut [T]).
** A loop over a buffer should not validate the buffer's handle again for every element:
** borrow it once as a slice and index the slice. The slice macros are declarations, like the
** borrow macros above, and the borrow lasts until the enclosing block ends.
** ---------------------------------------------------------------------------------------- */
/* HL_READ_SLICE(T, s, buf);   s: a shared borrow of the buffer buf as elements of type T   */
/* HL_WRITE_SLICE(T, s, buf);  s: an exclusive borrow                                       */
/* HL_READ_VEC(T, s, &v);      s: a shared borrow of the first hl_vec_len(&v) elements of
**                             the vector v (see below); empty when v has no buffer yet     */
/* HL_WRITE_VEC(T, s, &v);     the same, exclusive                                          */
/* s.ptr, s.len                the first element (const T * or T *) and how many were
**                             borrowed; s itself is const                                  */
/* HL_SLICE(T), HL_SLICE_MUT(T)  the types of shared and exclusive slices of T, to pass a
**                             slice to a function, as Rust passes &[T] and &mut [T]:
**                             `static uint32_t sum(HL_SLICE(uint32_t) s)`; the callee
**                             indexes it with HL_AT; it stays valid while the caller's
**                             borrow lives (the whole call)                                */
/* HL_SLICE_SHARED(T, s)       an exclusive slice passed where a shared one is expected
**                             (&mut [T] coerces to &[T])                                   */
/* HL_SLICE_TYPES(T);          declares the two slice types of element type T, once per
**                             file, at file scope: T is a type name of one identifier (a
**                             typedef). They are declared here for the integer types of
**                             <stdint.h>, float, double and hl_ref.                        */
/* HL_AT(s, i)                 element i, an lvalue (assignable through a write slice),
**                             after checking i < s.len                                     */
/* HL_RANGE(s, i, n)           a pointer to the n elements from i (for memcpy, memcmp,
**                             hashing a run), after checking i + n <= s.len                */
/*
** The element type. T = hl_ref borrows a refs buffer: its elements are owned handles, as
** through HL_READ_REFS/HL_WRITE_REFS (`HL_AT(s, i) = hl_move(&x)` stores one into an empty
** element, `hl_take(&HL_AT(s, i))` takes one out; a copy `hl_ref e = HL_AT(s, i)` is
** non-owning). Any other T borrows a bytes buffer viewed as an array of T: T must be plain
** data (no handles: a bytes buffer is neither scanned nor dropped) aligned to at most 8
** bytes, and s.len is hl_len(buf) / sizeof(T), rounded down. A buffer written as one T and
** read as another follows C's aliasing rules (unsigned char may read anything).
** Rust: `&[Option<Box<X>>]`, `&[u32]`, `&mut [u8]`, `&v[..]`.
**
** What is checked. Taking a slice is a borrow: on owned it is checked exactly as
** HL_READ_BYTES/HL_READ_REFS (or the WRITE forms) would check it (null handle, use of moved
** value, use after free, type mismatch between bytes and refs, already (mutably) borrowed).
** The length is read once; the buffer cannot be resized while borrowed, so HL_AT and
** HL_RANGE then check only the index against s.len. owned and owned-fast check every index,
** as Rust does; manual, gc and region check none by default, as a C array access checks
** none (the contract's checked accessors, hl_byte and the rest, are unchecked there too), and
** check them all when the program defines HL_CHECKED_INDEX before including this header
** (-DHL_CHECKED_INDEX); owned-off checks nothing, this included. A checked index out of range
** is reported like a Rust panic (exit status 101):
**     heaplab: error: index out of bounds
**       --> file:line
**        = note: the len is N but the index is I
** (HL_RANGE: "range end index E out of range for slice of length N"); owned adds where the
** buffer was allocated. s.ptr[i] is a raw access, checked nowhere.
*/

/* ------------------------------------------------------------------------------------------
** Vectors: a buffer that keeps its own length (Rust's Vec<T>). An hl_vec is a small struct
** the program keeps by value, in a local or in a field of an object; its buffer's length is
** the capacity. T as for slices: hl_ref for a vector of owned handles (a refs buffer,
** Vec<Option<Box<X>>>), plain data for a bytes buffer viewed as T (Vec<u8>, Vec<u32>); a
** vector is used with one T throughout.
** ---------------------------------------------------------------------------------------- */
typedef struct hl_vec {
    hl_ref buf;   /* owned bytes or refs buffer, HL_NULL until the first push */
    size_t len;   /* elements in use: the first len elements of buf */
} hl_vec;

/* HL_VEC_NEW                      an empty vector with no buffer (Vec::new())              */
/* HL_VEC_WITH_CAPACITY(T, n)      an empty vector with room for n (Vec::with_capacity(n))  */
/* HL_VEC_PUSH(T, &v, x);          append x (v.push(x)); T = hl_ref: x is an owned handle
**                                 the vector takes over (pass hl_move(&h))                 */
/* HL_VEC_POP(T, &v)               remove and return the last element (v.pop()); a zero T
**                                 (HL_NULL) when v is empty; T = hl_ref: the caller owns it */
/* hl_vec_len(&v)                  elements in use (v.len())                                */
/* HL_VEC_CAP(T, &v)               capacity in elements (v.capacity())                      */
/* HL_VEC_TRUNCATE(T, &v, n);      keep the first n elements (v.truncate(n)); handles cut
**                                 off are dropped, first to last                           */
/* HL_VEC_SHRINK_TO(T, &v, n);     capacity down to max(len, n) (v.shrink_to(n))            */
/* HL_VEC_SHRINK_TO_FIT(T, &v);    capacity down to len (v.shrink_to_fit())                 */
/* hl_vec_extend(&v, src, n);      append n bytes from src to a vector of uint8_t
**                                 (v.extend_from_slice(&src[..n]))                         */
/* hl_drop(&v.buf);                drop the vector and the handles it holds (drop(v))       */
/* HL_OWNED_VEC hl_vec v = ...;    v's buffer is dropped when its block ends, unless moved
**                                 out (a Vec local); two declarations at owned, as HL_OWNED */
/*
** A full vector grows by doubling its capacity (at least 8 one-byte or 4 larger elements), as
** hl_resize does, so a push may replace v.buf's handle: keep no copies of it. Elements of a
** bytes vector past len are unspecified, as a Rust Vec's spare capacity is: a truncate or a
** pop leaves them as they were, and on manual, gc and region a growth does not clear the
** capacity it adds (a C array grown with realloc is not cleared either); owned clears it.
** Push, pop, truncate and shrink need exclusive access to the buffer (no live slice of it), as
** &mut self does in Rust; on owned they are checked as writes to it. Elements of a refs vector
** past len are always HL_NULL, so dropping the buffer drops exactly the elements in use. A
** vector field of an object is owned through its buffer: list `field.buf` in HL_TYPE, e.g.
** `HL_TYPE(Node, edges.buf)`. len is a plain field: a len larger than the capacity (only by
** writing it directly) is reported as index out of bounds where it is used, as an index is
** (see the slices above); manual, gc and region's out-of-line vector operations (a push that
** grows, truncate, shrink) report it always. */

static inline size_t hl_vec_len(const hl_vec *v) { return v->len; }

/* ------------------------------------------------------------------------------------------
** Helpers
** ---------------------------------------------------------------------------------------- */

/* hl_swap(a, b): exchange the values of two places of the same type (std::mem::swap(a, b)):
** `hl_swap(&x, &y)`, `hl_swap(hl_slot(v, i), hl_slot(v, j))`. For hl_ref places it is two
** moves (on owned each must hold a live, unborrowed object or HL_NULL, and copies of both
** handles are stale afterwards); values of any other type are exchanged as they are. */

/* A new bytes buffer holding a copy of src[0 .. n) (Rust's `src[..n].to_vec()`), and one
** holding the bytes of the C string s without its terminating NUL (`s.as_bytes().to_vec()`;
** hl_len is strlen(s)). */
hl_ref hl_bytes_from(const void *src, size_t n);
hl_ref hl_bytes_from_cstr(const char *s);

/* ------------------------------------------------------------------------------------------
** Statistics
** ---------------------------------------------------------------------------------------- */

/* Counters since the runtime started: since hl_shutdown last ran (or the process started), so
** that objects allocated before a first hl_init (an implicit start) count. Fields a runtime
** cannot know are 0 (gc does not see frees; manual, owned and region have no collections or GC
** heap). region frees nothing on hl_drop: its frees are the objects released by hl_region_end,
** and its live figures count everything not yet released that way. Objects are always counted
** on owned and region (owned's hl_shutdown counts leaks from them, region's release
** accounting its live figures); the byte fields (bytes_allocated, peak_live_bytes), and
** manual's and gc's object counts, only when statistics are requested, that is when the
** environment variable HEAPLAB_STATS exists when hl_init runs (an empty value requests the
** counts without a file), and are 0 otherwise: keeping them costs every allocation and free at
** least an instruction, which a timed run should not pay (a C program pays none; on manual
** the statistics run is also the one whose hl_shutdown counts leaks). */
typedef struct hl_stats {
    uint64_t allocations;      /* objects and buffers created */
    uint64_t frees;            /* objects and buffers freed (manual, owned; region: released) */
    uint64_t bytes_allocated;  /* payload bytes requested, including resizes' growth */
    uint64_t live_objects;     /* allocations - frees (manual, owned, region) */
    uint64_t peak_live_bytes;  /* highest payload bytes live at once (manual, owned, region) */
    uint64_t collections;      /* GC cycles (gc) */
    uint64_t gc_heap_bytes;    /* GC heap size at the time of the call (gc; Boehm's heap
                                  does not shrink, so at exit this is its peak) */
} hl_stats;

hl_stats hl_get_stats(void);

/* The name of the runtime this program was built with: "manual", "gc", "owned",
** "owned-fast", "owned-off" or "region". */
const char *hl_runtime_name(void);

/* When the environment variable HEAPLAB_STATS names a file, hl_shutdown (or, if the program
** never calls it, process exit) writes one JSON object there. A regular file is replaced whole
** (a temporary in the same directory, renamed); anything else (a symlink, a device such as
** /dev/stdout, a FIFO) is written in place, so no link or device node is ever replaced:
**   {"runtime": "owned", "allocations": N, "frees": N, "bytes_allocated": N,
**    "live_objects": N, "peak_live_bytes": N, "collections": N, "gc_heap_bytes": N}   */

/* ==========================================================================================
** Implementation details below: nothing here is part of the contract.
** ======================================================================================== */

#define HL__CAT2(a, b) a##b
#define HL__CAT(a, b) HL__CAT2(a, b)
#if defined(__GNUC__) || defined(__clang__)
#define HL__LIKELY(x) __builtin_expect(!!(x), 1)
#define HL__UNLIKELY(x) __builtin_expect(!!(x), 0)
#define HL__COLD __attribute__((cold, noinline))
/* A slow path that returns (fills a cache, grows a buffer): out of line, but not cold, since
** GCC treats the code after a call to a cold function as cold too and may move the caller's
** loop into its cold section for good once the call has been made. */
#define HL__SLOW __attribute__((noinline))
#define HL__NORETURN __attribute__((noreturn))
#else
#error "heaplab needs GCC or Clang (GNU C extensions)"
#endif

/* The descriptors of bytes and refs buffers (a buffer's "type" in diagnostics). */
extern const hl_type hl__bytes_type, hl__refs_type;

/* The location of the macro's caller, as a pointer to a static hl_site. */
#define HL__NO_HINT 0xFFFF0000u
#define HL__SITE                                                                           \
    ({                                                                                     \
        static hl_site hl__site_ = {.file = __FILE__, .line = __LINE__, .hint = HL__NO_HINT}; \
        &hl__site_;                                                                        \
    })

/* HL__OFFSETS(T, a, b) -> offsetof(T, a), offsetof(T, b), 0   (up to 16 fields). The
** trailing 0 keeps the array non-empty for types that own nothing; nrefs excludes it. */
#define HL__OFF(T, f) offsetof(T, f),
#define HL__NARGS(...)                                                                     \
    HL__NARGS_(0 __VA_OPT__(, ) __VA_ARGS__, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)
#define HL__NARGS_(z, _1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12, _13, _14, _15, _16, n, ...) n
#define HL__OFFSETS(T, ...) HL__OFFN(HL__NARGS(__VA_ARGS__), T, __VA_ARGS__) 0
#define HL__OFFN(n, T, ...) HL__CAT(HL__OFF_, n)(T, __VA_ARGS__)
#define HL__OFF_0(T, ...)
#define HL__OFF_1(T, a, ...) HL__OFF(T, a)
#define HL__OFF_2(T, a, ...) HL__OFF(T, a) HL__OFF_1(T, __VA_ARGS__)
#define HL__OFF_3(T, a, ...) HL__OFF(T, a) HL__OFF_2(T, __VA_ARGS__)
#define HL__OFF_4(T, a, ...) HL__OFF(T, a) HL__OFF_3(T, __VA_ARGS__)
#define HL__OFF_5(T, a, ...) HL__OFF(T, a) HL__OFF_4(T, __VA_ARGS__)
#define HL__OFF_6(T, a, ...) HL__OFF(T, a) HL__OFF_5(T, __VA_ARGS__)
#define HL__OFF_7(T, a, ...) HL__OFF(T, a) HL__OFF_6(T, __VA_ARGS__)
#define HL__OFF_8(T, a, ...) HL__OFF(T, a) HL__OFF_7(T, __VA_ARGS__)
#define HL__OFF_9(T, a, ...) HL__OFF(T, a) HL__OFF_8(T, __VA_ARGS__)
#define HL__OFF_10(T, a, ...) HL__OFF(T, a) HL__OFF_9(T, __VA_ARGS__)
#define HL__OFF_11(T, a, ...) HL__OFF(T, a) HL__OFF_10(T, __VA_ARGS__)
#define HL__OFF_12(T, a, ...) HL__OFF(T, a) HL__OFF_11(T, __VA_ARGS__)
#define HL__OFF_13(T, a, ...) HL__OFF(T, a) HL__OFF_12(T, __VA_ARGS__)
#define HL__OFF_14(T, a, ...) HL__OFF(T, a) HL__OFF_13(T, __VA_ARGS__)
#define HL__OFF_15(T, a, ...) HL__OFF(T, a) HL__OFF_14(T, __VA_ARGS__)
#define HL__OFF_16(T, a, ...) HL__OFF(T, a) HL__OFF_15(T, __VA_ARGS__)

/* Counters behind hl_get_stats, updated inline by every runtime's allocation paths.
** Object counts are always kept where the runtime needs them in every run (owned, region);
** byte totals, and manual's and gc's object counts, only when statistics were requested
** (hl__count_bytes, see hl_stats), so that a timed run pays one predictable branch for them
** instead of the bookkeeping (the inline paths of manual and gc not even that:
** heaplab/direct_fast.h).
** live_bytes is the running payload total that peak_live_bytes tracks; runtimes that cannot
** see frees (gc) leave frees and live_bytes alone. */
typedef struct hl__counters {
    uint64_t allocations, frees, bytes_allocated, live_bytes, peak_live_bytes;
} hl__counters;
extern hl__counters hl__count;
extern bool hl__count_bytes;

/* Does the runtime count objects in every run? owned and region do: owned's hl_shutdown
** reports leaks from them in every run, and region's release accounting keeps its live
** figures. manual and gc count objects, like bytes, only when statistics were requested:
** gc reports no leaks, and manual, as plain C, pays nothing for them in a timed run. */
#if defined(HL_RUNTIME_GC) || defined(HL_RUNTIME_MANUAL)
#define HL__COUNTS_ALWAYS 0
#else
#define HL__COUNTS_ALWAYS 1
#endif

/* The byte totals of an allocation of `bytes` of payload (statistics runs only). */
static inline void hl__count_alloc_bytes(size_t bytes) {
    hl__count.bytes_allocated += bytes;
    hl__count.live_bytes += bytes;
    if (hl__count.live_bytes > hl__count.peak_live_bytes) hl__count.peak_live_bytes = hl__count.live_bytes;
}

static inline void hl__count_alloc(size_t bytes) {
    if (HL__COUNTS_ALWAYS) hl__count.allocations++;
    if (HL__UNLIKELY(hl__count_bytes)) {
        if (!HL__COUNTS_ALWAYS) hl__count.allocations++;
        hl__count_alloc_bytes(bytes);
    }
}

static inline void hl__count_free(size_t bytes) {
    hl__count.frees++;
    if (HL__UNLIKELY(hl__count_bytes)) hl__count.live_bytes -= bytes;
}

/* A buffer grew or shrank from old_bytes to new_bytes of payload. */
static inline void hl__count_resize(size_t old_bytes, size_t new_bytes) {
    if (!hl__count_bytes) return;
    if (new_bytes > old_bytes) {
        hl__count.bytes_allocated += new_bytes - old_bytes;
        hl__count.live_bytes += new_bytes - old_bytes;
        if (hl__count.live_bytes > hl__count.peak_live_bytes) hl__count.peak_live_bytes = hl__count.live_bytes;
    } else {
        hl__count.live_bytes -= old_bytes - new_bytes;
    }
}

/* "heaplab: error: out of memory allocating N bytes for T", exit 101 (the runtimes' common.c). */
HL__NORETURN HL__COLD void hl__out_of_memory(size_t bytes, const char *what, const hl_site *at);

/* The API calls take the caller's location; the macros below pass it. Each runtime defines
** the hl__ functions, out of line or inline in its fast-path header (hl__new and hl__drop are
** declared there, since manual and gc define them inline, as they do hl__new_bytes_uninit). */
hl_ref hl__new_bytes(size_t n, const hl_site *at);
#if !defined(HL_RUNTIME_MANUAL) && !defined(HL_RUNTIME_GC)
hl_ref hl__new_bytes_uninit(size_t n, const hl_site *at);
#endif
hl_ref hl__new_refs(size_t n, const hl_site *at);
void   hl__resize(hl_ref *r, size_t n, const hl_site *at);

#define hl_new(t) hl__new((t), HL__SITE)
#define hl_new_bytes(n) hl__new_bytes((n), HL__SITE)
#define hl_new_bytes_uninit(n) hl__new_bytes_uninit((n), HL__SITE)
#define hl_new_refs(n) hl__new_refs((n), HL__SITE)
#define hl_len(buf) hl__len((buf), HL__SITE)
#define hl_resize(r, n) hl__resize((r), (n), HL__SITE)
#define hl_drop(r) hl__drop((r), HL__SITE)
#define hl_move(from) hl__move((from), HL__SITE)
#define hl_take(place) hl__take((place), HL__SITE)
#define hl_byte(b, i) hl__byte((b), (i), HL__SITE)
#define hl_set_byte(b, i, v) hl__set_byte((b), (i), (v), HL__SITE)
#define hl_ref_at(r, i) hl__ref_at((r), (i), HL__SITE)
#define hl_slot(r, i) hl__slot((r), (i), HL__SITE)
#define hl_region_begin() hl__region_begin(HL__SITE)
#define hl_region_end(m) hl__region_end((m), HL__SITE)

/* A stack buffer's n must be an integer constant expression: a stack frame's size is fixed
** when the program is compiled (a variable n fails here rather than becoming a VLA). */
#define HL__LOCAL_CONSTANT(n, macro)                                                       \
    _Static_assert((n) + 1 > 0, macro ": n must be a non-negative integer constant expression")

/* The stack buffers. A stack buffer's storage has a heap buffer's layout, [ size_t len ][ n
** elements of ET ], so that borrows and accessors work on it unchanged; each runtime's header
** defines HL__LOCAL_BUF(name, n, ET, kind), which declares the storage with HL__LOCAL_STORAGE
** and the handle `name` to it (kind: 1 refs, 0 bytes, as HL__KIND). */
#define HL__LOCAL_STORAGE(name, n, ET)                                                     \
    struct {                                                                               \
        size_t len;                                                                        \
        ET     data[(n) ? (n) : 1];                                                        \
    } hl__local_##name
#define HL_LOCAL_BYTES(name, n)                                                            \
    HL__LOCAL_CONSTANT(n, "HL_LOCAL_BYTES");                                               \
    HL__LOCAL_BUF(name, n, uint8_t, 0)
#define HL_LOCAL_REFS(name, n)                                                             \
    HL__LOCAL_CONSTANT(n, "HL_LOCAL_REFS");                                                \
    HL__LOCAL_BUF(name, n, hl_ref, 1)

/* HL_OWNED: drop at the end of the block. The cleanup function gets only the variable's
** address; at owned (the level that remembers sites) HL__OWNED_SITE first declares a hidden
** variable that makes the declaration's site known to it (heaplab/owned_fast.h), so that a
** diagnostic names the declaration. Elsewhere HL__OWNED_SITE is empty. */
void hl__drop_at_scope_end(hl_ref *r);
#define HL_OWNED HL__OWNED_SITE __attribute__((cleanup(hl__drop_at_scope_end)))

/* ---- slices and vectors: what the runtimes' fast-path headers need --------------------- */

/* Is an index checked? owned and owned-fast: always; owned-off: never; manual, gc and region:
** only when HL_CHECKED_INDEX is defined (plain C checks no array index). */
#if defined(HL_RUNTIME_OWNED) && !defined(HL_OWNED_OFF)
#define HL__INDEX_CHECKS 1
#elif defined(HL_RUNTIME_OWNED)
#define HL__INDEX_CHECKS 0
#elif defined(HL_CHECKED_INDEX)
#define HL__INDEX_CHECKS 1
#else
#define HL__INDEX_CHECKS 0
#endif

/* The kind of buffer holding elements of type T, as a code: 1 refs (T = hl_ref), 0 bytes
** (anything else); the buffer units (what hl_len counts) one element takes; the kind's
** descriptor. The fast paths take the code, an integer constant, rather than the descriptor:
** a compiler cannot fold a comparison between the addresses of two extern descriptors. */
#define HL__KIND(T) _Generic(*(T *)0, hl_ref: 1, default: 0)
#define HL__UNITS(kind, es) ((kind) ? (size_t)1 : (size_t)(es))
#define HL__KIND_TYPE(kind) ((kind) ? &hl__refs_type : &hl__bytes_type)
#define HL__SLICE_ALIGN_OK(T)                                                              \
    _Static_assert(_Alignof(T) <= 8, "heaplab: slice and vector elements must be aligned to at most 8 bytes")

/* The slice types (see HL_SLICE_TYPES). hl__obj is runtime-private (owned: the buffer's
** slot, for the allocation note of an index error). */
#define HL_SLICE(T) struct hl_slice_##T
#define HL_SLICE_MUT(T) struct hl_slice_mut_##T
#define HL_SLICE_TYPES(T)                                                                  \
    HL_SLICE(T) { const T *ptr; size_t len; uint32_t hl__obj; };                           \
    HL_SLICE_MUT(T) { T *ptr; size_t len; uint32_t hl__obj; }
#define HL_SLICE_SHARED(T, s) ((HL_SLICE(T)){(s).ptr, (s).len, (s).hl__obj})
HL_SLICE_TYPES(uint8_t);
HL_SLICE_TYPES(int8_t);
HL_SLICE_TYPES(uint16_t);
HL_SLICE_TYPES(int16_t);
HL_SLICE_TYPES(uint32_t);
HL_SLICE_TYPES(int32_t);
HL_SLICE_TYPES(uint64_t);
HL_SLICE_TYPES(int64_t);
HL_SLICE_TYPES(float);
HL_SLICE_TYPES(double);
HL_SLICE_TYPES(hl_ref);

/* "index out of bounds" (exit 101), defined by each runtime. */
HL__NORETURN HL__COLD void hl__index_fail(size_t len, size_t index, uint32_t obj, const hl_site *at);
HL__NORETURN HL__COLD void hl__range_fail(size_t len, size_t start, size_t n, uint32_t obj, const hl_site *at);
HL__NORETURN HL__COLD void hl__vec_len_fail(size_t len, size_t cap, uint32_t obj, const hl_site *at);

#if defined(HL_RUNTIME_OWNED)
#include "heaplab/owned_fast.h"
#else
#include "heaplab/direct_fast.h"
#endif
#ifndef HL__OWNED_SITE
#define HL__OWNED_SITE   /* HL_OWNED is one declaration */
#endif

static inline hl_ref hl__take(hl_ref *place, const hl_site *at) {
    hl_ref v = hl__move(place, at);
    *place = HL_NULL;
    return v;
}

/* ---- slices, vectors and helpers: the part every runtime shares ------------------------------
** Each runtime's fast-path header provides the borrows (HL__SLICE_DECL, HL__VEC_DECL) and the
** vector primitives (hl__vec_place, hl__vec_pop_place); the index checks and the macros'
** shape are written once, here. */




static inline size_t hl__at(size_t i, size_t len, uint32_t obj, const hl_site *at) {
    if (HL__INDEX_CHECKS && HL__UNLIKELY(i >= len)) hl__index_fail(len, i, obj, at);
    return i;
}

static inline size_t hl__range(size_t i, size_t n, size_t len, uint32_t obj, const hl_site *at) {
    if (HL__INDEX_CHECKS && HL__UNLIKELY(n > len || i > len - n)) hl__range_fail(len, i, n, obj, at);
    return i;
}

#define HL_AT(s, i) ((s).ptr[hl__at((i), (s).len, (s).hl__obj, HL__SITE)])
#define HL_RANGE(s, i, n) ((s).ptr + hl__range((i), (n), (s).len, (s).hl__obj, HL__SITE))

#define HL_READ_SLICE(T, name, buf)                                                        \
    HL__SLICE_ALIGN_OK(T);                                                                 \
    HL__SLICE_DECL(read, HL_SLICE(T), const T, name, buf, HL__KIND(T), sizeof(T), HL__CAT(hl__g, __COUNTER__))
#define HL_WRITE_SLICE(T, name, buf)                                                       \
    HL__SLICE_ALIGN_OK(T);                                                                 \
    HL__SLICE_DECL(write, HL_SLICE_MUT(T), T, name, buf, HL__KIND(T), sizeof(T), HL__CAT(hl__g, __COUNTER__))
#define HL_READ_VEC(T, name, v)                                                            \
    HL__SLICE_ALIGN_OK(T);                                                                 \
    HL__VEC_DECL(read, HL_SLICE(T), const T, name, v, HL__KIND(T), sizeof(T), HL__CAT(hl__g, __COUNTER__))
#define HL_WRITE_VEC(T, name, v)                                                           \
    HL__SLICE_ALIGN_OK(T);                                                                 \
    HL__VEC_DECL(write, HL_SLICE_MUT(T), T, name, v, HL__KIND(T), sizeof(T), HL__CAT(hl__g, __COUNTER__))

/* Vectors. hl__vec_place makes room for n more elements (growing the buffer when full) and
** returns the place of the first; hl__vec_pop_place removes the last element and returns its
** place, or NULL when the vector is empty. */
hl_vec hl__vec_with_capacity(int kind, size_t es, size_t n, const hl_site *at);
void   hl__vec_truncate(hl_vec *v, int kind, size_t es, size_t n, const hl_site *at);
void   hl__vec_shrink_to(hl_vec *v, int kind, size_t es, size_t n, const hl_site *at);

#define HL_VEC_NEW ((hl_vec){HL_NULL, 0})
static inline void hl__vec_drop_at_scope_end(hl_vec *v) {
    hl__drop_at_scope_end(&v->buf);
    v->len = 0;
}
#define HL_OWNED_VEC HL__OWNED_SITE __attribute__((cleanup(hl__vec_drop_at_scope_end)))
#define HL_VEC_WITH_CAPACITY(T, n) hl__vec_with_capacity(HL__KIND(T), sizeof(T), (n), HL__SITE)
#define HL_VEC_PUSH(T, v, x)                                                               \
    do {                                                                                   \
        HL__SLICE_ALIGN_OK(T);                                                             \
        T hl__vx_ = (x);                                                                   \
        *(T *)hl__vec_place((v), HL__KIND(T), sizeof(T), 1, HL__SITE) = hl__vx_;          \
    } while (0)
/* The popped place is cleared, so a refs vector's elements past len stay HL_NULL. */
#define HL_VEC_POP(T, v)                                                                   \
    ({                                                                                     \
        T *hl__vp_ = (T *)hl__vec_pop_place((v), HL__KIND(T), sizeof(T), HL__SITE);        \
        T hl__vr_ = {0};                                                                   \
        if (hl__vp_) {                                                                     \
            hl__vr_ = *hl__vp_;                                                            \
            *hl__vp_ = (T){0};                                                             \
        }                                                                                  \
        hl__vr_;                                                                           \
    })
#define HL_VEC_CAP(T, v) hl__vec_capacity((v), HL__KIND(T), sizeof(T), HL__SITE)
#define HL_VEC_TRUNCATE(T, v, n) hl__vec_truncate_inline((v), HL__KIND(T), sizeof(T), (n), HL__SITE)
#define HL_VEC_SHRINK_TO(T, v, n) hl__vec_shrink_to((v), HL__KIND(T), sizeof(T), (n), HL__SITE)
#define HL_VEC_SHRINK_TO_FIT(T, v) hl__vec_shrink_to((v), HL__KIND(T), sizeof(T), 0, HL__SITE)

/* Truncating a bytes vector only shortens len (its buffer is left as it is, so a slice
** borrowed before stays valid); a refs vector drops what it cuts off, out of line. */
static inline void hl__vec_truncate_inline(hl_vec *v, int kind, size_t es, size_t n, const hl_site *at) {
    if (kind == 0) {
        if (n < v->len) v->len = n;
        return;
    }
    hl__vec_truncate(v, kind, es, n, at);
}

static inline void hl__vec_extend(hl_vec *v, const void *src, size_t n, const hl_site *at) {
    if (n == 0) return;
    memcpy(hl__vec_place(v, 0, 1, n, at), src, n);
}
#define hl_vec_extend(v, src, n) hl__vec_extend((v), (src), (n), HL__SITE)

/* hl_swap: hl_ref places go through hl__swap_refs (moves), others are exchanged. */
static inline void hl__swap_refs(hl_ref *a, hl_ref *b, const hl_site *at) {
    if (a == b) return;
    hl_ref x = hl__move(a, at), y = hl__move(b, at);
    *a = y;
    *b = x;
}
#define HL__SWAP_VALUES(a, b)                                                              \
    ({                                                                                     \
        __typeof__(a) hl__sa_ = (a), hl__sb_ = (b);                                        \
        __typeof__(*hl__sa_) hl__st_ = *hl__sa_;                                           \
        *hl__sa_ = *hl__sb_;                                                               \
        *hl__sb_ = hl__st_;                                                                \
        (void)0;                                                                           \
    })
#define hl_swap(a, b)                                                                      \
    ({                                                                                     \
        _Static_assert(__builtin_types_compatible_p(__typeof__(*(a)), __typeof__(*(b))),   \
                       "hl_swap: the two places must have the same type");                 \
        _Generic((a), hl_ref *: hl__swap_refs((hl_ref *)(void *)(a), (hl_ref *)(void *)(b), HL__SITE), \
                 default: HL__SWAP_VALUES(a, b));                                          \
    })

/* A new buffer, filled through an exclusive slice of it: the same code on every runtime. Every
** byte is written before the buffer is returned, so it need not be cleared first. */
static inline hl_ref hl__bytes_from(const void *src, size_t n, const hl_site *at) {
    hl_ref b = hl__new_bytes_uninit(n, at);
    if (n) {
        HL_WRITE_SLICE(uint8_t, d, b);
        memcpy(HL_RANGE(d, 0, n), src, n);
    }
    return b;
}
#define hl_bytes_from(src, n) hl__bytes_from((src), (n), HL__SITE)
#define hl_bytes_from_cstr(s) hl__bytes_from_cstr((s), HL__SITE)
static inline hl_ref hl__bytes_from_cstr(const char *s, const hl_site *at) { return hl__bytes_from(s, strlen(s), at); }

#ifdef __cplusplus
}
#endif
#endif /* HEAPLAB_H */
