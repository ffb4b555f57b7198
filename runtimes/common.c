/*
** common.c: the code the three runtimes share: statistics export, fatal diagnostics,
** buffer descriptors, size arithmetic and the drop worklist. See runtime.h.
*/
#define _GNU_SOURCE   /* mkstemp, lstat, fdopen: before the first system header */
#include "runtime.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const hl_type hl__bytes_type = {"bytes", 1, 0, NULL};
const hl_type hl__refs_type = {"refs", sizeof(hl_ref), 0, NULL};

hl__counters hl__count;
bool hl__count_bytes;

/* ---- statistics ------------------------------------------------------------------------ */

static bool stats_pending;   /* HEAPLAB_STATS not yet written since it was last read */

static void stats_at_exit(void) { hl__stats_export(); }

/* Read HEAPLAB_STATS: whether byte totals are kept and a file is owed. At process start (a
** program's first hl_new may come before hl_init, or hl_init never), and again at hl_init. */
static void stats_request(void) {
    static bool registered;
    hl__count_bytes = getenv("HEAPLAB_STATS") != NULL;
    stats_pending = hl__count_bytes;
    if (stats_pending && !registered) {
        registered = true;
        atexit(stats_at_exit);
    }
}

__attribute__((constructor)) static void stats_at_start(void) { stats_request(); }

void hl__start(void) {
    hl__signals_install();
    stats_request();
}

/* The counters restart at hl_shutdown, not at hl_init: objects a program allocated before
** its first hl_init (an implicit start) are still counted when hl_init comes. */
void hl__stop(void) {
    hl__stats_export();
    memset(&hl__count, 0, sizeof hl__count);
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

/* The statistics file is written so that a reader never sees half an object and nothing the
** program does not own is replaced:
**  - a regular file (or a path that does not exist yet) gets a private temporary file made
**    with mkstemp in the same directory, renamed over it;
**  - anything else (a symlink, a device such as /dev/stdout, a FIFO) is written in place,
**    through the link: renaming over it would replace the link or the device node. */
static bool stats_write(FILE *f, const hl_stats *s) {
    fprintf(f,
            "{\"runtime\": \"%s\", \"allocations\": %llu, \"frees\": %llu, \"bytes_allocated\": %llu, "
            "\"live_objects\": %llu, \"peak_live_bytes\": %llu, \"collections\": %llu, "
            "\"gc_heap_bytes\": %llu}\n",
            hl_runtime_name(), (unsigned long long)s->allocations, (unsigned long long)s->frees,
            (unsigned long long)s->bytes_allocated, (unsigned long long)s->live_objects,
            (unsigned long long)s->peak_live_bytes, (unsigned long long)s->collections,
            (unsigned long long)s->gc_heap_bytes);
    return !ferror(f);
}

static bool stats_write_in_place(const char *path, const hl_stats *s) {
    FILE *f = fopen(path, "w");
    if (!f) return false;
    bool ok = stats_write(f, s);
    return fclose(f) == 0 && ok;
}

static bool stats_write_replacing(const char *path, const hl_stats *s) {
    size_t n = strlen(path) + sizeof ".XXXXXX";
    char *tmp = malloc(n);
    if (!tmp) return false;
    snprintf(tmp, n, "%s.XXXXXX", path);
    int fd = mkstemp(tmp);
    FILE *f = fd < 0 ? NULL : fdopen(fd, "w");
    bool ok = f && stats_write(f, s);
    if (f) ok = fclose(f) == 0 && ok;
    else if (fd >= 0) close(fd);
    /* mkstemp makes the file 0600; a statistics file is as readable as any the program makes. */
    if (ok) {
        mode_t mask = umask(0);
        umask(mask);
        ok = chmod(tmp, 0666 & ~mask) == 0 && rename(tmp, path) == 0;
    }
    if (!ok && fd >= 0) unlink(tmp);
    free(tmp);
    return ok;
}

void hl__stats_export(void) {
    const char *path = getenv("HEAPLAB_STATS");
    if (!stats_pending || !path || !*path) return;
    stats_pending = false;
    hl_stats s = hl_get_stats();
    struct stat st;
    bool replace = lstat(path, &st) != 0 ? errno == ENOENT : S_ISREG(st.st_mode);
    if (!(replace ? stats_write_replacing(path, &s) : stats_write_in_place(path, &s)))
        fprintf(stderr, "heaplab: warning: cannot write statistics to %s\n", path);
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
    hl__backtrace();
    fflush(stderr);
    _Exit(HL_EXIT_PANIC);
}

void hl__out_of_memory(size_t bytes, const char *what, const hl_site *at) {
    fflush(stdout);
    fprintf(stderr, "heaplab: error: out of memory allocating %zu bytes for %s\n", bytes, what);
    if (at) fprintf(stderr, "  --> %s:%d\n", at->file, at->line);
    hl__backtrace();
    fflush(stderr);
    _Exit(HL_EXIT_PANIC);
}

/* ---- drop worklist ---------------------------------------------------------------------- */

void hl__worklist_grow(hl__worklist *w) {
    size_t cap = w->cap ? w->cap * 2 : 256;
    hl_ref *items = realloc(w->items, cap * sizeof *items);
    if (!items) hl__out_of_memory(cap * sizeof *items, "the drop worklist", NULL);
    w->items = items;
    w->cap = cap;
}

/* ---- index errors -------------------------------------------------------------------------- */

void hl__range_note(size_t len, size_t start, size_t n) {
    if (n > SIZE_MAX - start)
        hl__note("range start index %zu and length %zu overflow", start, n);
    else
        hl__note("range end index %zu out of range for slice of length %zu", start + n, len);
}
