/*
** common.c: the code the three runtimes share: statistics export, fatal diagnostics,
** buffer descriptors, size arithmetic and the drop worklist. See runtime.h.
*/
#include "runtime.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

const hl_type hl__bytes_type = {"bytes", 1, 0, NULL};
const hl_type hl__refs_type = {"refs", sizeof(hl_ref), 0, NULL};

hl__counters hl__count;
bool hl__count_bytes;

/* ---- statistics ------------------------------------------------------------------------ */

static bool stats_pending;   /* HEAPLAB_STATS not yet written since the last hl_init */

static void stats_at_exit(void) { hl__stats_export(); }

void hl__start(void) {
    static bool registered;
    hl__signals_install();
    memset(&hl__count, 0, sizeof hl__count);
    hl__count_bytes = getenv("HEAPLAB_STATS") != NULL;
    stats_pending = hl__count_bytes;
    if (stats_pending && !registered) {
        registered = true;
        atexit(stats_at_exit);
    }
}

hl_stats hl_get_stats(void) {
    hl_stats s = {
        .allocations = hl__count.allocations,
        .frees = hl__count.frees,
        .bytes_allocated = hl__count.bytes_allocated,
        .live_objects = hl__count.allocations - hl__count.frees,
        .peak_live_bytes = hl__count.peak_live_bytes,
    };
    hl__stats_runtime(&s);
    return s;
}

/* Written to a temporary file and renamed, so a reader never sees half an object. */
void hl__stats_export(void) {
    const char *path = getenv("HEAPLAB_STATS");
    if (!stats_pending || !path || !*path) return;
    stats_pending = false;
    hl_stats s = hl_get_stats();
    size_t n = strlen(path) + 16;
    char *tmp = malloc(n);
    if (!tmp) return;
    snprintf(tmp, n, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f) {
        fprintf(stderr, "heaplab: warning: cannot write statistics to %s\n", path);
        free(tmp);
        return;
    }
    fprintf(f,
            "{\"runtime\": \"%s\", \"allocations\": %llu, \"frees\": %llu, \"bytes_allocated\": %llu, "
            "\"live_objects\": %llu, \"peak_live_bytes\": %llu, \"collections\": %llu, "
            "\"gc_heap_bytes\": %llu}\n",
            hl_runtime_name(), (unsigned long long)s.allocations, (unsigned long long)s.frees,
            (unsigned long long)s.bytes_allocated, (unsigned long long)s.live_objects,
            (unsigned long long)s.peak_live_bytes, (unsigned long long)s.collections,
            (unsigned long long)s.gc_heap_bytes);
    if (fclose(f) != 0 || rename(tmp, path) != 0)
        fprintf(stderr, "heaplab: warning: cannot write statistics to %s\n", path);
    free(tmp);
}

/* ---- fatal diagnostics ------------------------------------------------------------------ */

void hl__panic_begin(const char *kind, const hl_site *at) {
    fflush(stdout);
    fprintf(stderr, "heaplab: error: %s\n", kind);
    if (at) fprintf(stderr, "  --> %s:%d\n", at->file, at->line);
}

void hl__note(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("   = note: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

void hl__panic_end(void) {
    fflush(stderr);
    _Exit(HL_EXIT_PANIC);
}

void hl__out_of_memory(size_t bytes, const char *what, const hl_site *at) {
    fflush(stdout);
    fprintf(stderr, "heaplab: error: out of memory allocating %zu bytes for %s\n", bytes, what);
    if (at) fprintf(stderr, "  --> %s:%d\n", at->file, at->line);
    fflush(stderr);
    _Exit(HL_EXIT_PANIC);
}

size_t hl__size(size_t a, size_t b, size_t c, const char *what, const hl_site *at) {
    size_t ab, r;
    if (__builtin_mul_overflow(a, b, &ab) || __builtin_add_overflow(ab, c, &r))
        hl__out_of_memory(SIZE_MAX, what, at);
    return r;
}

/* ---- drop worklist ---------------------------------------------------------------------- */

void hl__worklist_grow(hl__worklist *w) {
    size_t cap = w->cap ? w->cap * 2 : 256;
    hl_ref *items = realloc(w->items, cap * sizeof *items);
    if (!items) hl__out_of_memory(cap * sizeof *items, "the drop worklist", NULL);
    w->items = items;
    w->cap = cap;
}
