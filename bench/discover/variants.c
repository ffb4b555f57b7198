/*
** bench/discover/variants.c: discover the runtime variants (see variants.h).
*/
#define _GNU_SOURCE
#include "discover/variants.h"
#include "util/util.h"

#include <dirent.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* build/ subdirectories that are not runtimes. */
static const char *const not_runtimes[] = {"lib", "san", "tests", "pkgconfig", "bench", "peers", "asan", "obj", NULL};

static const char *const known[] = {"manual", "gc", "owned", NULL};

/* What the runtimes make builds besides those three are; any other runtime directory is
** listed too, as found. */
static const char *const about_others[][2] = {
    {"owned-fast", "owned's checks without remembering sites (a diagnostic gives the kind and -->)"},
    {"owned-off", "owned's handle table with no checks: the price of the indirection alone"},
    {"region", "bump allocation in chunks, released at hl_region_end; drops free nothing, no checks"},
};

static const char *about_other(const char *name) {
    for (size_t i = 0; i < sizeof about_others / sizeof *about_others; i++)
        if (!strcmp(about_others[i][0], name)) return about_others[i][1];
    return "runtime found in the build directory";
}

static const char *const valgrind_argv[] = {"valgrind", "-q", "--error-exitcode=99", "--leak-check=full", NULL};

/* Does dir hold at least one executable regular file? */
static int has_binaries(const char *dir) {
    hlb_strlist l = {0};
    hlb_scan_executables(dir, &l);
    int found = l.n > 0;
    hlb_strlist_free(&l);
    return found;
}

void hlb_scan_executables(const char *dir, hlb_strlist *l) {
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char *p = hlb_fmt("%s/%s", dir, e->d_name);
        if (hlb_is_executable(p) && !hlb_strlist_has(l, e->d_name)) hlb_strlist_add(l, e->d_name);
        free(p);
    }
    closedir(d);
}

char *hlb_find_preload(const char *package, const char *soname_prefix) {
    char *cmd = hlb_fmt("dpkg -L %s 2>/dev/null", package), line[4096], *best = NULL;
    FILE *f = popen(cmd, "r");
    free(cmd);
    if (f) {
        while (fgets(line, sizeof line, f)) {
            line[strcspn(line, "\n")] = 0;
            const char *base = strrchr(line, '/');
            base = base ? base + 1 : line;
            if (strncmp(base, soname_prefix, strlen(soname_prefix))) continue;
            struct stat st;
            if (stat(line, &st) != 0 || !S_ISREG(st.st_mode)) continue;
            if (!best || strlen(line) < strlen(best)) {
                free(best);
                best = hlb_xstrdup(line);
            }
        }
        pclose(f);
    }
    if (best) return best;
    static const char *const dirs[] = {"/usr/lib/*-linux-gnu", "/usr/lib", "/usr/local/lib", NULL};
    for (size_t i = 0; dirs[i] && !best; i++) {
        char *pat = hlb_fmt("%s/%s*", dirs[i], soname_prefix);
        glob_t g;
        if (glob(pat, 0, NULL, &g) == 0) {
            for (size_t k = 0; k < g.gl_pathc; k++) {
                struct stat st;
                if (stat(g.gl_pathv[k], &st) == 0 && S_ISREG(st.st_mode)) {
                    best = hlb_xstrdup(g.gl_pathv[k]);
                    break;
                }
            }
            globfree(&g);
        }
        free(pat);
    }
    return best;
}

typedef struct {
    hlb_variant *v;
    size_t n, cap;
} vlist;

static hlb_variant *add(vlist *l, const char *name, const char *dir, const char *about) {
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->v = hlb_xrealloc(l->v, l->cap * sizeof *l->v);
    }
    hlb_variant *v = &l->v[l->n++];
    memset(v, 0, sizeof *v);
    v->name = hlb_xstrdup(name);
    v->dir = dir ? hlb_xstrdup(dir) : NULL;
    v->about = hlb_xstrdup(about);
    v->available = 1;
    v->bench = dir != NULL;
    return v;
}

static void add_env(hlb_variant *v, char *kv) {
    for (int i = 0; i < HLB_MAX_ENV; i++)
        if (!v->env[i]) {
            v->env[i] = kv;
            return;
        }
    free(kv);
}

static void unavailable(hlb_variant *v, char *notice) {
    v->available = 0;
    v->notice = notice;
}

/* A plain runtime directory build/<name>: a bench row when it has programs, a safety column
** when it has faults. */
static void add_runtime(vlist *l, const char *build, const char *name, const char *about) {
    char *dir = hlb_fmt("%s/%s", build, name), *faults = hlb_fmt("%s/faults", dir);
    hlb_variant *v = add(l, name, dir, about);
    int progs = has_binaries(dir), fl = has_binaries(faults);
    if (fl) v->faults = hlb_xstrdup(faults);
    v->safety = fl;
    v->bench = progs || !fl;
    if (!progs && !fl) unavailable(v, hlb_fmt("%s is not built (%s missing; run make)", name, dir));
    free(dir);
    free(faults);
}

static void add_peer(vlist *l, const char *build, const char *name, const char *about, const char *missing) {
    char *dir = hlb_fmt("%s/peers/%s", build, name);
    hlb_variant *v = add(l, name, dir, about);
    v->peer = 1;
    if (!has_binaries(dir)) unavailable(v, hlb_xstrdup(missing));
    free(dir);
}

static void add_with_env(vlist *l, const hlb_variant *base, const char *name, const char *about, char *kv,
                         char *missing) {
    hlb_variant *v = add(l, name, base->dir, about);
    if (kv) add_env(v, kv);
    if (!base->available || !has_binaries(base->dir)) {
        free(missing);
        unavailable(v, hlb_fmt("%s skipped: %s is not built", name, base->name));
    } else if (missing) {
        unavailable(v, missing);
    }
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void add_allocator(vlist *l, size_t base, const char *name, const char *pkg, const char *dev_pkg,
                          const char *prefix) {
    char *about = hlb_fmt("manual with %s's malloc preloaded (LD_PRELOAD, Debian %s)", pkg, dev_pkg);
    char *so = hlb_find_preload(pkg, prefix);
    add_with_env(l, &l->v[base], name, about, so ? hlb_fmt("LD_PRELOAD=%s", so) : NULL,
                 so ? NULL : hlb_fmt("%s not installed (apt-get install %s): %s skipped", pkg, dev_pkg, name));
    free(so);
    free(about);
}

void hlb_variants_discover(const char *build, hlb_variant **out, size_t *n) {
    vlist l = {0};
    add_peer(&l, build, "c", "plain C peer, malloc/free (bench/peers/c), where one exists",
             "the c peers are not built (run make)");
    add_peer(&l, build, "c+gc", "the same C peer on Boehm GC as Boehm documents it, where one exists",
             "the c+gc peers are not built (run make)");
    add_peer(&l, build, "rust", "idiomatic safe Rust peer (bench/peers/rust, rustc -O), where one exists",
             "rustc not found when building (apt-get install rustc, then make): rust skipped");

    size_t manual = l.n;
    add_runtime(&l, build, "manual", "malloc/free through the ownership API (glibc)");
    add_allocator(&l, manual, "manual+jemalloc", "libjemalloc2", "libjemalloc-dev", "libjemalloc.so");
    add_allocator(&l, manual, "manual+mimalloc", "libmimalloc2.0", "libmimalloc-dev", "libmimalloc.so");
    size_t gc = l.n;
    add_runtime(&l, build, "gc", "Boehm-Demers-Weiser conservative GC, default settings");
    add_with_env(&l, &l.v[gc], "gc-tuned", "gc with GC_INITIAL_HEAP_SIZE=" HLB_GC_TUNED_HEAP " (256 MiB initial heap)",
                 hlb_xstrdup("GC_INITIAL_HEAP_SIZE=" HLB_GC_TUNED_HEAP), NULL);
    /* Benched when named: its 256 MiB heap costs every run its first touch (a page fault per
    ** 4 KiB, 0.7 s a run on the machines here), 58 s of a default bench that must fit in 10
    ** minutes, and the sweep (heaplab sweep) measures Boehm given more memory step by step. */
    l.v[l.n - 1].on_request = 1;
    add_runtime(&l, build, "owned", "generational handles, every call checked (Rust-like ownership)");

    /* Any other runtime directory make produced. */
    hlb_strlist others = {0};
    DIR *d = opendir(build);
    for (struct dirent *e; d && (e = readdir(d));) {
        const char *nm = e->d_name;
        int skip = nm[0] == '.';
        for (size_t i = 0; not_runtimes[i]; i++) skip |= !strcmp(nm, not_runtimes[i]);
        for (size_t i = 0; known[i]; i++) skip |= !strcmp(nm, known[i]);
        char *p = hlb_fmt("%s/%s", build, nm), *f = hlb_fmt("%s/faults", p);
        if (!skip && hlb_is_dir(p) && (has_binaries(p) || has_binaries(f))) hlb_strlist_add(&others, nm);
        free(p);
        free(f);
    }
    if (d) closedir(d);
    if (others.n) qsort(others.v, others.n, sizeof *others.v, cmp_str);
    for (size_t i = 0; i < others.n; i++) add_runtime(&l, build, others.v[i], about_other(others.v[i]));
    hlb_strlist_free(&others);

    /* Tool columns of the safety matrix. */
    char *asan = hlb_fmt("%s/asan/faults", build);
    hlb_variant *v = add(&l, "manual+asan", NULL, "manual's faults under AddressSanitizer + UBSan (safety only)");
    v->alias = "asan";
    v->faults = asan;
    v->safety = 1;
    add_env(v, hlb_xstrdup("ASAN_OPTIONS=detect_stack_use_after_return=1:detect_leaks=1"));
    add_env(v, hlb_xstrdup("UBSAN_OPTIONS=print_stacktrace=1"));
    if (!has_binaries(asan)) unavailable(v, hlb_fmt("manual+asan is not built (%s missing; run make)", asan));

    char *vg = hlb_which("valgrind");
    v = add(&l, "manual+valgrind", NULL, "manual's faults under valgrind memcheck (safety only)");
    v->alias = "valgrind";
    v->faults = hlb_fmt("%s/manual/faults", build);
    v->wrap = valgrind_argv;
    v->safety = 1;
    if (!vg) unavailable(v, hlb_xstrdup("valgrind is not installed (apt-get install valgrind): manual+valgrind skipped"));
    else if (!has_binaries(v->faults)) unavailable(v, hlb_xstrdup("manual+valgrind skipped: manual's faults are not built"));
    free(vg);
    *out = l.v;
    *n = l.n;
}

void hlb_variants_free(hlb_variant *v, size_t n) {
    for (size_t i = 0; i < n; i++) {
        free(v[i].name);
        free(v[i].dir);
        free(v[i].faults);
        free(v[i].about);
        free(v[i].notice);
        for (int k = 0; k < HLB_MAX_ENV; k++) free(v[i].env[k]);
    }
    free(v);
}

char *hlb_variant_binary(const hlb_variant *v, const char *prog) {
    return v->dir ? hlb_fmt("%s/%s", v->dir, prog) : hlb_fmt("/nonexistent/%s", prog);
}

char *hlb_variant_fault(const hlb_variant *v, const char *fault) {
    return v->faults ? hlb_fmt("%s/%s", v->faults, fault) : NULL;
}

int hlb_is_bench_variant(const hlb_variant *v) { return v->bench; }

int hlb_is_safety_variant(const hlb_variant *v) { return v->safety; }
