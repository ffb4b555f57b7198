/*
** bench/discover/sizes.c: resolve small | default | large per program (see sizes.h).
*/
#define _GNU_SOURCE
#include "discover/sizes.h"
#include "util/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse_ll(const char *s, long long *v) {
    char *end;
    errno = 0;
    long long x = strtoll(s, &end, 10);
    if (errno || end == s || *end || x < 1) return -1;
    *v = x;
    return 0;
}

int hlb_size_valid(const char *s) {
    long long v;
    return !strcmp(s, "small") || !strcmp(s, "default") || !strcmp(s, "large") || parse_ll(s, &v) == 0;
}

int hlb_sizes_lookup(const char *table, const char *program, long long *small, long long *large) {
    for (const char *line = table; line && *line;) {
        const char *eol = strchr(line, '\n');
        size_t n = eol ? (size_t)(eol - line) : strlen(line);
        char buf[256];
        if (n < sizeof buf && line[0] != '#') {
            memcpy(buf, line, n);
            buf[n] = 0;
            char name[128];
            long long s, l;
            if (sscanf(buf, "%127s %lld %lld", name, &s, &l) == 3 && !strcmp(name, program)) {
                *small = s, *large = l;
                return 0;
            }
        }
        line = eol ? eol + 1 : NULL;
    }
    return -1;
}

/* sizes.txt in the build directory (bench.mk copies it there; make install too), else in
** the source tree beside it. */
static char *read_table(const hlb_catalog *c) {
    char *path = hlb_fmt("%s/sizes.txt", c->build);
    FILE *f = fopen(path, "r");
    free(path);
    if (!f && c->src) {
        path = hlb_fmt("%s/bench/discover/sizes.txt", c->src);
        f = fopen(path, "r");
        free(path);
    }
    if (!f) return NULL;
    char *buf = hlb_xmalloc(65536);
    size_t n = fread(buf, 1, 65535, f);
    buf[n] = 0;
    fclose(f);
    return buf;
}

int hlb_size_resolve(hlb_catalog *c, hlb_program *p, const char *cls, hlb_size *out, char *err, size_t errlen) {
    memset(out, 0, sizeof *out);
    out->value = -1;
    hlb_program_spec(c, p);
    long long v;
    if (!strcmp(cls, "default")) {
        if (p->have_range) out->value = p->dflt;
        return 0;
    }
    if (parse_ll(cls, &v) == 0) {
        if (p->have_range && (v < p->min || v > p->max)) {
            snprintf(err, errlen, "size %lld is outside %s's range %lld..%lld", v, p->name, p->min, p->max);
            return -1;
        }
        snprintf(out->arg, sizeof out->arg, "%lld", v);
        out->value = v;
        return 0;
    }
    long long small, large;
    char *table = read_table(c);
    int found = table && hlb_sizes_lookup(table, p->name, &small, &large) == 0;
    free(table);
    int is_small = !strcmp(cls, "small");
    if (found) {
        v = is_small ? small : large;
    } else if (p->have_range) {
        v = is_small ? p->min : p->dflt;
        snprintf(out->notice, sizeof out->notice, "%s is not in sizes.txt: %s size is %s %lld", p->name, cls,
                 is_small ? "its minimum" : "its default", v);
    } else {
        snprintf(out->notice, sizeof out->notice,
                 "%s is not in sizes.txt and its --help gives no range: %s runs its default", p->name, cls);
        return 0;
    }
    snprintf(out->arg, sizeof out->arg, "%lld", v);
    out->value = v;
    return 0;
}
