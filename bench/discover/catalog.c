/*
** bench/discover/catalog.c: the build directory, programs and variants (see catalog.h).
*/
#define _GNU_SOURCE
#include "discover/catalog.h"
#include "run/proc.h"
#include "util/util.h"

#include <dirent.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *hlb_find_build(const char *given) {
    if (given && *given) return hlb_xstrdup(given);
    const char *root = getenv("HEAPLAB_ROOT");
    if (root && *root) return hlb_fmt("%s/build", root);
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) return hlb_xstrdup("build");
    exe[n] = 0;
    char *dir = hlb_xstrdup(dirname(exe));
    char *installed = hlb_fmt("%s/../lib/heaplab", dir);
    if (hlb_is_dir(installed)) {
        free(dir);
        return installed;
    }
    free(installed);
    return dir;
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

void hlb_scan_sources(const char *dir, hlb_strlist *l) {
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d));) {
        size_t n = strlen(e->d_name);
        if (e->d_name[0] == '.' || n < 3 || strcmp(e->d_name + n - 2, ".c")) continue;
        char *name = hlb_xstrndup(e->d_name, n - 2);
        if (!hlb_strlist_has(l, name)) hlb_strlist_add(l, name);
        free(name);
    }
    if (d) closedir(d);
}

int hlb_catalog_open(hlb_catalog *c, const char *given, char *err, size_t errlen) {
    memset(c, 0, sizeof *c);
    c->build = hlb_find_build(given);
    if (!hlb_is_dir(c->build)) {
        snprintf(err, errlen, "no build directory at %s (run make, or give --build DIR or HEAPLAB_ROOT)", c->build);
        return -1;
    }
    char *src = hlb_fmt("%s/../programs", c->build);
    if (hlb_is_dir(src)) c->src = hlb_fmt("%s/..", c->build);
    free(src);
    hlb_variants_discover(c->build, &c->vars, &c->nvars);
    size_t cap = 0;
    hlb_strlist l = {0};
    if (c->src) {
        char *dir = hlb_fmt("%s/programs", c->src);
        hlb_scan_sources(dir, &l);
        free(dir);
    }
    for (size_t i = 0; i < c->nvars; i++) {
        const hlb_variant *v = &c->vars[i];
        if (!v->peer && v->bench && v->available && !v->env[0]) hlb_scan_executables(v->dir, &l);
    }
    for (size_t k = 0; k < l.n; k++) add_program(c, l.v[k], &cap);
    hlb_strlist_free(&l);
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
    free(c->build);
    free(c->src);
    memset(c, 0, sizeof *c);
}

hlb_program *hlb_catalog_program(hlb_catalog *c, const char *name) {
    for (size_t i = 0; i < c->nprogs; i++)
        if (!strcmp(c->progs[i].name, name)) return &c->progs[i];
    return NULL;
}

hlb_variant *hlb_catalog_variant(hlb_catalog *c, const char *name) {
    for (size_t i = 0; i < c->nvars; i++)
        if (!strcmp(c->vars[i].name, name) || (c->vars[i].alias && !strcmp(c->vars[i].alias, name)))
            return &c->vars[i];
    return NULL;
}

char *hlb_catalog_variant_names(const hlb_catalog *c, int (*pick)(const hlb_variant *)) {
    hlb_strlist l = {0};
    for (size_t i = 0; i < c->nvars; i++)
        if (pick(&c->vars[i])) hlb_strlist_add(&l, c->vars[i].name);
    char *s = hlb_strlist_join(&l, ", ");
    hlb_strlist_free(&l);
    return s;
}

int hlb_catalog_can_run(const hlb_catalog *c, const hlb_variant *v, const char *prog, char *buf, size_t len) {
    if (!v->bench) {
        snprintf(buf, len, "%s runs only the fault programs (heaplab safety)", v->name);
        return -1;
    }
    if (!v->available) {
        snprintf(buf, len, "%s", v->notice);
        return -1;
    }
    char *bin = hlb_variant_binary(v, prog);
    int ok = hlb_is_executable(bin);
    if (!ok && v->peer) {
        /* A peer that is built but lacks this program, or whose source does not exist. */
        char *src = c->src ? hlb_fmt("%s/bench/peers/%s/%s.%s", c->src, !strcmp(v->name, "rust") ? "rust" : "c", prog,
                                     !strcmp(v->name, "rust") ? "rs" : "c")
                           : NULL;
        if (!src || access(src, R_OK) != 0) {
            snprintf(buf, len, "%s has no %s peer (yet)", prog, v->name);
            ok = -2;
        } else {
            snprintf(buf, len, "%s's %s peer is not built (%s missing; run make)", prog, v->name, bin);
        }
        free(src);
    } else if (!ok) {
        snprintf(buf, len, "%s is not built for %s (%s missing; run make)", prog, v->name, bin);
    }
    free(bin);
    return ok == 1 ? 0 : ok == -2 ? -2 : -1;
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
    p->about = hlb_xstrndup(l2, n);
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
            p->what = hlb_xstrndup(line, (size_t)(colon - line));
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
        if (!v->available || v->peer || !v->bench || v->env[0]) continue;
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
