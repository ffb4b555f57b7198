/*
** bench/cli/cli.c: the heaplab command line: the top-level help (generated from the command
** table) and the dispatch every command goes through (see commands/commands.h).
*/
#define _GNU_SOURCE
#include "commands/commands.h"
#include "report/outfile.h"
#include "run/proc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const hlb_command hlb_commands[] = {
    {&hlb_list_spec, hlb_cmd_list, 1},     {&hlb_run_spec, hlb_cmd_run, 1},
    {&hlb_bench_spec, hlb_cmd_bench, 1},   {&hlb_sweep_spec, hlb_cmd_sweep, 1},
    {&hlb_safety_spec, hlb_cmd_safety, 1}, {&hlb_compare_spec, hlb_cmd_compare, 0},
    {&hlb_claims_spec, hlb_cmd_claims, 1}, {&hlb_report_spec, hlb_cmd_report, 0},
    {NULL, NULL, 0},
};

static void usage(FILE *f) {
    fputs("usage: heaplab COMMAND [OPTIONS]   (heaplab COMMAND --help: the command's options)\n"
          "run heaplab's workload programs on its memory-management runtimes and compare them\n\n"
          "commands:\n",
          f);
    for (const hlb_command *c = hlb_commands; c->spec; c++) {
        char left[64];
        snprintf(left, sizeof left, "%s%s%s", c->spec->name, c->spec->args ? " " : "", c->spec->args ? c->spec->args : "");
        fprintf(f, "  %-26s %s\n", left, c->spec->summary);
    }
    fputs("\nEvery command takes --build DIR; the commands that print a table take --format md|csv|json\n"
          "and --out DIR. Options are '--opt VALUE' or '--opt=VALUE'; lists are comma-separated or repeated.\n"
          "environment: HEAPLAB_ROOT  the source tree whose build/ directory holds the programs\n"
          "             (default: found from where heaplab is; see docs/measuring.md)\n"
          "how each figure is measured: docs/measuring.md\n",
          f);
}

int hlb_main(int argc, char **argv) {
    if (argc < 2) {
        fputs("heaplab: error: missing COMMAND (try 'heaplab --help')\n", stderr);
        return 2;
    }
    const char *name = argv[1];
    if (!strcmp(name, "--help") || !strcmp(name, "-h") || !strcmp(name, "help")) {
        usage(stdout);
        return hlb_check_stdout("--help") ? 1 : 0;
    }
    const hlb_command *cmd = hlb_commands;
    while (cmd->spec && strcmp(cmd->spec->name, name)) cmd++;
    if (!cmd->spec) {
        fprintf(stderr, "heaplab: error: unknown command '%s' (try 'heaplab --help')\n", name);
        return 2;
    }
    hlb_opts o;
    char err[600];
    int pr = hlb_opts_parse(cmd->spec, argc - 1, argv + 1, &o, err, sizeof err);
    if (pr == HLB_ARGS_HELP) {
        hlb_opts_usage(cmd->spec, stdout);
        hlb_opts_free(&o);
        return hlb_check_stdout(name) ? 1 : 0;
    }
    if (pr) {
        fprintf(stderr, "%s\n", err);
        hlb_opts_free(&o);
        return 2;
    }
    hlb_ctx ctx = {&o, NULL, NULL, argc, argv};
    int rc;
    /* A command that needs no build directory still refuses a --build that names none, so
    ** that every command gives the option the same meaning. */
    if (!cmd->needs_build && o.build && !hlb_is_dir(o.build)) {
        rc = hlb_fail(&ctx, 2, "--build %s is not a directory", o.build);
        hlb_opts_free(&o);
        return rc;
    }
    if (o.out && hlb_check_out_dir(o.out, err, sizeof err)) {
        rc = hlb_fail(&ctx, 2, "%s", err);
        hlb_opts_free(&o);
        return rc;
    }
    hlb_catalog cat;
    if (cmd->needs_build) {
        if (hlb_catalog_open(&cat, o.build, err, sizeof err)) {
            rc = hlb_fail(&ctx, o.build ? 2 : 1, "%s", err);
            hlb_catalog_close(&cat);
            hlb_opts_free(&o);
            return rc;
        }
        ctx.cat = &cat;
        if (cmd->spec->args && !strcmp(cmd->spec->args, "PROGRAM") && !(ctx.prog = hlb_program_arg(&ctx, o.args[0]))) {
            hlb_catalog_close(&cat);
            hlb_opts_free(&o);
            return 2;
        }
    }
    hlb_proc_install_signals();
    rc = cmd->run(&ctx);
    if (hlb_proc_interrupted()) {
        fprintf(stderr, "heaplab %s: interrupted; no results written\n", name);
        rc = 130;
    } else if (hlb_check_stdout(name)) {
        rc = 1;
    }
    if (ctx.cat) hlb_catalog_close(&cat);
    hlb_opts_free(&o);
    return rc;
}
