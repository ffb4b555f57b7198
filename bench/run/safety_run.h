/*
** bench/run/safety_run.h: run many short child processes at once, each with a timeout, its own
** process group, no core dumps, and its stdout and stderr captured (the first part of each:
** the first diagnostic is what the safety matrix wants).
*/
#ifndef HL_SAFETY_RUN_H
#define HL_SAFETY_RUN_H

#include <stdbool.h>
#include <stddef.h>

#include "analyze/classify.h"

#define HL_JOB_OUT_MAX (1u << 20)   /* bytes of stdout kept */
#define HL_JOB_ERR_MAX (256u << 10) /* bytes of stderr kept */

typedef struct hl_job {
    /* in */
    const char *const *argv;   /* argv[0] is looked up in PATH if it has no '/' */
    const char *const *env;    /* extra NAME=VALUE strings, NULL-terminated; may be NULL */
    double timeout_s;          /* <= 0: none */
    /* out */
    bool spawn_failed;         /* fork or exec failed (obs then says exit status 127) */
    hl_run_obs obs;            /* obs.out and obs.err are malloc'd, NUL-terminated */
    double wall_s;
    /* private */
    int pid, fd_out, fd_err;
    size_t out_len, out_cap, err_len, err_cap;
    double deadline;
    bool reaped;
} hl_job;

/* Run all jobs, at most parallel (>= 1) at a time. Returns 0, or -1 if a pipe or fork
** could not be made at all (each job's spawn_failed says which). */
int hl_run_jobs(hl_job *jobs, size_t n, int parallel);

/* Free a job's captured output. */
void hl_job_free(hl_job *job);

#endif
