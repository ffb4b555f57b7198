/*
** bench/util/util.c: small helpers shared by the heaplab driver (see util.h).
*/
#define _GNU_SOURCE
#include "util/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void oom(void) {
    fputs("heaplab: error: out of memory\n", stderr);
    abort();
}

void *hlb_xmalloc(size_t n) {
    void *p = malloc(n ? n : 1);
    if (!p) oom();
    return p;
}

void *hlb_xcalloc(size_t n, size_t size) {
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) oom();
    return p;
}

void *hlb_xrealloc(void *p, size_t n) {
    p = realloc(p, n ? n : 1);
    if (!p) oom();
    return p;
}

char *hlb_xstrdup(const char *s) {
    size_t n = strlen(s) + 1;
    return memcpy(hlb_xmalloc(n), s, n);
}

char *hlb_xstrndup(const char *s, size_t n) {
    size_t len = strnlen(s, n);
    char *p = hlb_xmalloc(len + 1);
    memcpy(p, s, len);
    p[len] = 0;
    return p;
}

char *hlb_fmt(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) oom();
    char *s = hlb_xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

void hlb_strlist_add(hlb_strlist *l, const char *s) {
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 8;
        l->v = hlb_xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = hlb_xstrdup(s);
}

int hlb_strlist_has(const hlb_strlist *l, const char *s) {
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->v[i], s)) return 1;
    return 0;
}

void hlb_strlist_free(hlb_strlist *l) {
    for (size_t i = 0; i < l->n; i++) free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}

int hlb_split_commas(const char *s, hlb_strlist *l) {
    const char *p = s;
    for (;;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == 0) return -1;
        char *item = hlb_xstrndup(p, len);
        if (!hlb_strlist_has(l, item)) hlb_strlist_add(l, item);
        free(item);
        if (!e) return 0;
        p = e + 1;
    }
}

char *hlb_strlist_join(const hlb_strlist *l, const char *sep) {
    size_t n = 1;
    for (size_t i = 0; i < l->n; i++) n += strlen(l->v[i]) + strlen(sep);
    char *s = hlb_xmalloc(n);
    s[0] = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (i) strcat(s, sep);
        strcat(s, l->v[i]);
    }
    return s;
}

int hlb_is_executable(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

int hlb_is_dir(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

char *hlb_which(const char *cmd) {
    const char *path = getenv("PATH");
    if (!path) path = "/usr/bin:/bin";
    char *copy = hlb_xstrdup(path), *save = NULL;
    for (char *dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
        char *full = hlb_fmt("%s/%s", *dir ? dir : ".", cmd);
        if (hlb_is_executable(full)) {
            free(copy);
            return full;
        }
        free(full);
    }
    free(copy);
    return NULL;
}

double hlb_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

const char *hlb_plural(char *buf, size_t len, unsigned long long n, const char *word, const char *plural) {
    if (n == 1) snprintf(buf, len, "1 %s", word);
    else if (plural) snprintf(buf, len, "%llu %s", n, plural);
    else snprintf(buf, len, "%llu %ss", n, word);
    return buf;
}
