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

static int is_dir(const char *p) {
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Does dir hold at least one executable regular file? */
static int has_binaries(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return 0;
    int found = 0;
    struct dirent *e;
    while (!found && (e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char *p = hlb_fmt("%s/%s", dir, e->d_name);
        found = hlb_is_executable(p);
        free(p);
    }
    closedir(d);
    return found;
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
    v->dir = hlb_xstrdup(dir);
    v->about = hlb_xstrdup(about);
    v->available = 1;
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

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void add_allocator(vlist *l, const char *base_dir, int base_ok, const char *name, const char *pkg,
                          const char *dev_pkg, const char *prefix) {
    char *about = hlb_fmt("manual with %s's malloc preloaded (LD_PRELOAD, Debian %s)", pkg, dev_pkg);
    hlb_variant *v = add(l, name, base_dir, about);
    free(about);
    char *so = base_ok ? hlb_find_preload(pkg, prefix) : NULL;
    if (so) {
        add_env(v, hlb_fmt("LD_PRELOAD=%s", so));
        free(so);
    } else {
        v->available = 0;
        v->notice = base_ok ? hlb_fmt("%s not installed (apt-get install %s): %s skipped", pkg, dev_pkg, name)
                            : hlb_fmt("%s skipped: manual is not built", name);
    }
}

void hlb_variants_discover(const char *build, hlb_variant **out, size_t *n) {
    vlist l = {0};
    char *manual = hlb_fmt("%s/manual", build), *gc = hlb_fmt("%s/gc", build);
    int manual_ok = has_binaries(manual), gc_ok = has_binaries(gc);

    hlb_variant *v = add(&l, "manual", manual, "calloc/free through the ownership API (glibc malloc)");
    if (!manual_ok) v->available = 0, v->notice = hlb_fmt("manual is not built (%s missing; run make)", manual);
    add_allocator(&l, manual, manual_ok, "manual+jemalloc", "libjemalloc2", "libjemalloc-dev", "libjemalloc.so");
    add_allocator(&l, manual, manual_ok, "manual+mimalloc", "libmimalloc2.0", "libmimalloc-dev", "libmimalloc.so");

    v = add(&l, "gc", gc, "Boehm-Demers-Weiser conservative GC, default settings");
    if (!gc_ok) v->available = 0, v->notice = hlb_fmt("gc is not built (%s missing; run make)", gc);
    v = add(&l, "gc-tuned", gc, "gc with GC_INITIAL_HEAP_SIZE=" HLB_GC_TUNED_HEAP " (256 MiB initial heap)");
    add_env(v, hlb_xstrdup("GC_INITIAL_HEAP_SIZE=" HLB_GC_TUNED_HEAP));
    if (!gc_ok) v->available = 0, v->notice = hlb_xstrdup("gc-tuned skipped: gc is not built");

    char *owned = hlb_fmt("%s/owned", build);
    v = add(&l, "owned", owned, "generational handles, every call checked (Rust-like ownership)");
    if (!has_binaries(owned)) v->available = 0, v->notice = hlb_fmt("owned is not built yet (%s missing; run make)", owned);
    free(owned);

    /* Any other runtime directory make produced. */
    DIR *d = opendir(build);
    hlb_strlist others = {0};
    if (d) {
        struct dirent *e;
        while ((e = readdir(d))) {
            const char *nm = e->d_name;
            if (nm[0] == '.' || !strcmp(nm, "manual") || !strcmp(nm, "gc") || !strcmp(nm, "owned")) continue;
            int skip = 0;
            for (size_t i = 0; not_runtimes[i]; i++) skip |= !strcmp(nm, not_runtimes[i]);
            char *p = hlb_fmt("%s/%s", build, nm);
            if (!skip && is_dir(p) && has_binaries(p)) hlb_strlist_add(&others, nm);
            free(p);
        }
        closedir(d);
    }
    if (others.n) qsort(others.v, others.n, sizeof *others.v, cmp_str);
    for (size_t i = 0; i < others.n; i++) {
        char *p = hlb_fmt("%s/%s", build, others.v[i]);
        add(&l, others.v[i], p, "runtime found in the build directory");
        free(p);
    }
    hlb_strlist_free(&others);

    char *rust = hlb_fmt("%s/peers/rust", build);
    v = add(&l, "rust", rust, "idiomatic safe Rust peer (bench/peers/rust, rustc -O), where one exists");
    v->peer = 1;
    if (!has_binaries(rust))
        v->available = 0,
        v->notice = hlb_xstrdup("rustc not found when building (apt-get install rustc, then make): rust skipped");
    free(rust);
    free(manual);
    free(gc);
    *out = l.v;
    *n = l.n;
}

void hlb_variants_free(hlb_variant *v, size_t n) {
    for (size_t i = 0; i < n; i++) {
        free(v[i].name);
        free(v[i].dir);
        free(v[i].about);
        free(v[i].notice);
        for (int k = 0; k < HLB_MAX_ENV; k++) free(v[i].env[k]);
    }
    free(v);
}

char *hlb_variant_binary(const hlb_variant *v, const char *prog) { return hlb_fmt("%s/%s", v->dir, prog); }
