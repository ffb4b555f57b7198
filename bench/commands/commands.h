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
#include "measure/schedule.h"

typedef struct hlb_ctx {
    hlb_opts *o;
    hlb_catalog *cat;        /* NULL for commands that need no build directory */
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
    hlb_compare_spec;
int hlb_cmd_list(hlb_ctx *ctx);
int hlb_cmd_run(hlb_ctx *ctx);
int hlb_cmd_bench(hlb_ctx *ctx);
int hlb_cmd_sweep(hlb_ctx *ctx);
int hlb_cmd_safety(hlb_ctx *ctx);
int hlb_cmd_compare(hlb_ctx *ctx);

/* Helpers the commands share. */

/* Print "heaplab CMD: error: <message>" (one line) and return status. */
int hlb_fail(const hlb_ctx *ctx, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Print "heaplab: notice: <message>". */
void hlb_notice(const char *msg);
/* The variant ratios are taken against: --baseline when given (it must be a bench variant that
** is available: else -1 with a message printed), else c when available, else manual. */
int hlb_pick_baseline(const hlb_ctx *ctx, const hlb_variant **out);
/* Start results r of the given kind: zeroed, kind set, provenance collected. */
void hlb_results_begin(const hlb_ctx *ctx, hlb_results *r, const char *kind);
/* The --out directory without trailing slashes (malloc'd), or NULL. */
char *hlb_out_dir(const hlb_ctx *ctx);

#endif
