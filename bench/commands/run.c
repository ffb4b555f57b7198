/*
** bench/commands/run.c: `heaplab run PROGRAM`: one run on one runtime variant: the program's own
** output, then its wall and CPU time, peak RSS and the runtime's statistics.
*/
#define _GNU_SOURCE
#include "cli/options.h"
#include "commands/commands.h"
#include "measure/sample.h"
#include "discover/sizes.h"
#include "discover/variants.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char *run_help =
    "usage: heaplab run PROGRAM [--runtime R] [--size small|default|large|N] [--timeout S]\n"
    "run one program once on one runtime and show its output, time, peak RSS and runtime statistics\n"
    "  --runtime R   a runtime from 'heaplab list' (default manual)\n"
    "  --size S      small, default (no argument: the program's own default), large, or a number\n"
    "  --timeout S   seconds before the run is killed (default 600)\n"
    "Exit status: 0 when the run succeeded, 1 when it failed, 2 on bad arguments.\n";

int hlb_cmd_run(hlb_catalog *c, int argc, char **argv) {
    hlb_run_opts o;
    char err[512];
    int pr = hlb_parse_run(argc, argv, &o, err, sizeof err);
    if (pr == HLB_ARGS_HELP) return fputs(run_help, stdout), 0;
    if (pr) return fprintf(stderr, "%s\n", err), 2;
    hlb_program *p = hlb_catalog_program(c, o.program);
    if (!p) return fprintf(stderr, "heaplab run: unknown program '%s' (heaplab list shows the programs)\n", o.program), 2;
    hlb_variant *v = hlb_catalog_variant(c, o.runtime);
    if (!v) return fprintf(stderr, "heaplab run: unknown runtime '%s' (heaplab list shows the runtimes)\n", o.runtime), 2;
    if (!v->available) return fprintf(stderr, "heaplab run: runtime %s is not available: %s\n", v->name, v->notice), 1;
    hlb_size sz;
    if (hlb_size_resolve(c, p, o.size, &sz, err, sizeof err))
        return fprintf(stderr, "heaplab run: %s\n", err), 2;
    if (sz.notice[0]) fprintf(stderr, "heaplab: notice: %s\n", sz.notice);
    hlb_sample s;
    hlb_proc_result r;
    hlb_measure(v, p->name, sz.arg, NULL, o.timeout_s, &s, &r);
    if (s.status == HLB_INTERRUPT) {
        hlb_proc_result_free(&r);
        return 130;
    }
    if (r.out) fwrite(r.out, 1, r.out_len, stdout);
    if (r.err && r.err_len) {
        fflush(stdout);
        fwrite(r.err, 1, r.err_len, stderr);
    }
    hlb_proc_result_free(&r);
    printf("--- heaplab run: %s on %s, size %s%s\n", p->name, v->name, o.size, sz.arg[0] ? "" : " (no argument)");
    for (int i = 0; i < HLB_MAX_ENV && v->env[i]; i++) printf("environment   %s\n", v->env[i]);
    printf("status        %s%s%s\n", hlb_status_name(s.status), s.status == HLB_OK ? "" : ": ",
           s.status == HLB_OK ? "" : s.reason);
    if (s.status == HLB_OK) printf("checksum      %s (size %lld)\n", s.checksum, s.size);
    printf("wall time     %.3f s\n", s.wall_s);
    printf("CPU time      %.3f s (user + system)\n", s.cpu_s);
    printf("peak RSS      %.1f MiB (%ld KiB)\n", (double)s.rss_kib / 1024.0, s.rss_kib);
    const hlb_rtstats *st = &s.stats;
    if (st->have) {
        printf("runtime       %s\n", st->runtime);
        printf("allocations   %" PRIu64 "\n", st->allocations);
        printf("frees         %" PRIu64 "\n", st->frees);
        printf("bytes alloc.  %" PRIu64 "\n", st->bytes_allocated);
        printf("live objects  %" PRIu64 "\n", st->live_objects);
        printf("peak live     %" PRIu64 " bytes\n", st->peak_live_bytes);
        printf("collections   %" PRIu64 "\n", st->collections);
        printf("GC heap       %" PRIu64 " bytes\n", st->gc_heap_bytes);
    } else if (s.status == HLB_OK) {
        printf("statistics    none (the program did not write HEAPLAB_STATS)\n");
    }
    return s.status == HLB_OK ? 0 : 1;
}
