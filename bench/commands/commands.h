/*
** bench/commands/commands.h: the heaplab commands. hlb_main (cli/cli.c) finds the command
** named by argv[1], parses its options with its spec (cli/options.h), checks --out, finds the
** build directory when the command needs one, runs it, and checks that stdout was written.
** A command returns the exit status: 0 done, 1 failed (a run failed under --strict, a file
** could not be written, a gate failed), 2 bad arguments (one line on stderr), 130 interrupted.
*/
#ifndef HLB_COMMANDS_H
#define HLB_COMMANDS_H

#include "cli/options.h"
#include "discover/catalog.h"
#include "analyze/claims.h"
#include "measure/schedule.h"
#include "report/outfile.h"

typedef struct hlb_ctx {
    hlb_opts *o;
    hlb_catalog *cat;        /* NULL for commands that need no build directory */
    hlb_program *prog;       /* the PROGRAM argument of run and sweep, found in the catalog */
    int argc;                /* the whole command line, for the provenance */
    char **argv;
} hlb_ctx;

typedef struct hlb_command {
    const hlb_cmd_spec *spec;
    int (*run)(hlb_ctx *ctx);
    int needs_build;         /* open the catalog first */
} hlb_command;

/* The commands, in the order `heaplab --help` lists them; terminated by {NULL}. */
extern const hlb_command hlb_commands[];

int hlb_main(int argc, char **argv);

extern const hlb_cmd_spec hlb_list_spec, hlb_run_spec, hlb_bench_spec, hlb_sweep_spec, hlb_safety_spec,
    hlb_compare_spec, hlb_claims_spec, hlb_report_spec;
int hlb_cmd_list(hlb_ctx *ctx);
int hlb_cmd_run(hlb_ctx *ctx);
int hlb_cmd_bench(hlb_ctx *ctx);
int hlb_cmd_sweep(hlb_ctx *ctx);
int hlb_cmd_safety(hlb_ctx *ctx);
int hlb_cmd_compare(hlb_ctx *ctx);
int hlb_cmd_claims(hlb_ctx *ctx);
int hlb_cmd_report(hlb_ctx *ctx);

/* Helpers the commands share. */

/* Print "heaplab CMD: error: <message>" (one line) and return status. */
int hlb_fail(const hlb_ctx *ctx, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* "unknown <what> 'name' (one of: <the variants pick accepts>)" as an error; returns 2. */
int hlb_unknown_variant(const hlb_ctx *ctx, const char *what, const char *name, int (*pick)(const hlb_variant *));
/* The program called name, or NULL after the error "unknown program ..." (exit 2). */
hlb_program *hlb_program_arg(const hlb_ctx *ctx, const char *name);
/* Print "heaplab: notice: <message>". */
void hlb_notice(const char *msg);
/* The variant ratios are taken against: --baseline when given (it must be a bench variant that
** is available: else -1 with a message printed), else c when available, else manual. */
int hlb_pick_baseline(const hlb_ctx *ctx, const hlb_variant **out);
/* Start results r of the given kind: zeroed, kind set, provenance collected. */
void hlb_results_begin(const hlb_ctx *ctx, hlb_results *r, const char *kind);
/* The --out directory without trailing slashes (malloc'd), or NULL. */
char *hlb_out_dir(const hlb_ctx *ctx);
/* Measure every cell of r (progress on stderr), summarise, close the provenance and print the
** notices. Returns 0, or 130 when interrupted. */
int hlb_measure_results(hlb_results *r);
/* Write r to stdout in --format and, with --out, to DIR/<stem>.{md,csv,json}; then, unless
** --no-plots, draw its plot (plot may be NULL). Returns 0, or 1 when a write failed. */
int hlb_emit_results(const hlb_ctx *ctx, const hlb_results *r, hlb_writer fn, const char *stem,
                     int (*plot)(const hlb_results *, const char *, char *, size_t));

/* The evidence of the lesson's claims in results directory dir (commands/claims.c): each results
** file read into e; with run_missing (and the build directory open), what is missing is run first
** and written into dir. Unreadable files and failed runs are added to notices. Returns 0, or 130
** when interrupted. */
int hlb_claims_gather(const hlb_ctx *ctx, const char *dir, int run_missing, hlb_evidence *e, hlb_strlist *notices);
/* The sweep results file in dir: sweep_binary_trees.json, else the first sweep_*.json by name
** (malloc'd file name), or NULL. */
char *hlb_sweep_file(const char *dir);

#endif
