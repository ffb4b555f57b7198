/*
** shared_backtrace.c: HEAPLAB_BACKTRACE=1 adds the call stack to every diagnostic, on every
** runtime, as RUST_BACKTRACE=1 does to a Rust panic:
**
**   stack backtrace:
**      0: insert_twice
**                at /src/app/tree.c:41
**      1: main
**                at /src/app/main.c:12
**
** The frames come from glibc's backtrace(). Names, and file:line where the program was built
** with -g, come from binutils' addr2line, run once per object file (the executable, a shared
** library) with the frames' addresses relative to where the object is loaded, so that PIE
** executables and libraries resolve; inlined calls are listed under their frame. The runtime's
** own frames (its functions, and its inline fast paths in the program's code) are left out, so
** frame 0 is the program's call that failed; the list ends with main. HEAPLAB_BACKTRACE=full
** shows every frame. Without addr2line (or when it fails or takes longer than
** ADDR2LINE_TIMEOUT_MS) the frames are printed as backtrace_symbols() gives them: object and
** offset, the runtime's frames included. Unset, empty or 0: nothing is printed.
**
** It runs once, just before the process exits with a diagnostic, and never allocates through
** the runtime: its buffers are static, so it also works when memory is exhausted (then
** backtrace_symbols_fd, which does not allocate, is the last resort).
*/
#define _GNU_SOURCE
#include "runtime.h"

#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <link.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define MAX_FRAMES 64
#define MAX_OBJECTS 8               /* objects resolved through addr2line, at most */
#define MAX_ENTRIES 512             /* frames and the inlined calls within them */
#define OUT_CAP (128 * 1024)        /* addr2line's output, all objects together */
#define ADDR2LINE_TIMEOUT_MS 20000  /* then it is killed and the fallback is used */

/* One function of the stack: a frame, or a call inlined in it (listed outermost last, as
** addr2line -i lists them). name and file point into out[] (file NULL: unknown). */
typedef struct entry {
    int         frame;
    const char *name;
    const char *file;
} entry;

/* The large buffers are allocated on first use, not static: a collector that scans the
** program's static data as roots (Boehm, on the gc runtime) would otherwise scan them at every
** collection of every program, backtrace or not. */
static void   *pcs[MAX_FRAMES];
static entry  *entries;   /* [MAX_ENTRIES] */
static entry  *tmp;       /* [MAX_ENTRIES]: per object, before ordering */
static char   *out;       /* [OUT_CAP] */
static size_t  out_len;

static bool buffers_ready(void) {
    if (!out) out = malloc(OUT_CAP);
    if (!entries) entries = malloc(MAX_ENTRIES * sizeof *entries);
    if (!tmp) tmp = malloc(MAX_ENTRIES * sizeof *tmp);
    return out && entries && tmp;
}

/* ---- where an address was loaded from ------------------------------------------------------ */

typedef struct object {
    uintptr_t   bias;     /* load address minus link-time address (0 for a non-PIE executable) */
    const char *name;     /* "" for the executable */
    bool        found;
} object;

typedef struct lookup {
    uintptr_t addr;
    object    obj;
} lookup;

static int find_object(struct dl_phdr_info *info, size_t size, void *data) {
    (void)size;
    lookup *l = data;
    for (int k = 0; k < info->dlpi_phnum; k++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[k];
        if (ph->p_type != PT_LOAD) continue;
        uintptr_t start = info->dlpi_addr + ph->p_vaddr;
        if (l->addr >= start && l->addr < start + ph->p_memsz) {
            l->obj = (object){info->dlpi_addr, info->dlpi_name ? info->dlpi_name : "", true};
            return 1;
        }
    }
    return 0;
}

/* The address a frame's call is at: backtrace() gives return addresses, which point after
** the call, so one byte back lies inside it. */
static uintptr_t call_addr(int i) { return (uintptr_t)pcs[i] - 1; }

/* ---- addr2line -------------------------------------------------------------------------------- */

static long ms_since(const struct timespec *t0) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long)(t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* Run argv (addr2line) with its output appended to out[]. False when it could not be run or
** did not finish in time (then it is killed). Its exit status is not asked: the caller checks
** that every address was answered (a tool such as valgrind may change the status). */
static bool run_capture(char *const argv[]) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) return false;
    posix_spawn_file_actions_t fa;
    if (posix_spawn_file_actions_init(&fa) != 0) {
        close(fds[0]);
        close(fds[1]);
        return false;
    }
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    if (rc != 0) {
        close(fds[0]);
        return false;
    }
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    bool eof = false;
    while (!eof) {
        long left = ADDR2LINE_TIMEOUT_MS - ms_since(&t0);
        if (left <= 0 || out_len + 1 >= OUT_CAP) break;
        struct pollfd p = {fds[0], POLLIN, 0};
        int n = poll(&p, 1, (int)left);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        ssize_t got = read(fds[0], out + out_len, OUT_CAP - 1 - out_len);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) eof = got == 0;
        if (got <= 0) break;
        out_len += (size_t)got;
    }
    close(fds[0]);
    out[out_len] = '\0';
    /* Reap it; a child still running (output too long, or too slow) is killed. */
    int status;
    pid_t w = 0;
    while (eof && (w = waitpid(pid, &status, WNOHANG)) == 0 && ms_since(&t0) < ADDR2LINE_TIMEOUT_MS) {
        struct timespec nap = {0, 5 * 1000 * 1000};
        nanosleep(&nap, NULL);
    }
    if (w == 0) {
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        return false;
    }
    return eof;   /* reaped, or reaped already (SIGCHLD ignored): the output is whole */
}

/* The next line of out[] from *p, NUL-terminated in place; NULL at the end. */
static char *next_line(char **p) {
    char *s = *p;
    if (!s || !*s) return NULL;
    char *nl = strchr(s, '\n');
    if (nl) {
        *nl = '\0';
        *p = nl + 1;
    } else {
        *p = s + strlen(s);
    }
    return s;
}

static int nentries;

/* Is addr2line's "file:line" one it could not resolve ("??:0", "??:?", "file:?")? */
static bool unknown_location(const char *loc) {
    size_t len = strlen(loc);
    return strncmp(loc, "??", 2) == 0 || !strchr(loc, ':') || loc[len - 1] == '?' ||
           (len >= 2 && strcmp(loc + len - 2, ":0") == 0);
}

/* Resolve frames[0 .. n) (all in one object) with one addr2line run, appending an entry per
** function to tmp[] (frame by frame, innermost inlined call first). Returns false, with
** nothing added, when addr2line gave no usable answer. */
static bool resolve_object(const char *path, uintptr_t bias, const int *frames, int n, entry *tmp, int *ntmp) {
    static char addrs[MAX_FRAMES][24];
    char *argv[8 + MAX_FRAMES];
    int a = 0;
    argv[a++] = (char *)"addr2line";
    argv[a++] = (char *)"-a";
    argv[a++] = (char *)"-f";
    argv[a++] = (char *)"-C";
    argv[a++] = (char *)"-i";
    argv[a++] = (char *)"-e";
    argv[a++] = (char *)path;
    for (int k = 0; k < n; k++) {
        snprintf(addrs[k], sizeof addrs[k], "0x%lx", (unsigned long)(call_addr(frames[k]) - bias));
        argv[a++] = addrs[k];
    }
    argv[a] = NULL;
    size_t start = out_len;
    if (!run_capture(argv)) {
        out_len = start;
        return false;
    }
    /* Output: per address, its "0x..." line, then (function, file:line) pairs, innermost
    ** inlined call first. */
    char *p = out + start, *line;
    int k = -1, first = *ntmp;
    while ((line = next_line(&p)) != NULL) {
        if (strncmp(line, "0x", 2) == 0) {
            if (++k >= n) break;
            continue;
        }
        char *loc = next_line(&p);
        if (k < 0 || !loc || *loc == '\0' || *ntmp >= MAX_ENTRIES) break;
        char *disc = strstr(loc, " (discriminator");
        if (disc) *disc = '\0';
        tmp[(*ntmp)++] = (entry){frames[k], line, unknown_location(loc) ? NULL : loc};
    }
    if (k == n - 1 && *ntmp > first) return true;
    *ntmp = first;   /* a partial answer: not trusted */
    out_len = start;
    return false;
}

/* The frame of main among tmp[0 .. ntmp), or n when it is not there. */
static int frame_of_main(const entry *tmp, int ntmp, int n) {
    int f = n;
    for (int e = 0; e < ntmp; e++)
        if (tmp[e].name && strcmp(tmp[e].name, "main") == 0 && tmp[e].frame < f) f = tmp[e].frame;
    return f;
}

/* ---- which frames are the runtime's ---------------------------------------------------------- */

static bool has_runtime_name(const char *name) { return name && strncmp(name, "hl_", 3) == 0; }

/* A source file of the runtime: runtimes/<file>, include/heaplab.h or include/heaplab/<file>
** (file is addr2line's "path:line"). */
static bool is_runtime_file(const char *file) {
    const char *base = strrchr(file, '/');
    if (!base) return false;
    const char *dir = base;
    while (dir > file && dir[-1] != '/') dir--;
    size_t dlen = (size_t)(base - dir);
    base++;
    if (dlen == 8 && strncmp(dir, "runtimes", 8) == 0) return true;
    if (dlen == 7 && strncmp(dir, "heaplab", 7) == 0) return true;
    return dlen == 7 && strncmp(dir, "include", 7) == 0 && strncmp(base, "heaplab.h:", 10) == 0;
}

/* The runtime's names start with hl_ (a prefix the API reserves); its static functions are
** known by their file. The name is asked first: addr2line can give an inlined call the
** calling file's name with the header's line number. */
static bool is_runtime(const entry *e) { return has_runtime_name(e->name) || (e->file && is_runtime_file(e->file)); }

/* How many leading entries are the runtime's own. A frame without a file or a runtime name
** (a static function of the runtime built without -g) still counts when a runtime frame
** follows shortly: the program only enters the runtime through hl_ functions. */
static int runtime_prefix(void) {
    int k = 0;
    /* What called this function comes first (a sanitizer's interceptor of backtrace()). */
    for (int j = 0; j < nentries && j < 4; j++)
        if (entries[j].name && strcmp(entries[j].name, "hl__backtrace") == 0) k = j;
    while (k < nentries) {
        if (is_runtime(&entries[k])) {
            k++;
            continue;
        }
        bool inside = false;
        if (!entries[k].file)
            for (int j = k + 1; j < nentries && j <= k + 3 && !inside; j++) inside = is_runtime(&entries[j]);
        if (!inside) break;
        k++;
    }
    return k < nentries ? k : 0;   /* nothing but runtime frames: show them all */
}

/* ---- printing ------------------------------------------------------------------------------- */

static void print_fallback(int n, int skip) {
    char **syms = backtrace_symbols(pcs, n);
    fputs("stack backtrace:\n", stderr);
    if (!syms) {
        fflush(stderr);
        backtrace_symbols_fd(pcs + skip, n - skip, STDERR_FILENO);
        return;
    }
    for (int i = skip; i < n; i++) fprintf(stderr, "%4d: %s\n", i - skip, syms[i]);
    free(syms);
}

void hl__backtrace(void) {
    const char *v = getenv("HEAPLAB_BACKTRACE");
    if (!v || !*v || strcmp(v, "0") == 0) return;
    bool full = strcmp(v, "full") == 0;
    fflush(stderr);
    int n = backtrace(pcs, MAX_FRAMES);
    if (n <= 1) return;
    if (!buffers_ready()) {   /* out of memory: the raw frames */
        print_fallback(n, 1);
        fflush(stderr);
        return;
    }

    /* Group the frames by object; resolve the executable's first, and the others only when
    ** a frame of theirs comes before main. */
    object objs[MAX_OBJECTS];
    int obj_of[MAX_FRAMES], nobjs = 0;
    for (int i = 0; i < n; i++) {
        lookup l = {call_addr(i), {0, "", false}};
        obj_of[i] = -1;
        if (!dl_iterate_phdr(find_object, &l) || !l.obj.found) continue;
        int o = 0;
        while (o < nobjs && !(objs[o].bias == l.obj.bias && strcmp(objs[o].name, l.obj.name) == 0)) o++;
        if (o == nobjs) {
            if (nobjs == MAX_OBJECTS) continue;
            objs[nobjs++] = l.obj;
        }
        obj_of[i] = o;
    }
    int ntmp = 0;
    bool resolved[MAX_OBJECTS] = {false};
    out_len = 0;
    int main_frame = n;   /* the frame of main, once known */
    for (int pass = 0; pass < 2; pass++) {
        for (int o = 0; o < nobjs; o++) {
            bool exe = objs[o].name[0] == '\0';
            if ((pass == 0) != exe || resolved[o]) continue;
            int frames[MAX_FRAMES], nf = 0;
            for (int i = 0; i < n; i++)
                if (obj_of[i] == o && (full || i <= main_frame)) frames[nf++] = i;
            if (nf == 0) continue;
            char self[4096];
            const char *path = objs[o].name;
            if (exe) {
                ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
                if (len <= 0) continue;
                self[len] = '\0';
                path = self;
            }
            resolved[o] = resolve_object(path, objs[o].bias, frames, nf, tmp, &ntmp);
        }
        main_frame = frame_of_main(tmp, ntmp, n);
    }
    /* This function is in the program: if the program did not resolve, neither did anything
    ** worth showing. */
    int exe = 0;
    while (exe < nobjs && objs[exe].name[0] != '\0') exe++;
    if (exe == nobjs || !resolved[exe]) {
        print_fallback(n, 1);
        fflush(stderr);
        return;
    }
    /* entries[] in frame order; a frame nothing resolved gets one entry without a name. */
    nentries = 0;
    int last = full ? n - 1 : main_frame < n ? main_frame : n - 1;
    for (int i = 0; i <= last && nentries < MAX_ENTRIES; i++) {
        bool any = false;
        for (int e = 0; e < ntmp && nentries < MAX_ENTRIES; e++)
            if (tmp[e].frame == i) {
                entries[nentries++] = tmp[e];
                any = true;
            }
        if (!any) entries[nentries++] = (entry){i, NULL, NULL};
    }
    int k = full ? 0 : runtime_prefix();
    fputs("stack backtrace:\n", stderr);
    int shown = -1, prev = -1;
    for (; k < nentries; k++) {
        const entry *e = &entries[k];
        const char *name = e->name && strcmp(e->name, "??") != 0 ? e->name : "<unknown>";
        if (e->frame != prev) {
            shown++;
            prev = e->frame;
            fprintf(stderr, "%4d: %s\n", shown, name);
        } else {
            fprintf(stderr, "      %s\n", name);
        }
        if (e->file) fprintf(stderr, "             at %s\n", e->file);
    }
    fflush(stderr);
}
