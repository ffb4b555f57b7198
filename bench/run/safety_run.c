/*
** bench/run/safety_run.c: the safety matrix's process runner (see safety_run.h).
*/
#define _GNU_SOURCE
#include "run/safety_run.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void child_exec(const hl_job *job, int out, int err) {
    setpgid(0, 0);
    struct rlimit no_core = {0, 0};
    setrlimit(RLIMIT_CORE, &no_core);
    int in = open("/dev/null", O_RDONLY);
    if (in >= 0) dup2(in, STDIN_FILENO);
    dup2(out, STDOUT_FILENO);
    dup2(err, STDERR_FILENO);
    if (job->env)
        for (const char *const *e = job->env; *e; e++) putenv((char *)*e);
    execvp(job->argv[0], (char *const *)job->argv);
    dprintf(STDERR_FILENO, "heaplab safety: cannot run %s: %s\n", job->argv[0], strerror(errno));
    _exit(127);
}

static int start(hl_job *job) {
    int po[2], pe[2];
    job->obs.out = job->obs.err = NULL;
    job->out_len = job->err_len = 0;
    job->out_cap = job->err_cap = 0;
    job->reaped = false;
    job->pid = -1;
    job->fd_out = job->fd_err = -1;
    if (pipe2(po, O_CLOEXEC) != 0) return -1;
    if (pipe2(pe, O_CLOEXEC) != 0) {
        close(po[0]), close(po[1]);
        return -1;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(po[0]), close(po[1]), close(pe[0]), close(pe[1]);
        return -1;
    }
    if (pid == 0) child_exec(job, po[1], pe[1]);
    setpgid(pid, pid);   /* also in the child: whoever runs first */
    close(po[1]);
    close(pe[1]);
    job->pid = pid;
    job->fd_out = po[0];
    job->fd_err = pe[0];
    job->wall_s = now();
    job->deadline = job->timeout_s > 0 ? job->wall_s + job->timeout_s : 0;
    return 0;
}

/* Read what is there on *fd into the buffer (keeping at most max bytes); close on EOF. */
static void drain(int *fd, char **buf, size_t *len, size_t *cap, size_t max) {
    char tmp[16384];
    ssize_t r = read(*fd, tmp, sizeof tmp);
    if (r < 0 && (errno == EINTR || errno == EAGAIN)) return;
    if (r <= 0) {
        close(*fd);
        *fd = -1;
        return;
    }
    size_t keep = (size_t)r;
    if (*len + keep > max) keep = max > *len ? max - *len : 0;
    if (keep == 0) return;
    if (*len + keep + 1 > *cap) {
        size_t c = *cap ? *cap : 4096;
        while (c < *len + keep + 1) c *= 2;
        char *p = realloc(*buf, c);
        if (!p) return;
        *buf = p;
        *cap = c;
    }
    memcpy(*buf + *len, tmp, keep);
    *len += keep;
    (*buf)[*len] = '\0';
}

static void finish(hl_job *job, int status) {
    job->reaped = true;
    job->wall_s = now() - job->wall_s;
    if (WIFSIGNALED(status)) {
        job->obs.signal = WTERMSIG(status);
        job->obs.exit_status = 0;
    } else {
        job->obs.signal = 0;
        job->obs.exit_status = WEXITSTATUS(status);
    }
    job->obs.timeout_s = job->timeout_s;
    if (!job->obs.out) job->obs.out = calloc(1, 1);
    if (!job->obs.err) job->obs.err = calloc(1, 1);
}

int hl_run_jobs(hl_job *jobs, size_t n, int parallel) {
    if (parallel < 1) parallel = 1;
    size_t next = 0, active = 0, done = 0;
    int rc = 0;
    hl_job **act = calloc((size_t)parallel, sizeof *act);
    struct pollfd *pfd = calloc(2 * (size_t)parallel, sizeof *pfd);
    if (!act || !pfd) {
        free(act), free(pfd);
        return -1;
    }
    while (done < n) {
        while (active < (size_t)parallel && next < n) {
            hl_job *j = &jobs[next++];
            memset(&j->obs, 0, sizeof j->obs);
            j->spawn_failed = false;
            if (start(j) != 0) {
                j->spawn_failed = true;
                j->obs.exit_status = 127;
                j->obs.out = calloc(1, 1);
                j->obs.err = strdup("heaplab safety: cannot start the process\n");
                rc = -1;
                done++;
                continue;
            }
            act[active++] = j;
        }
        /* Wait for output, an exit or the nearest deadline. */
        nfds_t np = 0;
        double t = now(), wait_s = 0.05;
        for (size_t i = 0; i < active; i++) {
            hl_job *j = act[i];
            if (j->fd_out >= 0) pfd[np++] = (struct pollfd){.fd = j->fd_out, .events = POLLIN};
            if (j->fd_err >= 0) pfd[np++] = (struct pollfd){.fd = j->fd_err, .events = POLLIN};
        }
        if (np > 0) {
            wait_s = 1.0;
            for (size_t i = 0; i < active; i++)
                if (act[i]->deadline > 0 && !act[i]->obs.timed_out && act[i]->deadline - t < wait_s)
                    wait_s = act[i]->deadline - t;
            if (wait_s < 0) wait_s = 0;
            if (poll(pfd, np, (int)(wait_s * 1000) + 1) < 0 && errno != EINTR) break;
        } else {
            struct timespec ts = {0, 5 * 1000 * 1000};
            nanosleep(&ts, NULL);
        }
        for (size_t i = 0; i < active; i++) {
            hl_job *j = act[i];
            for (nfds_t k = 0; k < np; k++) {
                if (!(pfd[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
                if (pfd[k].fd == j->fd_out && j->fd_out >= 0)
                    drain(&j->fd_out, (char **)&j->obs.out, &j->out_len, &j->out_cap, HL_JOB_OUT_MAX);
                else if (pfd[k].fd == j->fd_err && j->fd_err >= 0)
                    drain(&j->fd_err, (char **)&j->obs.err, &j->err_len, &j->err_cap, HL_JOB_ERR_MAX);
            }
            if (j->deadline > 0 && !j->obs.timed_out && now() >= j->deadline) {
                j->obs.timed_out = true;
                kill(-j->pid, SIGKILL);
                kill(j->pid, SIGKILL);
            }
            if (j->fd_out < 0 && j->fd_err < 0) {
                int status;
                pid_t r = waitpid(j->pid, &status, WNOHANG);
                if (r == j->pid) finish(j, status);
            }
        }
        /* Retire finished jobs. */
        for (size_t i = 0; i < active;) {
            if (act[i]->reaped) {
                act[i] = act[--active];
                done++;
            } else {
                i++;
            }
        }
    }
    free(act);
    free(pfd);
    return rc;
}

void hl_job_free(hl_job *job) {
    free((char *)job->obs.out);
    free((char *)job->obs.err);
    job->obs.out = job->obs.err = NULL;
}
