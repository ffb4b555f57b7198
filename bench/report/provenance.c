/*
** bench/report/provenance.c: collect, write and read back the provenance of a results file
** (see provenance.h).
*/
#define _GNU_SOURCE
#include "report/provenance.h"
#include "util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <gnu/libc-version.h>
#endif

extern char **environ;

#define UNKNOWN "unknown"

/* The compiler that built this file, for when no cc can be asked. */
#if defined(__clang__)
#define BUILD_COMPILER __VERSION__
#elif defined(__GNUC__)
#define BUILD_COMPILER "gcc " __VERSION__
#else
#define BUILD_COMPILER "an unknown C compiler"
#endif

/* Copy src into dst[len], truncated (the fields are for reading, not for parsing). */
static void copy(char *dst, size_t len, const char *src) {
    size_t n = strlen(src);
    if (n >= len) n = len - 1;
    memcpy(dst, src, n);
    dst[n] = 0;
}

/* Copy src, or "unknown" when it is NULL or empty. */
static void set(char *dst, size_t len, const char *src) {
    copy(dst, len, src && *src ? src : UNKNOWN);
}

/* Run argv (looked up on PATH) with stdin and stderr on /dev/null and put the first line of its
** standard output, without the newline, into out. Returns 0 when the tool ran, exited 0 and
** printed a non-empty first line; -1 otherwise (not found, failed, killed, no output), out
** untouched. The child is waited for here, by its pid only. */
static int first_line_of(char *const argv[], char *out, size_t len) {
    int fd[2];
    if (pipe2(fd, O_CLOEXEC) != 0) return -1;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, fd[1], 1);
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fd[1]);
    if (rc != 0) {
        close(fd[0]);
        return -1;
    }
    char buf[512];
    size_t used = 0;
    for (;;) {
        ssize_t k = read(fd[0], buf + used, sizeof buf - 1 - used);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) break;
        used += (size_t)k;
        if (used == sizeof buf - 1 || memchr(buf, '\n', used)) break;
    }
    buf[used] = 0;
    /* Drain the rest so that the tool does not block on a full pipe, then reap it. */
    char sink[4096];
    for (;;) {
        ssize_t k = read(fd[0], sink, sizeof sink);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) break;
    }
    close(fd[0]);
    int status;
    pid_t w;
    do w = waitpid(pid, &status, 0);
    while (w < 0 && errno == EINTR);
    if (w != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return -1;
    buf[strcspn(buf, "\r\n")] = 0;
    if (!buf[0]) return -1;
    copy(out, len, buf);
    return 0;
}

static void iso_now(char *buf, size_t len) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    if (!gmtime_r(&ts.tv_sec, &tm) || !strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm)) set(buf, len, NULL);
}

static void cpu_model(char *out, size_t len) {
    set(out, len, NULL);
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f) return;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "model name", 10) != 0) continue;
        char *v = strchr(line, ':');
        if (v) {
            v++;
            v += strspn(v, " \t");
            v[strcspn(v, "\r\n")] = 0;
            set(out, len, v);
        }
        break;
    }
    fclose(f);
}

/* A word the shell takes literally, with no quoting. */
static int shell_safe(const char *s) {
    if (!*s) return 0;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              strchr("_-.,/:=+@%", c)))
            return 0;
    }
    return 1;
}

char *hlb_shell_join(int argc, char *const *argv) {
    size_t cap = 1;
    for (int i = 0; i < argc; i++) cap += strlen(argv[i]) * 4 + 3;
    char *out = hlb_xmalloc(cap), *o = out;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (i) *o++ = ' ';
        if (shell_safe(a)) {
            size_t n = strlen(a);
            memcpy(o, a, n);
            o += n;
            continue;
        }
        *o++ = '\'';
        for (; *a; a++) {
            if (*a == '\'') {
                memcpy(o, "'\\''", 4);
                o += 4;
            } else *o++ = *a;
        }
        *o++ = '\'';
    }
    *o = 0;
    return out;
}

/* The commit the sources are at, with "-dirty" when a tracked file differs from it. results/
** does not count: `make bench` writes its tables there between the commands of one run, and a
** later command must not take the earlier one's output for a change to the code measured. */
static void commit_of(const char *root, char *out, size_t len) {
    char *describe[] = {"git", "-C", (char *)root, "describe", "--always", NULL};
    if (first_line_of(describe, out, len) != 0) return;
    char *status[] = {"git", "-C", (char *)root, "status", "--porcelain", "--untracked-files=no",
                      "--", ".", ":(exclude)results", NULL};
    char changed[512];
    if (first_line_of(status, changed, sizeof changed) != 0) return;   /* nothing changed */
    size_t used = strlen(out);
    if (used + sizeof "-dirty" <= len) memcpy(out + used, "-dirty", sizeof "-dirty");
}

void hlb_provenance_collect(hlb_provenance *p, const char *source_root, int argc, char *const *argv) {
    memset(p, 0, sizeof *p);
    iso_now(p->start, sizeof p->start);

    set(p->heaplab_commit, sizeof p->heaplab_commit, NULL);
    if (source_root && *source_root) commit_of(source_root, p->heaplab_commit, sizeof p->heaplab_commit);

    char *cc[] = {"cc", "--version", NULL};
    if (first_line_of(cc, p->compiler, sizeof p->compiler) != 0)
        set(p->compiler, sizeof p->compiler, BUILD_COMPILER " (compiler that built heaplab; cc not found)");

#ifdef __GLIBC__
    set(p->glibc, sizeof p->glibc, gnu_get_libc_version());
#else
    set(p->glibc, sizeof p->glibc, NULL);
#endif

    set(p->libgc, sizeof p->libgc, NULL);
    char *pc[] = {"pkg-config", "--modversion", "bdw-gc", NULL};
    first_line_of(pc, p->libgc, sizeof p->libgc);

    struct utsname u;
    if (uname(&u) == 0) snprintf(p->kernel, sizeof p->kernel, "%s %s %s", u.sysname, u.release, u.machine);
    else set(p->kernel, sizeof p->kernel, NULL);

    cpu_model(p->cpu, sizeof p->cpu);
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    p->cores = n > 0 ? (int)n : 1;

    if (argc > 0 && argv) p->command = hlb_shell_join(argc, argv);
    if (!p->command || !p->command[0]) {
        free(p->command);
        p->command = hlb_xstrdup(UNKNOWN);
    }
}

void hlb_provenance_set_end(hlb_provenance *p) {
    iso_now(p->end, sizeof p->end);
}

int hlb_provenance_write_json(FILE *f, const hlb_provenance *p, int indent) {
    const char *strs[][2] = {
        {"heaplab_commit", p->heaplab_commit}, {"compiler", p->compiler}, {"glibc", p->glibc},
        {"libgc", p->libgc},   {"kernel", p->kernel}, {"cpu", p->cpu},
    };
    const char *tail[][2] = {
        {"command", p->command ? p->command : UNKNOWN}, {"start", p->start}, {"end", p->end},
    };
    int pretty = indent >= 0;
    int pad = pretty ? indent + 2 : 0;
    const char *sep = pretty ? ",\n" : ", ";
    fputs(pretty ? "{\n" : "{", f);
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) {
        fprintf(f, "%s%*s\"%s\": ", i ? sep : "", pad, "", strs[i][0]);
        hlb_json_write_str(f, strs[i][1]);
    }
    fprintf(f, "%s%*s\"cores\": %d", sep, pad, "", p->cores);
    for (size_t i = 0; i < sizeof tail / sizeof tail[0]; i++) {
        fprintf(f, "%s%*s\"%s\": ", sep, pad, "", tail[i][0]);
        hlb_json_write_str(f, tail[i][1]);
    }
    if (pretty) fprintf(f, "\n%*s}", indent, "");
    else fputc('}', f);
    return ferror(f) ? -1 : 0;
}

static void get_str(const hlb_json *obj, const char *key, char *dst, size_t len) {
    set(dst, len, obj ? hlb_json_str(obj, key) : NULL);
}

int hlb_provenance_from_json(const hlb_json *obj, hlb_provenance *p) {
    memset(p, 0, sizeof *p);
    int ok = obj && obj->kind == HLB_JOBJ;
    if (!ok) obj = NULL;
    get_str(obj, "heaplab_commit", p->heaplab_commit, sizeof p->heaplab_commit);
    get_str(obj, "compiler", p->compiler, sizeof p->compiler);
    get_str(obj, "glibc", p->glibc, sizeof p->glibc);
    get_str(obj, "libgc", p->libgc, sizeof p->libgc);
    get_str(obj, "kernel", p->kernel, sizeof p->kernel);
    get_str(obj, "cpu", p->cpu, sizeof p->cpu);
    get_str(obj, "start", p->start, sizeof p->start);
    const char *end = obj ? hlb_json_str(obj, "end") : NULL;
    copy(p->end, sizeof p->end, end ? end : "");
    double cores = obj ? hlb_json_num(obj, "cores") : NAN;
    p->cores = isfinite(cores) && cores >= 1 && cores <= 1e6 ? (int)cores : 0;
    const char *cmd = obj ? hlb_json_str(obj, "command") : NULL;
    p->command = hlb_xstrdup(cmd && *cmd ? cmd : UNKNOWN);
    return ok ? 0 : -1;
}

void hlb_provenance_free(hlb_provenance *p) {
    free(p->command);
    p->command = NULL;
}
