/*
** print.c: a sequence in readable form, one operation a line with its index, indented by the
** blocks it is in, as ops.def's READABLE column says, and the model's prediction after it:
**
**     #0    v3 = hl_new(&Node_type)
**     #1    { HL_WRITE(Node, b0, v3);
**     #2        field 0 of b0 = hl_move(&v1)
**     #3    }
**
** Borrows are named b0, b1, ... by depth, b0 the outermost; a field operation names the one
** it acts through.
*/
#include "model.h"

#include <string.h>

/* The name a field operation prints for field t of borrow k counted from the innermost: the
** borrows are named b<depth> in the order they were opened. */
void hlm_print_op(FILE *f, const hlm_op *o, int depth, int nregions) {
    const char *s = hlm_op_texts[o->code];
    int k = depth ? depth - 1 - o->b % depth : -1;   /* the named borrow's name */
    for (; *s; s++) {
        if (*s != '%' || !s[1]) {
            fputc(*s, f);
            continue;
        }
        switch (*++s) {
        case 'a': fprintf(f, "v%d", o->a); break;
        case 'b': fprintf(f, "v%d", o->b); break;
        case 'N': fputs(hlm_type_names[o->t % HLM_NTYPED], f); break;
        case 'T': fputs(hlm_type_names[o->t % HLM_NTYPES], f); break;
        case 's': fprintf(f, "%zu", hlm_size(o->n)); break;
        case 'i': fprintf(f, "%zu", hlm_index(o->n)); break;
        case 'x': fprintf(f, "%u", o->t); break;
        case 'n': fprintf(f, "%u", o->n); break;
        case 'L': fprintf(f, "%zu", hlm_list_len(o->n)); break;
        case 'S': fprintf(f, "%zu", hlm_steps(o->n)); break;
        case 'M': fprintf(f, "%ld", hlm_many(o->n)); break;
        case 'g': fprintf(f, "%u", o->n % 3); break;
        case 'v': fprintf(f, "%lld", (long long)hlm_value(o->t, o->n)); break;
        case 'd': fprintf(f, "b%d", depth); break;
        case 'P':
            switch (o->t % HLM_LOCAL_KINDS) {
            case HLM_BYTES: fprintf(f, "HL_LOCAL_BYTES(x, %zu)", hlm_local_len(o->t, o->n)); break;
            case HLM_REFS: fprintf(f, "HL_LOCAL_REFS(x, %zu)", hlm_local_len(o->t, o->n)); break;
            default: fprintf(f, "HL_LOCAL(%s, x)", hlm_type_names[o->t % HLM_LOCAL_KINDS]); break;
            }
            break;
        case 'R':
            if (nregions < HLM_MAX_REGIONS)
                fprintf(f, "r%d", nregions);
            else
                fputs("(too many regions: does nothing)", f);
            break;
        case 'r':
            if (nregions)
                fprintf(f, "r%d", o->b % nregions);
            else
                fputs("(no region begun: does nothing)", f);
            break;
        case 'k':
            if (k < 0)
                fputs("(no borrow: does nothing)", f);
            else
                fprintf(f, "b%d", k);
            break;
        case 'f':
            if (k < 0)
                fputs("(no borrow: does nothing)", f);
            else
                fprintf(f, "field %u of b%d", o->t, k);
            break;
        default: fputc('%', f), fputc(*s, f); break;
        }
    }
}

void hlm_print(FILE *f, const hlm_op *ops, size_t n, const hlm_pred *p) {
    int depth = 0, nregions = 0;
    for (size_t i = 0; i < n; i++) {
        const hlm_op *o = &ops[i];
        bool opens = o->code == HLM_READ || o->code == HLM_WRITE || o->code == HLM_READ_MANY || o->code == HLM_LOCAL;
        if (o->code == HLM_CLOSE && depth > 0) depth--;
        fprintf(f, "    #%-4zu %*s", i, 4 * depth, "");
        hlm_print_op(f, o, depth, nregions);
        if (o->code == HLM_REGION_BEGIN && nregions < HLM_MAX_REGIONS) nregions++;
        if (p && p->stops && p->at == i && hlm_site_unlocated(p->site))
            fprintf(f, "   <-- predicted: %s (no line)", hlm_kind_names[p->kind]);
        else if (p && p->stops && p->at == i)
            fprintf(f, "   <-- predicted: %s at %s:%d", hlm_kind_names[p->kind], hlm_interp_file, hlm_site_line(p->site));
        fputc('\n', f);
        if (opens && depth < HLM_MAX_DEPTH && !(p && p->stops && p->at == i)) depth++;
    }
    if (p && p->stops && p->at == n)
        fprintf(f, "    <-- predicted at the end of the blocks left open: %s (no line)\n", hlm_kind_names[p->kind]);
    if (p && !p->stops)
        fprintf(f, "    predicted: runs to the end; %zu objects (%zu bytes) leaked; observations %016llx\n", p->leaks,
                p->leak_bytes, (unsigned long long)p->obs);
}
