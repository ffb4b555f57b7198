/*
** bench/run/proc.h: running one child process the way a benchmark harness must: its own process
** group, extra environment, captured stdout and stderr, a timeout, wall time from the
** monotonic clock and CPU time and peak RSS from wait4. Also the driver's Ctrl-C handling:
** an interrupt kills the running child's whole process group, so nothing is left behind.
*/
#ifndef HLB_PROC_H
#define HLB_PROC_H

#include <stddef.h>

typedef enum {
    HLB_PROC_EXITED,       /* code = exit status */
    HLB_PROC_SIGNALED,     /* code = signal number */
    HLB_PROC_TIMEOUT,      /* killed after the timeout */
    HLB_PROC_SPAWN_FAILED, /* could not start (code = errno) */
    HLB_PROC_INTERRUPTED,  /* the driver was interrupted (Ctrl-C); the child was killed */
} hlb_proc_end;

typedef struct hlb_proc_result {
    hlb_proc_end end;
    int code;
    double wall_s;        /* fork to exit, monotonic clock */
    double cpu_s;         /* user + system time of the child (wait4) */
    long maxrss_kib;      /* peak resident set size of the child (wait4 ru_maxrss) */
    char *out;            /* captured stdout (NUL-terminated; its last 1 MiB at most) */
    size_t out_len;
    char *err;            /* captured stderr (its last 64 KiB at most) */
    size_t err_len;
} hlb_proc_result;

/* Install SIGINT/SIGTERM/SIGHUP handlers that kill the running child's process group and
** mark the driver interrupted. Idempotent. */
void hlb_proc_install_signals(void);
/* The signal that interrupted the driver, or 0. */
int hlb_proc_interrupted(void);

/* Run argv[0] (a path) with argv, the driver's environment plus env (NAME=VALUE strings,
** NULL-terminated, may be NULL; they override), stdin from /dev/null. timeout_s <= 0 means
** none. Returns 0 when the child was started (see r->end), -1 otherwise. */
int hlb_proc_run(char *const argv[], char *const env[], double timeout_s, hlb_proc_result *r);
void hlb_proc_result_free(hlb_proc_result *r);

/* A short human-readable reason for a run that did not exit 0 (exit status, signal name,
** timeout), with the first line of stderr that says "error" when there is one. */
void hlb_proc_describe(const hlb_proc_result *r, char *buf, size_t len);

#endif
