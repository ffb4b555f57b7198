/*
** bench/measure/sample.h: one measured run of one program on one variant: the child's wall and
** CPU time and peak RSS (run/proc.h), its checksum line, and the runtime statistics it writes
** to the file named by HEAPLAB_STATS (a private temporary file per run).
*/
#ifndef HLB_SAMPLE_H
#define HLB_SAMPLE_H

#include "discover/variants.h"
#include "run/proc.h"

#include <stdint.h>

/* How a run, and a cell of runs, ended (report/table.h names them). */
typedef enum { HLB_OK, HLB_FAILED, HLB_TIMEOUT, HLB_MISMATCH, HLB_INTERRUPTED, HLB_OOM, HLB_NSTATUS } hlb_status;

typedef struct hlb_rtstats {
    int have;                    /* the stats file was written and read */
    char runtime[16];
    uint64_t allocations, frees, bytes_allocated, live_objects, peak_live_bytes, collections, gc_heap_bytes;
} hlb_rtstats;

typedef struct hlb_sample {
    hlb_status status;
    char reason[240];            /* why not ok */
    double wall_s, cpu_s;
    long rss_kib;
    char checksum[40];           /* hex from the checksum line */
    long long size;              /* size= from the checksum line */
    hlb_rtstats stats;
} hlb_sample;

/* Run prog on v with argument arg ("" = none) and extra environment extra_env (may be NULL),
** fill s. With want_stats the runtime is asked for its statistics (HEAPLAB_STATS, read into
** s->stats): that run is instrumented (the runtimes keep byte totals only when asked), so a
** timed run passes 0. keep, when not NULL, receives the process result (the caller frees
** it). A run that fails saying it ran out of memory is HLB_OOM. */
void hlb_sample_run(const hlb_variant *v, const char *prog, const char *arg, char *const extra_env[], int want_stats,
                    double timeout_s, hlb_sample *s, hlb_proc_result *keep);

/* Parse the checksum line "<name> size=<n> checksum=<hex>" from the last non-empty line of
** out. Returns 0 when it is there and names prog. */
int hlb_parse_checksum(const char *out, const char *prog, long long *size, char *hex, size_t hexlen);

/* Read a HEAPLAB_STATS file. Returns 0 when it holds the expected keys. */
int hlb_read_rtstats(const char *path, hlb_rtstats *st);

/* The private temporary directory for stats files (created on first use, removed at exit). */
const char *hlb_tmpdir(void);

#endif
