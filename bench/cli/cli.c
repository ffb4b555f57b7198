/*
** bench/cli/cli.c: the heaplab command line: top-level help and dispatch to the commands
** (list, run, bench, sweep, safety).
*/
#define _GNU_SOURCE
#include "commands/commands.h"
#include "run/proc.h"
#include "commands/sweep.h"
#include "commands/safety.h"

#include <stdio.h>
#include <string.h>

static void usage(FILE *f) {
    fputs("usage: heaplab COMMAND [OPTIONS]   (heaplab COMMAND --help for each command)\n"
          "run heaplab's workload programs on its memory-management runtimes and compare them\n"
          "commands:\n"
          "  list                         programs (with descriptions) and runtimes available\n"
          "  run PROGRAM [--runtime R] [--size S]\n"
          "                               one run: its output, wall/CPU time, peak RSS, runtime statistics\n"
          "  bench [--programs a,b] [--runtimes r,s] [--reps N] [--warmup N] [--size S]\n"
          "        [--format md|csv|json] [--out DIR] [--timeout S]\n"
          "                               the comparison matrix (Markdown on stdout; CSV, JSON, plots in DIR)\n"
          "  sweep PROGRAM                GC space-time sweep: gc under heap limits of 1.25x..6x manual's peak live\n",
          f);
    fputs("  safety                       the safety matrix of programs/faults (see heaplab safety --help)\n", f);
    fputs("environment: HEAPLAB_ROOT  the source tree (default: the parent of the directory holding heaplab)\n"
          "measurement details: docs/measuring.md\n",
          f);
}

int hlb_main(int argc, char **argv) {
    if (argc < 2) {
        fputs("heaplab: error: missing COMMAND (try 'heaplab --help')\n", stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(cmd, "safety")) {
        hlb_proc_install_signals();
        return hl_safety_main(argc - 1, argv + 1);
    }
    int (*fn)(hlb_catalog *, int, char **) = !strcmp(cmd, "list")    ? hlb_cmd_list
                                             : !strcmp(cmd, "run")   ? hlb_cmd_run
                                             : !strcmp(cmd, "bench") ? hlb_cmd_bench
                                             : !strcmp(cmd, "sweep") ? hlb_cmd_sweep
                                                                     : NULL;
    if (!fn) {
        fprintf(stderr, "heaplab: error: unknown command '%s' (try 'heaplab --help')\n", cmd);
        return 2;
    }
    /* --help works without a build directory. */
    for (int i = 2; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) return fn(NULL, argc - 1, argv + 1);
    hlb_catalog c;
    char err[512];
    if (hlb_catalog_open(&c, NULL, err, sizeof err)) {
        fprintf(stderr, "heaplab: error: %s\n", err);
        hlb_catalog_close(&c);
        return 1;
    }
    hlb_proc_install_signals();
    int rc = fn(&c, argc - 1, argv + 1);
    hlb_catalog_close(&c);
    if (hlb_proc_interrupted()) {
        fprintf(stderr, "heaplab: interrupted; no results written\n");
        return 130;
    }
    return rc;
}
