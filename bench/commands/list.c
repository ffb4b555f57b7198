/*
** bench/commands/list.c: `heaplab list`: the programs (with their one-line descriptions, size
** meaning and range, and bench sizes), the runtime variants with why any is unavailable, and
** what bench and safety use each for.
*/
#define _GNU_SOURCE
#include "commands/commands.h"
#include "discover/sizes.h"

#include <stdio.h>
#include <string.h>

const hlb_cmd_spec hlb_list_spec = {
    "list", NULL, 0, 0, "the programs (with their descriptions and sizes) and the runtime variants",
    (const hlb_cmd_opt[]){{&hlb_opt_build, NULL}, {NULL, NULL}}, NULL,
};

int hlb_cmd_list(hlb_ctx *ctx) {
    hlb_catalog *c = ctx->cat;
    char err[512];
    printf("programs (%zu) in %s:\n", c->nprogs, c->build);
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
    printf("variants (rows of bench and run; safety's columns are marked):\n");
    for (size_t i = 0; i < c->nvars; i++) {
        hlb_variant *v = &c->vars[i];
        const char *use = v->bench && v->safety ? "bench, safety"
                        : v->safety                   ? "safety"
                        : v->on_request               ? "bench on request: --runtimes"
                                                      : "bench";
        printf("  %-20s %s [%s]\n", v->name, v->about, use);
        if (!v->available) printf("  %-20s not available: %s\n", "", v->notice);
    }
    return 0;
}
