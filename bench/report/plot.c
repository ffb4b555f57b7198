/*
** bench/report/plot.c: gnuplot scripts for the bench and sweep plots (see plot.h). Each plot is
** rendered to a temporary file in the output directory and renamed into place.
*/
#define _GNU_SOURCE
#include "report/plot.h"
#include "report/outfile.h"
#include "run/proc.h"
#include "util/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *hlb_gnuplot(void) { return hlb_which("gnuplot"); }

static const char *preamble =
    "set terminal svg size 960,540 dynamic noenhanced font 'sans,12' background rgb 'white'\n"
    "set datafile missing '?'\n"
    "set grid ytics\n";

/* Run gnuplot on script text, producing out (atomically). */
static int render(const char *script, const char *out, char *err, size_t errlen) {
    char *gp = hlb_gnuplot();
    if (!gp) {
        snprintf(err, errlen, "gnuplot not installed (apt-get install gnuplot-nox): plots skipped");
        return -1;
    }
    char *tmp_svg = hlb_fmt("%s.tmp.%ld", out, (long)getpid());
    char *tmp_gp = hlb_fmt("%s.gp.%ld", out, (long)getpid());
    FILE *f = fopen(tmp_gp, "w");
    int rc = -1;
    if (!f) {
        snprintf(err, errlen, "cannot write %s", tmp_gp);
        goto done;
    }
    fprintf(f, "%sset output '%s'\n%s", preamble, tmp_svg, script);
    if ((ferror(f) | fclose(f)) != 0) {
        snprintf(err, errlen, "cannot write %s", tmp_gp);
        goto done;
    }
    char *argv[] = {gp, tmp_gp, NULL};
    hlb_proc_result r;
    hlb_proc_run(argv, NULL, 60, &r);
    if (r.end == HLB_PROC_EXITED && r.code == 0) {
        rc = hlb_commit_file(tmp_svg, out);
        if (rc) snprintf(err, errlen, "cannot write %s", out);
    } else {
        char why[300];
        hlb_proc_describe(&r, why, sizeof why);
        snprintf(err, errlen, "gnuplot failed for %s: %s", out, why);
    }
    hlb_proc_result_free(&r);
done:
    unlink(tmp_gp);
    unlink(tmp_svg);
    free(tmp_gp);
    free(tmp_svg);
    free(gp);
    return rc;
}

static int bars(const hlb_results *b, int rss, const char *dir, char *err, size_t errlen) {
    /* Programs and runtimes in table order. */
    hlb_strlist progs = {0}, rts = {0};
    for (size_t i = 0; i < b->ncells; i++) {
        if (!hlb_strlist_has(&progs, b->cells[i].program)) hlb_strlist_add(&progs, b->cells[i].program);
        if (!hlb_strlist_has(&rts, b->cells[i].variant)) hlb_strlist_add(&rts, b->cells[i].variant);
    }
    size_t cap = 4096 + progs.n * rts.n * 32 + (progs.n + rts.n) * 80;
    char *s = hlb_xmalloc(cap);
    size_t n = 0;
    n += (size_t)snprintf(s + n, cap - n,
                          "set title '%s relative to %s (lower is better; median of %d run%s, size %s)'\n"
                          "set ylabel '%s / %s'\nset style data histogram\n"
                          "set style histogram cluster gap 1\nset style fill solid 0.85 border -1\n"
                          "set boxwidth 0.9\n%s\nset key outside right top\n"
                          "set xtics rotate by -20\nset arrow from graph 0, first 1 to graph 1, first 1 nohead dt 2\n"
                          "$data << EOD\nprogram",
                          rss ? "RSS" : "Wall time", b->baseline, b->reps, b->reps == 1 ? "" : "s", b->size_class, rss ? "RSS" : "wall time",
                          b->baseline,
                          /* RSS ratios span two orders of magnitude (a preallocated GC heap): log scale */
                          rss ? "set logscale y 2\nset yrange [*:*]" : "set yrange [0:*]");
    for (size_t r = 0; r < rts.n; r++) n += (size_t)snprintf(s + n, cap - n, " \"%s\"", rts.v[r]);
    n += (size_t)snprintf(s + n, cap - n, "\n");
    for (size_t p = 0; p < progs.n; p++) {
        n += (size_t)snprintf(s + n, cap - n, "\"%s\"", progs.v[p]);
        for (size_t r = 0; r < rts.n; r++) {
            double v = NAN;
            for (size_t i = 0; i < b->ncells; i++)
                if (!strcmp(b->cells[i].program, progs.v[p]) && !strcmp(b->cells[i].variant, rts.v[r]))
                    v = rss ? b->cells[i].ratio_rss : b->cells[i].ratio_wall;
            if (isnan(v)) n += (size_t)snprintf(s + n, cap - n, " ?");
            else n += (size_t)snprintf(s + n, cap - n, " %.4f", v);
        }
        n += (size_t)snprintf(s + n, cap - n, "\n");
    }
    snprintf(s + n, cap - n, "EOD\nplot for [i=2:%zu] $data using i:xtic(1) title columnheader(i)\n", rts.n + 1);
    char *out = hlb_fmt("%s/%s", dir, rss ? "rss_ratio.svg" : "wall_ratio.svg");
    int rc = progs.n && rts.n ? render(s, out, err, errlen) : 0;
    free(out);
    free(s);
    hlb_strlist_free(&progs);
    hlb_strlist_free(&rts);
    return rc;
}

int hlb_plot_bench(const hlb_results *b, const char *dir, char *err, size_t errlen) {
    if (bars(b, 0, dir, err, errlen)) return -1;
    return bars(b, 1, dir, err, errlen);
}

int hlb_plot_sweep(const hlb_results *r, const char *dir, char *err, size_t errlen) {
    size_t cap = 4096 + r->ncells * 80;
    char *s = hlb_xmalloc(cap);
    size_t k = 0;
    double unlimited = NAN;
    k += (size_t)snprintf(s + k, cap - k,
                          "set title 'GC space-time trade-off: %s on gc under a heap limit'\n"
                          "set xlabel 'heap limit / manual peak live bytes'\n"
                          "set ylabel 'wall time / %s'\nset y2label 'collections'\n"
                          "set ytics nomirror\nset y2tics\nset xrange [1:*]\nset yrange [0:*]\nset y2range [0:*]\nset key below\n"
                          "$data << EOD\n",
                          r->program, r->baseline);
    for (size_t i = 0; i < r->ncells; i++) {
        const hlb_cell *c = &r->cells[i];
        int ok = c->status == HLB_OK && isfinite(c->ratio_wall);
        if (!strcmp(c->variant, "gc") && isnan(c->factor)) unlimited = c->ratio_wall;
        if (isnan(c->factor)) continue;
        k += (size_t)snprintf(s + k, cap - k, "%.3f ", c->factor);
        k += (size_t)(ok ? snprintf(s + k, cap - k, "%.4f ", c->ratio_wall) : snprintf(s + k, cap - k, "? "));
        k += (size_t)(ok && c->stats.have ? snprintf(s + k, cap - k, "%llu ", (unsigned long long)c->stats.collections)
                                          : snprintf(s + k, cap - k, "? "));
        /* column 4: a marker at 0 for a failed (out of heap) point */
        k += (size_t)snprintf(s + k, cap - k, "%s\n", ok ? "?" : "0");
    }
    k += (size_t)snprintf(s + k, cap - k,
                          "EOD\nplot $data using 1:2 with linespoints lw 2 pt 7 title 'gc time / %s', "
                          "$data using 1:3 axes x1y2 with linespoints dt 3 pt 6 title 'collections', "
                          "1 with lines dt 2 lc rgb 'black' title '%s', "
                          "$data using 1:4 with points pt 2 ps 1.5 lc rgb 'red' title 'failed (out of heap)'",
                          r->baseline, r->baseline);
    if (isfinite(unlimited))
        k += (size_t)snprintf(s + k, cap - k, ", %.4f with lines dt 4 lc rgb 'gray40' title 'gc, no limit'", unlimited);
    snprintf(s + k, cap - k, "\n");
    char *out = hlb_fmt("%s/sweep_%s.svg", dir, r->program);
    int rc = render(s, out, err, errlen);
    free(out);
    free(s);
    return rc;
}
