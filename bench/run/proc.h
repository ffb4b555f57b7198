/*
** bench/run/proc.h: the driver's one process runner. It runs child processes the way a
** benchmark harness must, one at a time (bench, sweep, run) or N at once (safety): each child
** in its own process group, with extra environment variables, stdin from /dev/null, stdout
** and stderr captured, no core dumps, a timeout, PR_SET_PDEATHSIG (it dies with the driver),
** wall time from the monotonic clock and CPU time and peak RSS from wait4.
**
** Ctrl-C (SIGINT; also SIGTERM and SIGHUP) once hlb_proc_install_signals has run: every running
** child's whole process group is killed at once, no further child is started, and
** hlb_proc_interrupted() says so; the command then exits with status 130.
*/
#ifndef HLB_PROC_H
#define HLB_PROC_H

#include <stddef.h>

/* At most this many children run at once. */
#define HLB_PROC_MAX_PARALLEL 64

typedef enum {
    HLB_PROC_EXITED,       /* code = exit status */
    HLB_PROC_SIGNALED,     /* code = signal number */
    HLB_PROC_TIMEOUT,      /* killed after the timeout */
    HLB_PROC_SPAWN_FAILED, /* could not start (code = errno) */
    HLB_PROC_INTERRUPTED,  /* the driver was interrupted (Ctrl-C); the child was killed or never started */
} hlb_proc_end;

typedef struct hlb_proc_result {
    hlb_proc_end end;
    int code;
    double wall_s;        /* fork to exit, monotonic clock */
    double cpu_s;         /* user + system time of the child (wait4) */
    long maxrss_kib;      /* peak resident set size of the child (wait4 ru_maxrss) */
    char *out;            /* captured stdout, NUL-terminated: its first and last 512 KiB at most */
    size_t out_len;
    char *err;            /* captured stderr: its first and last 128 KiB at most */
    size_t err_len;
} hlb_proc_result;

/* One child to run. */
typedef struct hlb_job {
    char *const *argv;     /* argv[0]: a path, or a command name looked up on PATH */
    char *const *env;      /* NAME=VALUE strings added to (or overriding) the driver's
                           ** environment, NULL-terminated; may be NULL */
    double timeout_s;      /* <= 0: none */
    hlb_proc_result r;     /* filled by hlb_proc_run_jobs; free with hlb_proc_result_free */
} hlb_job;

/* Install the interrupt handlers (idempotent). */
void hlb_proc_install_signals(void);
/* The signal that interrupted the driver, or 0. */
int hlb_proc_interrupted(void);

/* Run every job, at most `parallel` (1..HLB_PROC_MAX_PARALLEL) at a time, in order of start.
** Returns 0, or -1 when the driver was interrupted (every job not finished by then ends
** HLB_PROC_INTERRUPTED). */
int hlb_proc_run_jobs(hlb_job *jobs, size_t n, int parallel);

/* One job: argv, env and timeout as in hlb_job. Returns 0 when the child was started (see
** r->end), -1 otherwise. */
int hlb_proc_run(char *const argv[], char *const env[], double timeout_s, hlb_proc_result *r);
void hlb_proc_result_free(hlb_proc_result *r);

/* A short human-readable reason for a run that did not exit 0 (exit status, signal name,
** timeout), with the first line of stderr that says "error" when there is one. */
void hlb_proc_describe(const hlb_proc_result *r, char *buf, size_t len);

#endif
