/*
** hl_test.c: see hl_test.h.
*/
#define _GNU_SOURCE
#include "hl_test.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

/* The most recent buffers handed out stay referenced from here, so that a failing Criterion
** assertion (which ends the test before the caller frees them) is not also reported as a
** leak by LeakSanitizer. Entries may dangle after the caller frees them: they are never
** dereferenced. */
static void *recent[256];
static unsigned recent_next;
static void *keep(void *p) {
    recent[recent_next++ % 256] = p;
    return p;
}

/* ---- marks -------------------------------------------------------------------------------- */

volatile int *hl_marks;

void hl_marks_ensure(void) {
    if (hl_marks) return;
    void *p = mmap(NULL, HL_MARKS * sizeof(int), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        perror("hl_test: mmap");
        abort();
    }
    hl_marks = p;
    hl_marks_clear();
}

void hl_marks_clear(void) {
    hl_marks_ensure();
    for (int i = 0; i < HL_MARKS; i++) hl_marks[i] = -1;
}

/* ---- child processes ---------------------------------------------------------------------- */

static int temp_fd(void) {
    char path[] = "/tmp/hl_test_XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) {
        perror("hl_test: mkstemp");
        abort();
    }
    unlink(path);
    return fd;
}

static char *slurp_fd(int fd) {
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    if (!buf) abort();
    if (lseek(fd, 0, SEEK_SET) < 0) abort();
    for (;;) {
        if (len + 1 == cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            if (!buf) abort();
        }
        ssize_t n = read(fd, buf + len, cap - 1 - len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        len += (size_t)n;
    }
    buf[len] = '\0';
    return keep(buf);
}

hl_child hl_child_run(void (*fn)(void)) {
    hl_marks_clear();
    int out = temp_fd(), err = temp_fd();
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        perror("hl_test: fork");
        abort();
    }
    if (pid == 0) {
        dup2(out, STDOUT_FILENO);
        dup2(err, STDERR_FILENO);
        close(out);
        close(err);
        signal(SIGALRM, SIG_DFL);
        alarm(HL_CHILD_TIMEOUT);
        fn();
        fflush(stdout);
        fflush(stderr);
        _exit(0);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            perror("hl_test: waitpid");
            abort();
        }
    }
    hl_child c = {0};
    if (WIFEXITED(status)) {
        c.exited = true;
        c.code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        c.signaled = true;
        c.sig = WTERMSIG(status);
    }
    c.out = slurp_fd(out);
    c.err = slurp_fd(err);
    close(out);
    close(err);
    return c;
}

void hl_child_free(hl_child *c) {
    free(c->out);
    free(c->err);
    c->out = c->err = NULL;
}

const char *hl_child_status(const hl_child *c) {
    static char buf[64];
    if (c->exited)
        snprintf(buf, sizeof buf, "exit status %d", c->code);
    else if (c->signaled)
        snprintf(buf, sizeof buf, "signal %d (%s)", c->sig, strsignal(c->sig));
    else
        snprintf(buf, sizeof buf, "unknown end");
    return buf;
}

/* ---- text matching ------------------------------------------------------------------------ */

static const char *find_line(const char *text, const char *want, bool prefix) {
    size_t wl = strlen(want);
    for (const char *p = text; p && *p;) {
        const char *nl = strchr(p, '\n');
        size_t ll = nl ? (size_t)(nl - p) : strlen(p);
        if (prefix ? (ll >= wl && memcmp(p, want, wl) == 0) : (ll == wl && memcmp(p, want, wl) == 0)) return p;
        p = nl ? nl + 1 : NULL;
    }
    return NULL;
}

static char *vformat(const char *fmt, va_list ap) {
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0) abort();
    return s;
}

const char *hl_find_line(const char *text, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *want = vformat(fmt, ap);
    va_end(ap);
    const char *r = find_line(text, want, false);
    free(want);
    return r;
}

const char *hl_find_line_prefix(const char *text, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *want = vformat(fmt, ap);
    va_end(ap);
    const char *r = find_line(text, want, true);
    free(want);
    return r;
}

char *hl_diag_block(const char *text, const char *kind) {
    char *head = NULL;
    if (asprintf(&head, "heaplab: error: %s", kind) < 0) abort();
    const char *start = find_line(text, head, false);
    free(head);
    if (!start) return NULL;
    /* the error line, then the "  --> " line, then "   = " lines (notes) */
    const char *end = strchr(start, '\n');
    end = end ? end + 1 : start + strlen(start);
    if (strncmp(end, "  --> ", 6) == 0) {
        const char *nl = strchr(end, '\n');
        end = nl ? nl + 1 : end + strlen(end);
    }
    while (strncmp(end, "   = ", 5) == 0 || strncmp(end, "   |", 4) == 0) {
        const char *nl = strchr(end, '\n');
        end = nl ? nl + 1 : end + strlen(end);
    }
    char *block = strndup(start, (size_t)(end - start));
    if (!block) abort();
    return keep(block);
}

int hl_count_errors(const char *text) {
    int n = 0;
    for (const char *p = text; p && *p;) {
        if (strncmp(p, "heaplab: error: ", 16) == 0) n++;
        p = strchr(p, '\n');
        if (p) p++;
    }
    return n;
}

char *hl_read_file(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) return NULL;
    size_t cap = 1024, len = 0;
    char *buf = malloc(cap);
    if (!buf) abort();
    size_t n;
    while ((n = fread(buf + len, 1, cap - 1 - len, f)) > 0) {
        len += n;
        if (len + 1 == cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            if (!buf) abort();
        }
    }
    fclose(f);
    buf[len] = '\0';
    return keep(buf);
}

/* The position just after `"key"` and the following colon, or NULL. */
static const char *json_value(const char *json, const char *key) {
    size_t kl = strlen(key);
    for (const char *p = strchr(json, '"'); p; p = strchr(p + 1, '"')) {
        if (strncmp(p + 1, key, kl) == 0 && p[1 + kl] == '"') {
            const char *q = p + 2 + kl;
            while (*q == ' ' || *q == '\t' || *q == '\n') q++;
            if (*q != ':') continue;
            q++;
            while (*q == ' ' || *q == '\t' || *q == '\n') q++;
            return q;
        }
    }
    return NULL;
}

bool hl_json_number(const char *json, const char *key, unsigned long long *num) {
    const char *v = json_value(json, key);
    if (!v || *v < '0' || *v > '9') return false;
    char *end;
    errno = 0;
    *num = strtoull(v, &end, 10);
    if (errno) return false;
    while (*end == ' ' || *end == '\t' || *end == '\n') end++;
    return *end == ',' || *end == '}';
}

bool hl_json_string(const char *json, const char *key, char *buf, size_t cap) {
    const char *v = json_value(json, key);
    if (!v || *v != '"') return false;
    const char *e = strchr(v + 1, '"');
    if (!e || (size_t)(e - v - 1) >= cap) return false;
    memcpy(buf, v + 1, (size_t)(e - v - 1));
    buf[e - v - 1] = '\0';
    return true;
}
