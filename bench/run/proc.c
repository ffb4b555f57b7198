/*
** bench/run/proc.c: run one child with timeout, capture and resource usage (see proc.h).
**
** The child gets its own process group (so the terminal's Ctrl-C reaches only the driver,
** which then kills the whole group) and PR_SET_PDEATHSIG (so it dies even if the driver is
** killed outright). The driver waits on a pidfd, so the exit is seen at once, without
** polling; on kernels without pidfd_open it falls back to polling every millisecond.
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

#define OUT_CAP (1u << 20)
#define ERR_CAP (64u << 10)

static volatile sig_atomic_t child_pid;     /* the running child, 0 when none */
static volatile sig_atomic_t interrupted;   /* the signal that interrupted us */

static void on_signal(int sig) {
    interrupted = sig;
    pid_t p = child_pid;
    if (p > 0) {
        kill(-p, SIGKILL);
        kill(p, SIGKILL);
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

typedef struct {
    char *buf;
    size_t len, cap;
} capture;

/* Append, keeping only the last cap bytes. */
static void capture_add(capture *c, const char *data, size_t n) {
    if (n >= c->cap) {
        memcpy(c->buf, data + n - c->cap, c->cap);
        c->len = c->cap;
        return;
    }
    if (c->len + n > c->cap) {
        size_t drop = c->len + n - c->cap;
        memmove(c->buf, c->buf + drop, c->len - drop);
        c->len -= drop;
    }
    memcpy(c->buf + c->len, data, n);
    c->len += n;
}

/* Read what is available; returns 0 at EOF or error, 1 otherwise. */
static int drain(int fd, capture *c) {
    char tmp[65536];
    for (;;) {
        ssize_t n = read(fd, tmp, sizeof tmp);
        if (n > 0) {
            capture_add(c, tmp, (size_t)n);
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) return 1;
        return 0;
    }
}

static int pidfd_open_(pid_t pid) {
#ifdef SYS_pidfd_open
    return (int)syscall(SYS_pidfd_open, pid, 0);
#else
    (void)pid;
    errno = ENOSYS;
    return -1;
#endif
}

static void child_exec(char *const argv[], char *const env[], int out_w, int err_w, const sigset_t *old) {
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    sigprocmask(SIG_SETMASK, old, NULL);
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, 0);
    dup2(out_w, 1);
    dup2(err_w, 2);
    for (size_t i = 0; env && env[i]; i++) {
        char *eq = strchr(env[i], '=');
        if (!eq) continue;
        char *name = strndup(env[i], (size_t)(eq - env[i]));
        if (name) setenv(name, eq + 1, 1);
        free(name);
    }
    execv(argv[0], argv);
    dprintf(2, "heaplab: cannot run %s: %s\n", argv[0], strerror(errno));
    _exit(127);
}

int hlb_proc_run(char *const argv[], char *const env[], double timeout_s, hlb_proc_result *r) {
    memset(r, 0, sizeof *r);
    capture out = {hlb_xmalloc(OUT_CAP + 1), 0, OUT_CAP}, err = {hlb_xmalloc(ERR_CAP + 1), 0, ERR_CAP};
    r->out = out.buf;
    r->err = err.buf;
    r->out[0] = r->err[0] = 0;
    if (interrupted) {
        r->end = HLB_PROC_INTERRUPTED;
        return 0;
    }
    int po[2], pe[2];
    if (pipe2(po, O_CLOEXEC) < 0) {
        r->end = HLB_PROC_SPAWN_FAILED;
        r->code = errno;
        return -1;
    }
    if (pipe2(pe, O_CLOEXEC) < 0) {
        r->end = HLB_PROC_SPAWN_FAILED;
        r->code = errno;
        close(po[0]);
        close(po[1]);
        return -1;
    }
    /* Block the interrupt signals across fork so child_pid is set before a handler runs. */
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGHUP);
    sigprocmask(SIG_BLOCK, &block, &old);
    double t0 = hlb_now();
    pid_t pid = fork();
    if (pid == 0) child_exec(argv, env, po[1], pe[1], &old);
    if (pid < 0) {
        int e = errno;
        sigprocmask(SIG_SETMASK, &old, NULL);
        close(po[0]), close(po[1]), close(pe[0]), close(pe[1]);
        r->end = HLB_PROC_SPAWN_FAILED;
        r->code = e;
        return -1;
    }
    setpgid(pid, pid);
    child_pid = pid;
    sigprocmask(SIG_SETMASK, &old, NULL);
    close(po[1]);
    close(pe[1]);
    fcntl(po[0], F_SETFL, O_NONBLOCK);
    fcntl(pe[0], F_SETFL, O_NONBLOCK);
    int pidfd = pidfd_open_(pid);

    int status = 0, timed_out = 0, reaped = 0, out_open = 1, err_open = 1;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    double deadline = timeout_s > 0 ? t0 + timeout_s : 0, t1 = 0;
    while (!reaped) {
        struct pollfd fds[3];
        int nf = 0, ipid = -1, iout = -1, ierr = -1;
        if (pidfd >= 0) ipid = nf, fds[nf++] = (struct pollfd){pidfd, POLLIN, 0};
        if (out_open) iout = nf, fds[nf++] = (struct pollfd){po[0], POLLIN, 0};
        if (err_open) ierr = nf, fds[nf++] = (struct pollfd){pe[0], POLLIN, 0};
        int wait_ms = pidfd >= 0 ? 1000 : 1;
        if (deadline) {
            double left = deadline - hlb_now();
            if (left < 0) left = 0;
            if (left * 1000 < wait_ms) wait_ms = (int)(left * 1000) + 1;
        }
        int n = poll(fds, (nfds_t)nf, wait_ms);
        if (n > 0) {
            if (iout >= 0 && fds[iout].revents) out_open = drain(po[0], &out);
            if (ierr >= 0 && fds[ierr].revents) err_open = drain(pe[0], &err);
        }
        int check = pidfd < 0 || (n > 0 && ipid >= 0 && fds[ipid].revents);
        if (check) {
            pid_t w = wait4(pid, &status, WNOHANG, &ru);
            if (w == pid) {
                t1 = hlb_now();
                reaped = 1;
                break;
            }
        }
        if (!timed_out && deadline && hlb_now() >= deadline) {
            timed_out = 1;
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
        }
        if (interrupted) {
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
        }
        if (timed_out || interrupted) {
            /* Killed: reap it now (SIGKILL cannot be ignored). */
            while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR) {
            }
            t1 = hlb_now();
            reaped = 1;
        }
    }
    child_pid = 0;
    /* The group may hold grandchildren: make sure none survive. */
    kill(-pid, SIGKILL);
    if (pidfd >= 0) close(pidfd);
    if (out_open) drain(po[0], &out);
    if (err_open) drain(pe[0], &err);
    close(po[0]);
    close(pe[0]);
    out.buf[out.len] = 0;
    err.buf[err.len] = 0;
    r->out_len = out.len;
    r->err_len = err.len;
    r->wall_s = t1 - t0;
    r->cpu_s = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 + (double)ru.ru_stime.tv_sec +
               (double)ru.ru_stime.tv_usec * 1e-6;
    r->maxrss_kib = ru.ru_maxrss;
    if (interrupted) r->end = HLB_PROC_INTERRUPTED;
    else if (timed_out) r->end = HLB_PROC_TIMEOUT;
    else if (WIFSIGNALED(status)) r->end = HLB_PROC_SIGNALED, r->code = WTERMSIG(status);
    else r->end = HLB_PROC_EXITED, r->code = WEXITSTATUS(status);
    return 0;
}

void hlb_proc_result_free(hlb_proc_result *r) {
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

/* The first stderr line mentioning "error" (or else the last non-empty line). */
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
                    if (!strncmp(p + i, "error", 5) || !strncmp(p + i, "Error", 5) || !strncmp(p + i, "panic", 5)) {
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
