/*
** bench/discover/catalog.c: discover programs and variants at run time (see catalog.h).
*/
#define _GNU_SOURCE
#include "discover/catalog.h"
#include "run/proc.h"
#include "util/util.h"
#include "discover/variants.h"

#include <dirent.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *hlb_find_root(void) {
    const char *env = getenv("HEAPLAB_ROOT");
    if (env && *env) return hlb_xstrdup(env);
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = 0;
        char *dir = dirname(exe);            /* .../build */
        char *root = hlb_xstrdup(dirname(dir));
        char *progs = hlb_fmt("%s/build", root);
        struct stat st;
        int ok = stat(progs, &st) == 0 && S_ISDIR(st.st_mode);
        free(progs);
        if (ok) return root;
        free(root);
    }
    return hlb_xstrdup(".");
}

static void add_program(hlb_catalog *c, const char *name, size_t *cap) {
    for (size_t i = 0; i < c->nprogs; i++)
        if (!strcmp(c->progs[i].name, name)) return;
    if (c->nprogs == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        c->progs = hlb_xrealloc(c->progs, *cap * sizeof *c->progs);
    }
    hlb_program *p = &c->progs[c->nprogs++];
    memset(p, 0, sizeof *p);
    p->name = hlb_xstrdup(name);
}

static int cmp_prog(const void *a, const void *b) {
    return strcmp(((const hlb_program *)a)->name, ((const hlb_program *)b)->name);
}

/* programs/<name>.c sources. */
static void scan_sources(hlb_catalog *c, size_t *cap) {
    char *dir = hlb_fmt("%s/programs", c->root);
    DIR *d = opendir(dir);
    free(dir);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (e->d_name[0] == '.' || n < 3 || strcmp(e->d_name + n - 2, ".c")) continue;
        char *name = hlb_xstrdup(e->d_name);
        name[n - 2] = 0;
        add_program(c, name, cap);
        free(name);
    }
    closedir(d);
}

/* Executables in a runtime directory (programs built from sources since removed, or built
** elsewhere, still count). */
static void scan_binaries(hlb_catalog *c, const char *dir, size_t *cap) {
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char *p = hlb_fmt("%s/%s", dir, e->d_name);
        if (hlb_is_executable(p)) add_program(c, e->d_name, cap);
        free(p);
    }
    closedir(d);
}

int hlb_catalog_open(hlb_catalog *c, const char *root, char *err, size_t errlen) {
    memset(c, 0, sizeof *c);
    c->root = root ? hlb_xstrdup(root) : hlb_find_root();
    c->build = hlb_fmt("%s/build", c->root);
    struct stat st;
    if (stat(c->build, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "no build directory at %s (run make, or set HEAPLAB_ROOT)", c->build);
        return -1;
    }
    hlb_variants_discover(c->build, &c->vars, &c->nvars);
    size_t cap = 0;
    scan_sources(c, &cap);
    for (size_t i = 0; i < c->nvars; i++)
        if (!c->vars[i].peer && c->vars[i].available && !c->vars[i].env[0]) scan_binaries(c, c->vars[i].dir, &cap);
    if (c->nprogs) qsort(c->progs, c->nprogs, sizeof *c->progs, cmp_prog);
    return 0;
}

void hlb_catalog_close(hlb_catalog *c) {
    for (size_t i = 0; i < c->nprogs; i++) {
        free(c->progs[i].name);
        free(c->progs[i].about);
        free(c->progs[i].what);
    }
    free(c->progs);
    hlb_variants_free(c->vars, c->nvars);
    free(c->root);
    free(c->build);
    memset(c, 0, sizeof *c);
}

hlb_program *hlb_catalog_program(hlb_catalog *c, const char *name) {
    for (size_t i = 0; i < c->nprogs; i++)
        if (!strcmp(c->progs[i].name, name)) return &c->progs[i];
    return NULL;
}

hlb_variant *hlb_catalog_variant(hlb_catalog *c, const char *name) {
    for (size_t i = 0; i < c->nvars; i++)
        if (!strcmp(c->vars[i].name, name)) return &c->vars[i];
    return NULL;
}

int hlb_parse_help(const char *text, hlb_program *p) {
    free(p->about);
    free(p->what);
    p->about = hlb_xstrdup("");
    p->what = hlb_xstrdup("");
    p->have_range = 0;
    if (strncmp(text, "usage:", 6)) return -1;
    const char *l2 = strchr(text, '\n');
    if (!l2) return 0;
    l2++;
    size_t n = strcspn(l2, "\n");
    free(p->about);
    p->about = strndup(l2, n);
    if (!p->about) p->about = hlb_xstrdup("");
    /* The size line: "  SIZE  <what>: MIN..MAX (default D)", anywhere after line 2. */
    for (const char *s = l2 + n; s && *s; s = strchr(s + 1, '\n')) {
        const char *line = *s == '\n' ? s + 1 : s;
        while (*line == ' ') line++;
        if (strncmp(line, "SIZE", 4)) continue;
        line += 4;
        while (*line == ' ') line++;
        const char *colon = strchr(line, ':'), *eol = strchr(line, '\n');
        if (!colon || (eol && colon > eol)) continue;
        long long mn, mx, df;
        if (sscanf(colon + 1, " %lld..%lld (default %lld)", &mn, &mx, &df) == 3) {
            free(p->what);
            p->what = strndup(line, (size_t)(colon - line));
            if (!p->what) p->what = hlb_xstrdup("");
            p->min = mn, p->max = mx, p->dflt = df;
            p->have_range = 1;
        }
        break;
    }
    return 0;
}

int hlb_program_spec(hlb_catalog *c, hlb_program *p) {
    if (p->spec_known) return p->about && *p->about ? 0 : -1;
    p->spec_known = 1;
    for (size_t i = 0; i < c->nvars; i++) {
        hlb_variant *v = &c->vars[i];
        if (!v->available || v->peer || v->env[0]) continue;
        char *bin = hlb_variant_binary(v, p->name);
        if (!hlb_is_executable(bin)) {
            free(bin);
            continue;
        }
        char *argv[] = {bin, "--help", NULL};
        hlb_proc_result r;
        int ok = hlb_proc_run(argv, NULL, 10, &r) == 0 && r.end == HLB_PROC_EXITED && r.code == 0 &&
                 hlb_parse_help(r.out, p) == 0;
        hlb_proc_result_free(&r);
        free(bin);
        if (ok) return 0;
    }
    if (!p->about) p->about = hlb_xstrdup("");
    if (!p->what) p->what = hlb_xstrdup("");
    return -1;
}
