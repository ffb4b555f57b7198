/*
** bench/commands/list.c: `heaplab list`: the programs (with their one-line descriptions, size
** meaning and range, and bench sizes) and the runtime variants, with why any is unavailable.
*/
#define _GNU_SOURCE
#include "cli/options.h"
#include "commands/commands.h"
#include "discover/sizes.h"
#include "discover/variants.h"

#include <stdio.h>
#include <string.h>

static const char *list_help = "usage: heaplab list\n"
                               "list the programs (with their descriptions and sizes) and the runtimes available\n";

int hlb_cmd_list(hlb_catalog *c, int argc, char **argv) {
    char err[512];
    int pr = hlb_parse_noopts(argc, argv, "list", err, sizeof err);
    if (pr == HLB_ARGS_HELP) return fputs(list_help, stdout), 0;
    if (pr) return fprintf(stderr, "%s\n", err), 2;
    printf("programs (%zu):\n", c->nprogs);
    for (size_t i = 0; i < c->nprogs; i++) {
        hlb_program *p = &c->progs[i];
        hlb_program_spec(c, p);
        printf("  %-20s %s\n", p->name, *p->about ? p->about : "(no description: not built?)");
        hlb_size sm, lg;
        if (p->have_range && !hlb_size_resolve(c, p, "small", &sm, err, sizeof err) &&
            !hlb_size_resolve(c, p, "large", &lg, err, sizeof err))
            printf("  %-20s size: %s, %lld..%lld; small %lld, default %lld, large %lld\n", "", p->what, p->min, p->max,
                   sm.value, p->dflt, lg.value);
    }
    printf("runtimes:\n");
    for (size_t i = 0; i < c->nvars; i++) {
        hlb_variant *v = &c->vars[i];
        printf("  %-20s %s%s%s\n", v->name, v->about, v->available ? "" : "\n                       not available: ",
               v->available ? "" : v->notice);
    }
    return 0;
}
