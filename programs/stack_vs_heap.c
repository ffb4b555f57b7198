/*
** stack_vs_heap: the lesson's claims about the stack, measured in one program.
**
** The lesson says the stack is very fast, freed automatically when a function returns, fixed
** in size at compile time, and limited. This program measures each of those on the runtime
** it was built for.
**
** 1. Allocation speed. The same recursive computation is done three ways: a merge sort of
**    blocks of 64 random 32-bit values that counts inversions (pairs out of order). Each call
**    that merges needs a small scratch object (a Tally: what its two halves report, 16 bytes)
**    and a scratch buffer (the copy of its left half):
**      c_locals   a plain C struct and array on the stack, no API (`uint32_t left[32]`);
**      api_stack  HL_LOCAL(Tally) and HL_LOCAL_BYTES(32 * 4) through the API: zeroed (the
**                 contract), borrowed to be used, ended with the block;
**      api_heap   hl_new(Tally) and hl_new_bytes(h * 4) for exactly the h values the call
**                 copies (the heap's flexibility), both dropped before the call returns;
**                 each block's sort is a region, so the region runtime reuses its memory.
**    Calls with 8 values or fewer sort by insertion and need no scratch. Each round copies
**    fresh input into the work array (not timed), then times each way's sort of every block
**    with clock_gettime(CLOCK_MONOTONIC); the ways take turns going first, round by round.
**    Reported: each way's median, min and max time per round over the rounds, and the
**    median's ratio to c_locals' (api_stack / c_locals is what borrowing a stack object through
**    the API costs; api_heap / c_locals what a heap allocation per call costs). All three
**    ways must agree (inversions, merges, hash of the sorted values) in every round, else the
**    program says so and exits 1; their common result is the checksum. Timings are not in it,
**    so the checksum line is the same on every runtime.
** 2. The call stack, probed with plain C (no API: this is C's stack, the same on every
**    runtime):
**      frame_bytes  the distance between the addresses of a local array in two consecutive
**                   frames of a recursive function, with a 16-byte and with a 4 KiB array:
**                   the array plus what the compiler adds (return address, saved registers,
**                   alignment);
**      stack_limit  getrlimit(RLIMIT_STACK)'s soft limit ("unlimited", null in the JSON);
**      max_depth    how deep the same function recursed before the stack overflowed:
**                   measured in a forked child that recurses until SIGSEGV, writing its depth
**                   to shared memory at every call; its handler, on an alternate signal
**                   stack, exits quietly. Under an unlimited stack the child first lowers its
**                   own limit to 8 MiB (Linux's usual default), or it would recurse until
**                   memory runs out;
**      vla          the same frame measurement for a variable-length array whose size (64
**                   and 4096 bytes) is read at run time: the caveat to "a frame's size is
**                   fixed at compile time" (HL_LOCAL_BYTES itself refuses a size that is not
**                   a constant).
**
** Output: the figures in words on stdout, then the checksum line; on stderr exactly one line,
** for the driver and the claims report:
**   heaplab-stack: {"runtime": ..., "rounds": R, "calls_per_round": N, "ways": {"c_locals":
**   {"median_s", "min_s", "max_s"}, "api_stack": {...}, "api_heap": {...}},
**   "ratio_api_stack_to_c", "ratio_api_heap_to_c", "stack_limit_bytes": N or null,
**   "frames": [{"local_bytes": 16, "frame_bytes", "max_depth"}, {"local_bytes": 4096, ...}],
**   "vla": {"requested_bytes": [64, 4096], "frame_bytes": [F1, F2]}}
** calls_per_round counts one way's sort calls in one round (merging calls and insertion-sort
** leaves). A probe that could not run (fork failed) reports null.
**
** Size argument: the number of 64-value blocks each way sorts per round (default 32000).
*/
#define _GNU_SOURCE
#include "heaplab.h"
#include "hl_prog.h"
#include "hlp_util.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { BLOCK = 64, CUTOFF = 8, ROUNDS = 7, NWAYS = 3 };

/* ---- the computation: merge sort of a block, counting inversions ------------------------- */

/* What a call's two halves report to it: the recursive calls add to it, the call reads it. */
typedef struct Tally {
    uint64_t inversions;   /* pairs (i < j) with a[i] > a[j] */
    uint64_t merges;       /* calls that merged */
} Tally;
HL_TYPE(Tally);

/* Sorts a[0..n) by insertion; returns its inversions (one per element shifted). */
static uint64_t insertion_sort(uint32_t *a, size_t n) {
    uint64_t inv = 0;
    for (size_t i = 1; i < n; i++) {
        uint32_t v = a[i];
        size_t j = i;
        while (j > 0 && a[j - 1] > v) {
            a[j] = a[j - 1];
            j--;
        }
        inv += i - j;
        a[j] = v;
    }
    return inv;
}

/* Merges the sorted left half (copied to `left`, h values) and the sorted right half a[h..n)
** into a[0..n). Returns the inversions across the halves: each value taken from the right
** half jumps over the left values still waiting. */
static uint64_t merge(uint32_t *a, const uint8_t *left, size_t h, size_t n) {
    size_t i = 0, j = h, k = 0;
    uint64_t inv = 0;
    while (i < h && j < n) {
        uint32_t l = hlp_get_u32(left, i);
        if (a[j] < l) {
            a[k++] = a[j++];
            inv += h - i;
        } else {
            a[k++] = l;
            i++;
        }
    }
    while (i < h) a[k++] = hlp_get_u32(left, i++);   /* what is left of the right half is in place */
    return inv;
}

/* The three ways. They differ only in where a merging call keeps its Tally and its buffer. */

static void sort_c(uint32_t *a, size_t n, Tally *out) {
    if (n <= CUTOFF) {
        out->inversions += insertion_sort(a, n);
        return;
    }
    size_t h = n / 2;
    Tally halves = {0, 0};
    uint32_t left[BLOCK / 2];
    sort_c(a, h, &halves);
    sort_c(a + h, n - h, &halves);
    memcpy(left, a, h * sizeof *a);
    out->inversions += halves.inversions + merge(a, (const uint8_t *)left, h, n);
    out->merges += halves.merges + 1;
}

static void sort_stack(uint32_t *a, size_t n, hl_ref out) {
    if (n <= CUTOFF) {
        HL_WRITE(Tally, o, out);
        o->inversions += insertion_sort(a, n);
        return;
    }
    size_t h = n / 2;
    HL_LOCAL(Tally, halves);
    HL_LOCAL_BYTES(left, BLOCK / 2 * sizeof(uint32_t));
    sort_stack(a, h, halves);
    sort_stack(a + h, n - h, halves);
    HL_WRITE_BYTES(l, left);
    memcpy(l, a, h * sizeof *a);
    HL_READ(Tally, hv, halves);
    HL_WRITE(Tally, o, out);
    o->inversions += hv->inversions + merge(a, l, h, n);
    o->merges += hv->merges + 1;
}

static void sort_heap(uint32_t *a, size_t n, hl_ref out) {
    if (n <= CUTOFF) {
        HL_WRITE(Tally, o, out);
        o->inversions += insertion_sort(a, n);
        return;
    }
    size_t h = n / 2;
    hl_ref halves = hl_new(&Tally_type);
    hl_ref left = hl_new_bytes(h * sizeof *a);
    sort_heap(a, h, halves);
    sort_heap(a + h, n - h, halves);
    {
        HL_WRITE_BYTES(l, left);
        memcpy(l, a, h * sizeof *a);
        HL_READ(Tally, hv, halves);
        HL_WRITE(Tally, o, out);
        o->inversions += hv->inversions + merge(a, l, h, n);
        o->merges += hv->merges + 1;
    }
    hl_drop(&left);
    hl_drop(&halves);
}

/* Calls one sort of n values makes, itself included. */
static uint64_t sort_calls(size_t n) { return n <= CUTOFF ? 1 : 1 + sort_calls(n / 2) + sort_calls(n - n / 2); }

/* ---- timing the three ways --------------------------------------------------------------- */

enum { WAY_C, WAY_STACK, WAY_HEAP };
static const char *const WAY_NAMES[NWAYS] = {"c_locals", "api_stack", "api_heap"};

/* What one way computed in one round. */
typedef struct Result {
    uint64_t inversions, merges, hash;
} Result;

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Sorts every block of a[0 .. nblocks * BLOCK) one way; returns the seconds it took. */
static double sort_blocks(int way, uint32_t *a, size_t nblocks, Tally *total) {
    double t0 = now_s();
    if (way == WAY_C) {
        for (size_t b = 0; b < nblocks; b++) sort_c(a + b * BLOCK, BLOCK, total);
    } else if (way == WAY_STACK) {
        HL_LOCAL(Tally, t);
        for (size_t b = 0; b < nblocks; b++) sort_stack(a + b * BLOCK, BLOCK, t);
        HL_READ(Tally, r, t);
        *total = *r;
    } else {
        hl_ref t = hl_new(&Tally_type);
        for (size_t b = 0; b < nblocks; b++) {
            hl_region block = hl_region_begin();
            sort_heap(a + b * BLOCK, BLOCK, t);
            hl_region_end(block);
        }
        {
            HL_READ(Tally, r, t);
            *total = *r;
        }
        hl_drop(&t);
    }
    return now_s() - t0;
}

/* One round: fresh input, then each way sorts a copy of it, in turns that start with way
** `first`. Fills res and secs per way; returns false when a block came out unsorted. */
static bool run_round(hlp_rng *rng, size_t nblocks, int first, hl_ref input, hl_ref work, Result res[NWAYS],
                      double secs[NWAYS]) {
    size_t nvals = nblocks * BLOCK;
    {
        HL_WRITE_BYTES(in, input);
        for (size_t i = 0; i < nvals; i++) hlp_put_u32(in, i, (uint32_t)hlp_rng_next(rng));
    }
    for (int k = 0; k < NWAYS; k++) {
        int way = (first + k) % NWAYS;
        HL_READ_BYTES(in, input);
        HL_WRITE_BYTES(w, work);
        memcpy(w, in, nvals * sizeof(uint32_t));
        uint32_t *a = (uint32_t *)(void *)w;   /* buffers are 8-byte aligned */
        Tally total = {0, 0};
        secs[way] = sort_blocks(way, a, nblocks, &total);
        uint64_t hash = 0;
        for (size_t i = 0; i < nvals; i++) {
            if (i % BLOCK && a[i - 1] > a[i]) return false;
            hash = hlp_mix(hash, a[i]);
        }
        res[way] = (Result){total.inversions, total.merges, hash};
    }
    return true;
}

/* Median, min and max of n values (sorts them). */
typedef struct Spread {
    double median, min, max;
} Spread;

static int cmp_double(const void *x, const void *y) {
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

static Spread spread(double *v, size_t n) {
    qsort(v, n, sizeof *v, cmp_double);
    double med = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    return (Spread){med, v[0], v[n - 1]};
}

/* ---- the call stack ---------------------------------------------------------------------- */

/* Shared by the probe functions: where they report, and when they stop. */
static struct {
    volatile long *depth;   /* the depth of the latest frame (shared memory in the child) */
    long           stop;    /* the depth at which the recursion returns */
    uintptr_t      addr[4]; /* the address of the local array in the first frames */
} probe;

/* A recursive function with a local array of 16 bytes, and one with 4 KiB. The array is
** volatile and read after the recursive call, so the compiler keeps it and cannot make the
** call a jump. */
__attribute__((noinline)) static long dive_small(long depth) {
    volatile uint8_t local[16];
    local[0] = (uint8_t)depth;
    if (depth < 4) probe.addr[depth] = (uintptr_t)&local[0];
    *probe.depth = depth;
    if (depth == probe.stop) return local[0];
    return dive_small(depth + 1) + local[depth % 16];
}

__attribute__((noinline)) static long dive_large(long depth) {
    volatile uint8_t local[4096];
    local[0] = (uint8_t)depth;
    if (depth < 4) probe.addr[depth] = (uintptr_t)&local[0];
    *probe.depth = depth;
    if (depth == probe.stop) return local[0];
    return dive_large(depth + 1) + local[depth % 4096];
}

/* The same with a variable-length array of n bytes: its frame is sized when the call runs. */
__attribute__((noinline)) static long dive_vla(long depth, size_t n) {
    volatile uint8_t local[n];
    local[0] = (uint8_t)depth;
    if (depth < 4) probe.addr[depth] = (uintptr_t)&local[0];
    *probe.depth = depth;
    if (depth == probe.stop) return local[0];
    return dive_vla(depth + 1, n) + local[(size_t)depth % n];
}

/* The distance between the local arrays of frames 1 and 2 (frame 0's caller differs). */
static long frame_distance(void) {
    uintptr_t a = probe.addr[1], b = probe.addr[2];
    return a > b ? (long)(a - b) : (long)(b - a);
}

static long frame_bytes(long (*dive)(long)) {
    volatile long depth;
    probe.depth = &depth;
    probe.stop = 3;
    dive(0);
    return frame_distance();
}

static long vla_frame_bytes(size_t n) {
    volatile long depth;
    probe.depth = &depth;
    probe.stop = 3;
    dive_vla(0, n);
    return frame_distance();
}

enum { UNLIMITED_PROBE_LIMIT = 8 << 20 };

static void on_overflow(int sig) {
    (void)sig;
    _exit(0);
}

/* The deepest frame dive reached before the stack overflowed (frames counted from 1), or -1
** when the child could not be run. */
static long max_depth(long (*dive)(long)) {
    volatile long *shared = mmap(NULL, sizeof *shared, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (shared == MAP_FAILED) return -1;
    *shared = -1;
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        munmap((void *)shared, sizeof *shared);
        return -1;
    }
    if (pid == 0) {
        /* The child: a handler of its own on an alternate stack (the runtime's would report
        ** the overflow as an error), then down until the stack runs out. */
        static uint8_t altstack[64 * 1024];
        stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0};
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_overflow;
        sa.sa_flags = SA_ONSTACK;
        sigemptyset(&sa.sa_mask);
        if (sigaltstack(&ss, NULL) != 0 || sigaction(SIGSEGV, &sa, NULL) != 0 || sigaction(SIGBUS, &sa, NULL) != 0)
            _exit(3);
        struct rlimit rl;
        if (getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur == RLIM_INFINITY) {
            rl.rlim_cur = UNLIMITED_PROBE_LIMIT;
            if (setrlimit(RLIMIT_STACK, &rl) != 0) _exit(3);
        }
        probe.depth = shared;
        probe.stop = -1;   /* never */
        dive(0);
        _exit(4);          /* not reached */
    }
    int status;
    pid_t waited;
    while ((waited = waitpid(pid, &status, 0)) < 0 && errno == EINTR) {
    }
    bool handled = waited == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    bool killed = waited == pid && WIFSIGNALED(status) && (WTERMSIG(status) == SIGSEGV || WTERMSIG(status) == SIGBUS);
    long depth = (handled || killed) && *shared >= 0 ? *shared + 1 : -1;
    munmap((void *)shared, sizeof *shared);
    return depth;
}

/* ---- output ------------------------------------------------------------------------------ */

static void json_long_or_null(FILE *f, long v) {
    if (v < 0)
        fputs("null", f);
    else
        fprintf(f, "%ld", v);
}

int main(int argc, char **argv) {
    static const hlp_spec spec = {"stack_vs_heap",
                                  "the stack measured: scratch on the C stack, as API stack objects and on the heap; "
                                  "frame sizes, stack limit, depth",
                                  "number of 64-value blocks sorted per way and round", 32000, 1, 1000000};
    size_t nblocks = (size_t)hlp_size_arg(&spec, argc, argv);
    hl_init();

    /* The call stack (figures 2 of the header), probed first: a forked child's peak RSS counts
    ** the pages it shares with its parent, so the probe runs while the parent is still small. */
    struct rlimit rl;
    long limit = getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY ? (long)rl.rlim_cur : -1;
    long (*const dives[2])(long) = {dive_small, dive_large};
    static const long local_bytes[2] = {16, 4096};
    long frames[2], depths[2];
    for (int k = 0; k < 2; k++) {
        frames[k] = frame_bytes(dives[k]);
        depths[k] = max_depth(dives[k]);
    }
    static volatile size_t vla_request[2] = {64, 4096};   /* volatile: sizes known only at run time */
    long vla_frames[2];
    for (int k = 0; k < 2; k++) vla_frames[k] = vla_frame_bytes(vla_request[k]);

    /* The three ways (figures 1), interleaved over the rounds. */
    hlp_rng rng;
    hlp_rng_seed(&rng, 0x57ac);
    HL_OWNED hl_ref input = hl_new_bytes(nblocks * BLOCK * sizeof(uint32_t));
    HL_OWNED hl_ref work = hl_new_bytes(nblocks * BLOCK * sizeof(uint32_t));
    double secs[NWAYS][ROUNDS];
    uint64_t sum = HLP_CHECK_INIT;
    for (int r = 0; r < ROUNDS; r++) {
        Result res[NWAYS];
        double s[NWAYS];
        if (!run_round(&rng, nblocks, r % NWAYS, input, work, res, s)) {
            fprintf(stderr, "stack_vs_heap: error: a block came out unsorted in round %d\n", r);
            return 1;
        }
        for (int w = 1; w < NWAYS; w++)
            if (memcmp(&res[w], &res[WAY_C], sizeof res[w]) != 0) {
                fprintf(stderr, "stack_vs_heap: error: %s and %s disagree in round %d\n", WAY_NAMES[w],
                        WAY_NAMES[WAY_C], r);
                return 1;
            }
        for (int w = 0; w < NWAYS; w++) secs[w][r] = s[w];
        sum = hlp_mix(sum, res[WAY_C].inversions);
        sum = hlp_mix(sum, res[WAY_C].merges);
        sum = hlp_mix(sum, res[WAY_C].hash);
    }
    hl_drop(&input);
    hl_drop(&work);
    uint64_t calls = nblocks * sort_calls(BLOCK);
    sum = hlp_mix(sum, calls);
    Spread t[NWAYS];
    for (int w = 0; w < NWAYS; w++) t[w] = spread(secs[w], ROUNDS);
    double ratio_stack = t[WAY_STACK].median / t[WAY_C].median, ratio_heap = t[WAY_HEAP].median / t[WAY_C].median;

    /* Words on stdout, the checksum line last. */
    printf("merge sort of %zu blocks of %d values, %d rounds, %llu calls per way and round (%s runtime):\n",
           nblocks, BLOCK, ROUNDS, (unsigned long long)calls, hl_runtime_name());
    for (int w = 0; w < NWAYS; w++)
        printf("  %-9s  median %.6f s  (min %.6f, max %.6f)  %.2fx c_locals\n", WAY_NAMES[w], t[w].median, t[w].min,
               t[w].max, t[w].median / t[WAY_C].median);
    if (limit < 0)
        printf("stack limit: unlimited (the depth probe ran with %d MiB)\n", UNLIMITED_PROBE_LIMIT >> 20);
    else
        printf("stack limit: %ld bytes\n", limit);
    for (int k = 0; k < 2; k++)
        printf("frame with a %ld-byte local array: %ld bytes; %ld frames deep when the stack overflowed\n",
               local_bytes[k], frames[k], depths[k]);
    printf("frame with a variable-length array of %zu bytes: %ld bytes; of %zu bytes: %ld bytes\n", vla_request[0],
           vla_frames[0], vla_request[1], vla_frames[1]);
    hlp_print_checksum(&spec, (long long)nblocks, sum);

    /* The machine-readable line on stderr. */
    fprintf(stderr, "heaplab-stack: {\"runtime\": \"%s\", \"rounds\": %d, \"calls_per_round\": %llu, \"ways\": {",
            hl_runtime_name(), ROUNDS, (unsigned long long)calls);
    for (int w = 0; w < NWAYS; w++)
        fprintf(stderr, "%s\"%s\": {\"median_s\": %.9f, \"min_s\": %.9f, \"max_s\": %.9f}", w ? ", " : "",
                WAY_NAMES[w], t[w].median, t[w].min, t[w].max);
    fprintf(stderr, "}, \"ratio_api_stack_to_c\": %.4f, \"ratio_api_heap_to_c\": %.4f, \"stack_limit_bytes\": ",
            ratio_stack, ratio_heap);
    json_long_or_null(stderr, limit);
    fputs(", \"frames\": [", stderr);
    for (int k = 0; k < 2; k++) {
        fprintf(stderr, "%s{\"local_bytes\": %ld, \"frame_bytes\": %ld, \"max_depth\": ", k ? ", " : "",
                local_bytes[k], frames[k]);
        json_long_or_null(stderr, depths[k]);
        fputc('}', stderr);
    }
    fprintf(stderr, "], \"vla\": {\"requested_bytes\": [%zu, %zu], \"frame_bytes\": [%ld, %ld]}}\n", vla_request[0],
            vla_request[1], vla_frames[0], vla_frames[1]);
    return hl_shutdown() == 0 ? 0 : 1;
}
