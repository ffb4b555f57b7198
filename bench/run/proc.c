/*
** bench/run/proc.c: the process runner (see proc.h).
**
** Each child gets its own process group (so the terminal's Ctrl-C reaches only the driver,
** which then kills every group) and PR_SET_PDEATHSIG (so it dies even if the driver is killed
** outright). The driver waits on a pidfd per child, so an exit is seen at once; on kernels
** without pidfd_open it polls every few milliseconds instead.
*/
#define _GNU_SOURCE
#include "run/proc.h"
#include "util/util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define OUT_KEEP (512u << 10)   /* bytes kept at each end of stdout */
#define ERR_KEEP (128u << 10)   /* and of stderr */

/* The process groups of the running children, for the signal handler (0 = free slot). */
static volatile sig_atomic_t running[HLB_PROC_MAX_PARALLEL];
static volatile sig_atomic_t interrupted;

static void on_signal(int sig) {
    interrupted = sig;
    for (int i = 0; i < HLB_PROC_MAX_PARALLEL; i++) {
        pid_t p = running[i];
        if (p > 0) {
            kill(-p, SIGKILL);
            kill(p, SIGKILL);
        }
    }
}

void hlb_proc_install_signals(void) {
    static int done;
    if (done) return;
    done = 1;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
}

int hlb_proc_interrupted(void) { return interrupted; }

/* ---- capture: the first `keep` bytes of a stream and a ring of its last `keep` bytes ------- */

typedef struct {
    char *head, *ring;
    size_t keep, head_len, ring_len, ring_pos;
    unsigned long long total;
} capture;

static void capture_add(capture *c, const char *data, size_t n) {
    c->total += n;
    size_t h = c->keep - c->head_len < n ? c->keep - c->head_len : n;
    if (h) {
        if (!c->head) c->head = hlb_xmalloc(c->keep);
        memcpy(c->head + c->head_len, data, h);
        c->head_len += h;
        data += h, n -= h;
    }
    if (!n) return;
    if (!c->ring) c->ring = hlb_xmalloc(c->keep);
    if (n >= c->keep) {
        memcpy(c->ring, data + n - c->keep, c->keep);
        c->ring_pos = 0, c->ring_len = c->keep;
        return;
    }
    for (size_t i = 0; i < n; i++) {
        c->ring[c->ring_pos] = data[i];
        c->ring_pos = (c->ring_pos + 1) % c->keep;
    }
    c->ring_len = c->ring_len + n > c->keep ? c->keep : c->ring_len + n;
}

/* The captured text, NUL-terminated, with a marker where bytes were dropped. */
static char *capture_text(capture *c, size_t *len) {
    unsigned long long dropped = c->total - c->head_len - c->ring_len;
    char mark[80] = "";
    if (dropped) snprintf(mark, sizeof mark, "\n[heaplab: %llu bytes not kept]\n", dropped);
    size_t n = c->head_len + strlen(mark) + c->ring_len;
    char *s = hlb_xmalloc(n + 1), *o = s;
    if (c->head_len) memcpy(o, c->head, c->head_len);
    o += c->head_len;
    memcpy(o, mark, strlen(mark));
    o += strlen(mark);
    size_t start = c->ring_len < c->keep ? 0 : c->ring_pos;
    for (size_t i = 0; i < c->ring_len; i++) *o++ = c->ring[(start + i) % c->keep];
    *o = 0;
    free(c->head);
    free(c->ring);
    c->head = c->ring = NULL;
    *len = n;
    return s;
}

/* Read what is available on *fd; close it at EOF or on an error. */
static void drain(int *fd, capture *c) {
    char tmp[65536];
    while (*fd >= 0) {
        ssize_t n = read(*fd, tmp, sizeof tmp);
        if (n > 0) {
            capture_add(c, tmp, (size_t)n);
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) return;
        close(*fd);
        *fd = -1;
    }
}

/* ---- one running child ------------------------------------------------------------------- */

typedef struct {
    hlb_job *job;
    pid_t pid;
    int pidfd, fd_out, fd_err, timed_out, slot;
    double t0, deadline;
    capture out, err;
} child;

static int pidfd_open_(pid_t pid) {
#ifdef SYS_pidfd_open
    return (int)syscall(SYS_pidfd_open, pid, 0);
#else
    (void)pid;
    errno = ENOSYS;
    return -1;
#endif
}

static void child_exec(const hlb_job *job, int out_w, int err_w, const sigset_t *old, pid_t parent) {
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);   /* the driver died before prctl */
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    sigprocmask(SIG_SETMASK, old, NULL);
    struct rlimit no_core = {0, 0};
    setrlimit(RLIMIT_CORE, &no_core);
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, 0);
    dup2(out_w, 1);
    dup2(err_w, 2);
    for (size_t i = 0; job->env && job->env[i]; i++) {
        const char *eq = strchr(job->env[i], '=');
        if (!eq) continue;
        char *name = strndup(job->env[i], (size_t)(eq - job->env[i]));
        if (name) setenv(name, eq + 1, 1);
        free(name);
    }
    execvp(job->argv[0], job->argv);
    dprintf(2, "heaplab: cannot run %s: %s\n", job->argv[0], strerror(errno));
    _exit(127);
}

static void spawn_failed(hlb_job *job, int e) {
    job->r.end = HLB_PROC_SPAWN_FAILED;
    job->r.code = e;
}

/* Start job in ch. Returns 0, or -1 (the job's result says why). */
static int start(child *ch, hlb_job *job, int slot) {
    memset(ch, 0, sizeof *ch);
    ch->job = job;
    ch->slot = slot;
    ch->out.keep = OUT_KEEP;
    ch->err.keep = ERR_KEEP;
    int po[2], pe[2];
    if (pipe2(po, O_CLOEXEC) < 0) return spawn_failed(job, errno), -1;
    if (pipe2(pe, O_CLOEXEC) < 0) {
        spawn_failed(job, errno);
        close(po[0]), close(po[1]);
        return -1;
    }
    /* Block the interrupt signals across fork, so that the handler sees the new group. */
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGHUP);
    sigprocmask(SIG_BLOCK, &block, &old);
    fflush(NULL);
    pid_t parent = getpid();
    ch->t0 = hlb_now();
    pid_t pid = fork();
    if (pid == 0) child_exec(job, po[1], pe[1], &old, parent);
    if (pid < 0) {
        int e = errno;
        sigprocmask(SIG_SETMASK, &old, NULL);
        close(po[0]), close(po[1]), close(pe[0]), close(pe[1]);
        return spawn_failed(job, e), -1;
    }
    setpgid(pid, pid);   /* also done by the child: whichever runs first */
    running[slot] = pid;
    sigprocmask(SIG_SETMASK, &old, NULL);
    close(po[1]);
    close(pe[1]);
    fcntl(po[0], F_SETFL, O_NONBLOCK);
    fcntl(pe[0], F_SETFL, O_NONBLOCK);
    ch->pid = pid;
    ch->fd_out = po[0];
    ch->fd_err = pe[0];
    ch->pidfd = pidfd_open_(pid);
    ch->deadline = job->timeout_s > 0 ? ch->t0 + job->timeout_s : 0;
    return 0;
}

static void kill_group(const child *ch) {
    kill(-ch->pid, SIGKILL);
    kill(ch->pid, SIGKILL);
}

/* The child has been reaped with status and ru: collect its output and fill the result. */
static void finish(child *ch, int status, const struct rusage *ru, double t1) {
    running[ch->slot] = 0;
    kill(-ch->pid, SIGKILL);   /* grandchildren left in the group */
    drain(&ch->fd_out, &ch->out);
    drain(&ch->fd_err, &ch->err);
    if (ch->fd_out >= 0) close(ch->fd_out);
    if (ch->fd_err >= 0) close(ch->fd_err);
    if (ch->pidfd >= 0) close(ch->pidfd);
    hlb_proc_result *r = &ch->job->r;
    r->out = capture_text(&ch->out, &r->out_len);
    r->err = capture_text(&ch->err, &r->err_len);
    r->wall_s = t1 - ch->t0;
    r->cpu_s = (double)ru->ru_utime.tv_sec + (double)ru->ru_utime.tv_usec * 1e-6 + (double)ru->ru_stime.tv_sec +
               (double)ru->ru_stime.tv_usec * 1e-6;
    r->maxrss_kib = ru->ru_maxrss;
    if (interrupted) r->end = HLB_PROC_INTERRUPTED;
    else if (ch->timed_out) r->end = HLB_PROC_TIMEOUT;
    else if (WIFSIGNALED(status)) r->end = HLB_PROC_SIGNALED, r->code = WTERMSIG(status);
    else r->end = HLB_PROC_EXITED, r->code = WEXITSTATUS(status);
}

/* Reap ch if it has exited (blocking when `block`). Returns 1 when reaped. */
static int try_reap(child *ch, int block) {
    int status = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    pid_t w;
    while ((w = wait4(ch->pid, &status, block ? 0 : WNOHANG, &ru)) < 0 && errno == EINTR) {
    }
    if (w != ch->pid) return 0;
    finish(ch, status, &ru, hlb_now());
    return 1;
}

int hlb_proc_run_jobs(hlb_job *jobs, size_t n, int parallel) {
    if (parallel < 1) parallel = 1;
    if (parallel > HLB_PROC_MAX_PARALLEL) parallel = HLB_PROC_MAX_PARALLEL;
    for (size_t i = 0; i < n; i++) memset(&jobs[i].r, 0, sizeof jobs[i].r);
    child act[HLB_PROC_MAX_PARALLEL];
    int used[HLB_PROC_MAX_PARALLEL] = {0};
    size_t next = 0, nact = 0;
    struct pollfd pfd[3 * HLB_PROC_MAX_PARALLEL];
    for (;;) {
        while (!interrupted && nact < (size_t)parallel && next < n) {
            hlb_job *job = &jobs[next++];
            int slot = 0;
            while (used[slot]) slot++;
            if (start(&act[nact], job, slot) == 0) {
                used[slot] = 1;
                nact++;
            }
        }
        if (interrupted) {
            for (size_t i = 0; i < nact; i++) kill_group(&act[i]);
            for (size_t i = 0; i < nact; i++) try_reap(&act[i], 1);
            nact = 0;
            break;
        }
        if (!nact) break;
        /* Wait for output, an exit, or the nearest deadline. */
        nfds_t np = 0;
        int poll_ms = 1000;
        double t = hlb_now();
        for (size_t i = 0; i < nact; i++) {
            child *ch = &act[i];
            if (ch->pidfd >= 0) pfd[np++] = (struct pollfd){ch->pidfd, POLLIN, 0};
            else poll_ms = 5;
            if (ch->fd_out >= 0) pfd[np++] = (struct pollfd){ch->fd_out, POLLIN, 0};
            if (ch->fd_err >= 0) pfd[np++] = (struct pollfd){ch->fd_err, POLLIN, 0};
            if (ch->deadline && !ch->timed_out) {
                double left = ch->deadline - t;
                int ms = left <= 0 ? 0 : (int)(left * 1000) + 1;
                if (ms < poll_ms) poll_ms = ms;
            }
        }
        if (poll(pfd, np, poll_ms) < 0 && errno != EINTR) poll_ms = 5;
        for (size_t i = 0; i < nact;) {
            child *ch = &act[i];
            drain(&ch->fd_out, &ch->out);
            drain(&ch->fd_err, &ch->err);
            if (!ch->timed_out && ch->deadline && hlb_now() >= ch->deadline) {
                ch->timed_out = 1;
                kill_group(ch);
            }
            if (try_reap(ch, 0)) {
                used[ch->slot] = 0;
                act[i] = act[--nact];
            } else {
                i++;
            }
        }
    }
    for (size_t i = 0; i < n; i++) {
        hlb_proc_result *r = &jobs[i].r;
        if (i >= next || (!r->out && r->end != HLB_PROC_SPAWN_FAILED)) r->end = HLB_PROC_INTERRUPTED;
        if (!r->out) r->out = hlb_xcalloc(1, 1);
        if (!r->err) r->err = hlb_xcalloc(1, 1);
    }
    return interrupted ? -1 : 0;
}

int hlb_proc_run(char *const argv[], char *const env[], double timeout_s, hlb_proc_result *r) {
    hlb_job job = {argv, env, timeout_s, {0}};
    hlb_proc_run_jobs(&job, 1, 1);
    *r = job.r;
    return r->end == HLB_PROC_SPAWN_FAILED ? -1 : 0;
}

void hlb_proc_result_free(hlb_proc_result *r) {
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

/* The first stderr line mentioning an error (or else the last non-empty line). */
static void stderr_hint(const char *err, char *buf, size_t len) {
    buf[0] = 0;
    const char *pick = NULL, *last = NULL;
    size_t pick_len = 0, last_len = 0;
    for (const char *p = err; *p;) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n) {
            last = p, last_len = n;
            if (!pick) {
                for (size_t i = 0; i + 5 <= n; i++)
                    if (!strncmp(p + i, "error", 5) || !strncmp(p + i, "Error", 5) || !strncmp(p + i, "panic", 5) ||
                        !strncmp(p + i, "Out of", 6)) {
                        pick = p, pick_len = n;
                        break;
                    }
            }
        }
        if (!e) break;
        p = e + 1;
    }
    if (!pick) pick = last, pick_len = last_len;
    if (pick) {
        if (pick_len > 120) pick_len = 120;
        snprintf(buf, len, "%.*s", (int)pick_len, pick);
        for (char *c = buf; *c; c++)
            if (*c == '\t' || *c == '\r' || *c == '|' || *c == '"' || *c == ',') *c = ' ';
    }
}

void hlb_proc_describe(const hlb_proc_result *r, char *buf, size_t len) {
    char hint[160];
    stderr_hint(r->err ? r->err : "", hint, sizeof hint);
    const char *sep = hint[0] ? ": " : "";
    switch (r->end) {
    case HLB_PROC_EXITED: snprintf(buf, len, "exit status %d%s%s", r->code, sep, hint); break;
    case HLB_PROC_SIGNALED: snprintf(buf, len, "killed by signal %d (%s)%s%s", r->code, strsignal(r->code), sep, hint); break;
    case HLB_PROC_TIMEOUT: snprintf(buf, len, "timed out after %.1f s", r->wall_s); break;
    case HLB_PROC_SPAWN_FAILED: snprintf(buf, len, "could not start: %s", strerror(r->code)); break;
    case HLB_PROC_INTERRUPTED: snprintf(buf, len, "interrupted"); break;
    }
}
