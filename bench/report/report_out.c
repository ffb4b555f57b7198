/*
** bench/report/report_out.c: the HTML report (see report_out.h). It renders the results files
** as they are on disk (JSON trees), so that it shows exactly what the other commands wrote;
** keys of earlier results files ("results", "runtime", "peak_rss_kib", "points", "machine") are
** read too.
*/
#define _GNU_SOURCE
#include "report/report_out.h"
#include "analyze/decompose.h"
#include "report/html.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const hlb_report_sections[] = {"provenance", "bench", "decomposition", "rust",     "plots",
                                           "sweep",      "safety", "claims",       "programs", NULL};

static const char style[] =
    "body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1250px;padding:0 16px 40px;color:#1b1b1b}"
    "h1{margin:18px 0 4px}h2{border-bottom:2px solid #ddd;padding-bottom:3px;margin-top:34px}"
    "nav a{margin-right:12px}table{border-collapse:collapse;margin:8px 0 12px;font-size:13.5px}"
    "th,td{border:1px solid #ccc;padding:3px 7px;vertical-align:top}th{background:#f3f3f3;text-align:left}"
    "td.n{text-align:right;white-space:nowrap}td.none{color:#999;text-align:center}"
    "td.bad{background:#f6d3d3;font-weight:bold}.noisy{outline:2px dashed #b07a00;outline-offset:-3px}"
    ".missing{background:#fff6d8;border-left:4px solid #e0b000;padding:6px 10px}"
    ".kvs{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}.kvs table{max-width:600px}"
    "code{background:#f1f1f1;padding:0 3px;border-radius:3px;font-size:92%}"
    "details summary{cursor:pointer}details .ev{font-size:12px;color:#333;max-width:320px;word-break:break-word}"
    ".o-detected{background:#cfeccf}.o-prevented{background:#d5e8fb}.o-leak-reported{background:#e6f2c4}"
    ".o-crash{background:#f9dfb8}.o-silent{background:#f6c6c6}.o-not-built{color:#999}"
    ".v-holds{background:#cfeccf}.v-holds-with-a-caveat{background:#fbefc0}.v-does-not-hold{background:#f6c6c6}"
    ".v-not-measured-here{background:#e6e6e6}td.verdict{font-weight:bold;white-space:nowrap}"
    ".plots{display:flex;flex-wrap:wrap;gap:12px}figure{margin:6px 0;flex:1 1 560px;max-width:820px}"
    "figure img{width:100%;border:1px solid #ddd}figcaption{font-size:13px;color:#555}"
    ".legend{font-size:13px;color:#444}p.prog{max-width:1000px}";

/* ---- JSON helpers ------------------------------------------------------------------------- */

static const hlb_json *arr(const hlb_json *o, const char *key) {
    const hlb_json *v = hlb_json_get(o, key);
    return v && v->kind == HLB_JARR ? v : NULL;
}

static const hlb_json *cells_of(const hlb_json *doc) {
    const hlb_json *c = arr(doc, "cells");
    if (!c) c = arr(doc, "results");
    if (!c) c = arr(doc, "points");
    return c;
}

static const char *variant_of(const hlb_json *c) {
    const char *v = hlb_json_str(c, "variant");
    return v ? v : hlb_json_str(c, "runtime");
}

static double rss_of(const hlb_json *c) {
    double v = hlb_json_num(c, "rss_median_kib");
    return isfinite(v) ? v : hlb_json_num(c, "peak_rss_kib");
}

static int is_ok(const hlb_json *c) {
    const char *s = hlb_json_str(c, "status");
    return s && !strcmp(s, "ok");
}

/* "1.04x" or "–" */
static void ratio(FILE *f, double v) {
    if (isfinite(v)) fprintf(f, "%.2fx", v);
    else fputs("–", f);
}

static void missing(FILE *f, const char *what) {
    fputs("<p class=\"missing\">", f);
    hlb_html_text(f, what);
    fputs("</p>\n", f);
}

/* Add s to l unless it is there. */
static void uniq(hlb_strlist *l, const char *s) {
    if (s && !hlb_strlist_has(l, s)) hlb_strlist_add(l, s);
}

/* ---- sections ----------------------------------------------------------------------------- */

static void kv_table(FILE *f, const char *label, const hlb_json *doc) {
    const hlb_json *p = hlb_json_get(doc, "provenance");
    if (!p) p = hlb_json_get(doc, "machine");
    fputs("<table><tr><th colspan=\"2\">", f);
    hlb_html_text(f, label);
    fputs("</th></tr>\n", f);
    for (size_t i = 0; p && p->kind == HLB_JOBJ && i < p->n; i++) {
        const hlb_json *v = p->items[i];
        fputs("<tr><th>", f);
        hlb_html_text(f, p->keys[i]);
        fputs("</th><td>", f);
        if (v->kind == HLB_JSTR) hlb_html_text(f, v->str);
        else if (v->kind == HLB_JNUM) fprintf(f, "%g", v->num);
        else fputs("–", f);
        fputs("</td></tr>\n", f);
    }
    if (!p) fputs("<tr><td colspan=\"2\">no provenance recorded</td></tr>\n", f);
    fputs("</table>\n", f);
}

static void sec_provenance(FILE *f, const hlb_report *r) {
    hlb_html_section_begin(f, "provenance", "Machine and provenance");
    fputs("<p>Where and how each results file was produced, as recorded in it. This page: written ", f);
    hlb_html_text(f, r->prov.start);
    fputs(" by heaplab ", f);
    hlb_html_text(f, r->prov.heaplab_commit);
    fputs(" from <code>", f);
    hlb_html_text(f, r->dir);
    fputs("</code>.</p>\n<div class=\"kvs\">\n", f);
    int any = 0;
    const struct {
        const char *label;
        const hlb_json *doc;
    } files[] = {{"bench (results.json)", r->bench},
                 {"sweep", r->sweep},
                 {"safety (safety.json)", r->safety},
                 {"stack_vs_heap (stack_vs_heap.json)", r->stack}};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        if (!files[i].doc) continue;
        any = 1;
        if (files[i].doc == r->sweep && r->sweep_name) {
            char *label = hlb_fmt("sweep (%s)", r->sweep_name);
            kv_table(f, label, files[i].doc);
            free(label);
        } else {
            kv_table(f, files[i].label, files[i].doc);
        }
    }
    fputs("</div>\n", f);
    if (!any) missing(f, "No results files were found: run make bench (or heaplab bench, sweep, safety and claims with --out DIR).");
    hlb_html_section_end(f);
}

/* The bench cell of program on variant, or NULL. */
static const hlb_json *bench_cell(const hlb_json *cells, const char *prog, const char *var) {
    for (size_t i = 0; cells && i < cells->n; i++) {
        const char *p = hlb_json_str(cells->items[i], "program"), *v = variant_of(cells->items[i]);
        if (p && v && !strcmp(p, prog) && !strcmp(v, var)) return cells->items[i];
    }
    return NULL;
}

/* One cell of a ratio matrix: the ratio coloured, details on hover, noisy and failed cells marked. */
static void ratio_cell(FILE *f, const hlb_json *c, const char *key) {
    if (!c) {
        fputs("<td class=\"none\">–</td>", f);
        return;
    }
    if (!is_ok(c)) {
        const char *st = hlb_json_str(c, "status");
        fputs("<td class=\"bad\" title=\"", f);
        hlb_html_text(f, hlb_json_str(c, "reason"));
        fputs("\">", f);
        hlb_html_text(f, st ? st : "?");
        fputs("</td>", f);
        return;
    }
    double v = hlb_json_num(c, key), lo = hlb_json_num(c, "ratio_wall_lo"), hi = hlb_json_num(c, "ratio_wall_hi");
    const hlb_json *nz = hlb_json_get(c, "noisy");
    int noisy = nz && nz->kind == HLB_JBOOL && nz->num;
    char st[80];
    fprintf(f, "<td class=\"n%s\" style=\"%s\" title=\"", noisy ? " noisy" : "", hlb_html_ratio_style(st, sizeof st, v));
    char *t = hlb_fmt("median %.3f s (%.3f–%.3f), CPU %.3f s, RSS %.1f MiB", hlb_json_num(c, "wall_median_s"),
                      hlb_json_num(c, "wall_min_s"), hlb_json_num(c, "wall_max_s"), hlb_json_num(c, "cpu_median_s"),
                      rss_of(c) / 1024.0);
    hlb_html_text(f, t);
    free(t);
    if (!strcmp(key, "ratio_wall") && isfinite(lo)) fprintf(f, "; 95%% CI %.2f–%.2f", lo, hi);
    const char *to = hlb_json_str(c, "ratio_to");
    if (to && *to) fputs("; against ", f), hlb_html_text(f, to);
    if (noisy) fputs("; noisy: ", f), hlb_html_text(f, hlb_json_str(c, "noise"));
    fputs("\">", f);
    ratio(f, v);
    if (noisy) fputs(" ~", f);
    fputs("</td>", f);
}

static void matrix(FILE *f, const hlb_json *doc, const char *key, const char *geokey, const char *caption) {
    const hlb_json *cells = cells_of(doc), *geo = arr(doc, "geomean");
    hlb_strlist progs = {0}, vars = {0};
    for (size_t i = 0; cells && i < cells->n; i++) {
        uniq(&progs, hlb_json_str(cells->items[i], "program"));
        uniq(&vars, variant_of(cells->items[i]));
    }
    fputs("<table><caption>", f);
    hlb_html_text(f, caption);
    fputs("</caption>\n<tr><th>variant</th>", f);
    for (size_t p = 0; p < progs.n; p++) fputs("<th>", f), hlb_html_text(f, progs.v[p]), fputs("</th>", f);
    if (geo) fputs("<th>geomean</th>", f);
    fputs("</tr>\n", f);
    for (size_t v = 0; v < vars.n; v++) {
        fputs("<tr><th>", f);
        hlb_html_text(f, vars.v[v]);
        fputs("</th>", f);
        for (size_t p = 0; p < progs.n; p++) ratio_cell(f, bench_cell(cells, progs.v[p], vars.v[v]), key);
        if (geo) {
            double g = NAN;
            for (size_t i = 0; i < geo->n; i++) {
                const char *gv = variant_of(geo->items[i]);
                if (gv && !strcmp(gv, vars.v[v])) g = hlb_json_num(geo->items[i], geokey);
            }
            char st[80];
            fprintf(f, "<td class=\"n\" style=\"%s\"><strong>", hlb_html_ratio_style(st, sizeof st, g));
            ratio(f, g);
            fputs("</strong></td>", f);
        }
        fputs("</tr>\n", f);
    }
    fputs("</table>\n", f);
    hlb_strlist_free(&progs);
    hlb_strlist_free(&vars);
}

static void sec_bench(FILE *f, const hlb_report *r) {
    hlb_html_section_begin(f, "bench", "Benchmark: time and memory against the baseline");
    if (!r->bench) {
        missing(f, "No bench results (results.json): run heaplab bench --out DIR (make bench does).");
        hlb_html_section_end(f);
        return;
    }
    const char *base = hlb_json_str(r->bench, "baseline"), *size = hlb_json_str(r->bench, "size_class");
    fputs("<p>Each cell is a variant's ratio to the baseline (<strong>", f);
    hlb_html_text(f, base ? base : "manual");
    fprintf(f, "</strong>) on one program, size %s, median of %g run(s) after %g warmup, variants interleaved; "
               "green is faster or smaller, red slower or larger. Hover a cell for its times and the 95%% "
               "interval of the wall ratio. <span class=\"noisy\">&nbsp;~&nbsp;</span> marks a noisy cell (wall "
               "time more than 10%% above CPU time, or a min–max spread over 10%% of the median): do not quote it.</p>\n",
            size ? size : "?", hlb_json_num(r->bench, "reps"), hlb_json_num(r->bench, "warmup"));
    matrix(f, r->bench, "ratio_wall", "ratio_wall", "Wall-time ratio (lower is better)");
    matrix(f, r->bench, "ratio_rss", "ratio_rss", "Peak RSS ratio");
    const hlb_json *cells = cells_of(r->bench);
    int bad = 0;
    for (size_t i = 0; cells && i < cells->n; i++) {
        const hlb_json *c = cells->items[i];
        if (is_ok(c)) continue;
        if (!bad++) fputs("<ul class=\"legend\">\n", f);
        fputs("<li>", f);
        char *t = hlb_fmt("%s on %s: %s: %s", hlb_json_str(c, "program"), variant_of(c), hlb_json_str(c, "status"),
                          hlb_json_str(c, "reason") ? hlb_json_str(c, "reason") : "");
        hlb_html_text(f, t);
        free(t);
        fputs("</li>\n", f);
    }
    if (bad) fputs("</ul>\n", f);
    hlb_html_section_end(f);
}

static const char *step_label(const char *key) {
    for (size_t k = 0; k < hlb_nsteps; k++)
        if (!strcmp(hlb_steps[k].key, key)) return hlb_steps[k].label;
    return key;
}

static void sec_decomposition(FILE *f, const hlb_report *r) {
    hlb_html_section_begin(f, "decomposition", "What each guarantee costs");
    const hlb_json *d = arr(r->bench, "decomposition");
    if (!d || !d->n) {
        missing(f, r->bench ? "The bench results have no cost decomposition (it needs the c, manual, owned-off, "
                              "owned-fast and owned rows: make builds them)."
                            : "No bench results (results.json): run heaplab bench --out DIR.");
        hlb_html_section_end(f);
        return;
    }
    fputs("<p>The wall-time ratio between neighbouring variants, paired over the interleaved runs: each step "
          "isolates one cost (the API on malloc, the API on Boehm, the handle indirection, the checks, remembering "
          "sites for diagnostics, and safe Rust against plain C). The last row is the geometric mean.</p>\n<table>\n<tr>",
          f);
    const hlb_json *first = d->items[0];
    for (size_t k = 0; first->kind == HLB_JOBJ && k < first->n; k++)
        fputs("<th>", f), hlb_html_text(f, step_label(first->keys[k])), fputs("</th>", f);
    fputs("</tr>\n", f);
    for (size_t i = 0; i < d->n; i++) {
        const hlb_json *row = d->items[i];
        fputs("<tr>", f);
        for (size_t k = 0; row->kind == HLB_JOBJ && k < row->n; k++) {
            const hlb_json *v = row->items[k];
            if (v->kind == HLB_JSTR) {
                fputs("<th>", f), hlb_html_text(f, v->str), fputs("</th>", f);
            } else {
                char st[80];
                double x = v->kind == HLB_JNUM ? v->num : NAN;
                fprintf(f, "<td class=\"n\" style=\"%s\">", hlb_html_ratio_style(st, sizeof st, x));
                ratio(f, x);
                fputs("</td>", f);
            }
        }
        fputs("</tr>\n", f);
    }
    fputs("</table>\n", f);
    hlb_html_section_end(f);
}

static void sec_rust(FILE *f, const hlb_report *r) {
    hlb_html_section_begin(f, "rust", "The Rust rows");
    const hlb_json *cells = cells_of(r->bench);
    int n = 0;
    for (size_t i = 0; cells && i < cells->n; i++) {
        const hlb_json *c = cells->items[i];
        const char *v = variant_of(c);
        if (!v || strncmp(v, "rust", 4)) continue;
        if (!n++)
            fputs("<p>Idiomatic safe Rust (std only, <code>rustc -O</code>), the same workloads printing the same "
                  "checksums: where a compile-time-checked design lands.</p>\n<table>\n<tr><th>program</th>"
                  "<th>variant</th><th>wall s (median)</th><th>ratio (95% CI)</th><th>RSS ratio</th></tr>\n",
                  f);
        fputs("<tr><th>", f);
        hlb_html_text(f, hlb_json_str(c, "program"));
        fputs("</th><td>", f);
        hlb_html_text(f, v);
        fputs("</td>", f);
        if (is_ok(c)) {
            char st[80];
            double q = hlb_json_num(c, "ratio_wall");
            fprintf(f, "<td class=\"n\">%.3f</td><td class=\"n\" style=\"%s\">", hlb_json_num(c, "wall_median_s"),
                    hlb_html_ratio_style(st, sizeof st, q));
            ratio(f, q);
            double lo = hlb_json_num(c, "ratio_wall_lo"), hi = hlb_json_num(c, "ratio_wall_hi");
            if (isfinite(lo)) fprintf(f, " (%.2f–%.2f)", lo, hi);
            fputs("</td><td class=\"n\">", f);
            ratio(f, hlb_json_num(c, "ratio_rss"));
            fputs("</td>", f);
        } else {
            fputs("<td class=\"bad\" colspan=\"3\">", f);
            hlb_html_text(f, hlb_json_str(c, "status"));
            fputs("</td>", f);
        }
        fputs("</tr>\n", f);
    }
    if (n) fputs("</table>\n", f);
    else missing(f, r->bench ? "The bench results have no rust rows (rustc was not found when heaplab was built: "
                               "apt-get install rustc, then make)."
                             : "No bench results (results.json): run heaplab bench --out DIR.");
    hlb_html_section_end(f);
}

static void sec_plots(FILE *f, const hlb_report *r) {
    hlb_html_section_begin(f, "plots", "Plots");
    if (r->nsvgs) fputs("<div class=\"plots\">\n", f);
    for (size_t i = 0; i < r->nsvgs; i++) {
        fputs("<figure><img alt=\"", f);
        hlb_html_text(f, r->svgs[i].name);
        fputs("\" src=\"data:image/svg+xml;base64,", f);
        hlb_html_base64(f, r->svgs[i].data, r->svgs[i].len);
        fputs("\"><figcaption>", f);
        hlb_html_text(f, r->svgs[i].name);
        fputs("</figcaption></figure>\n", f);
    }
    if (r->nsvgs) fputs("</div>\n", f);
    if (!r->nsvgs) missing(f, "No plots (*.svg) in the results directory: heaplab bench and sweep draw them with --out DIR when gnuplot is installed.");
    hlb_html_section_end(f);
}

static void sec_sweep(FILE *f, const hlb_report *r) {
    hlb_html_section_begin(f, "sweep", "GC space-time sweep");
    const hlb_json *cells = cells_of(r->sweep);
    if (!cells) {
        missing(f, "No sweep results (sweep_PROGRAM.json): run heaplab sweep binary_trees --out DIR (make bench does).");
        hlb_html_section_end(f);
        return;
    }
    const char *prog = hlb_json_str(r->sweep, "program"), *base = hlb_json_str(r->sweep, "baseline");
    fputs("<p>gc runs <strong>", f);
    hlb_html_text(f, prog ? prog : "?");
    fputs("</strong> in a fixed heap of K x manual's peak live bytes (Hertz and Berger's method); each point's "
          "wall time is compared with the baseline's (",
          f);
    hlb_html_text(f, base ? base : "manual");
    fputs(").</p>\n<table>\n<tr><th>heap limit</th><th>variant</th><th>status</th><th>wall s</th><th>ratio</th>"
          "<th>GCs</th><th>GC heap MiB</th><th>RSS MiB</th></tr>\n",
          f);
    for (size_t i = 0; i < cells->n; i++) {
        const hlb_json *c = cells->items[i];
        double k = hlb_json_num(c, "factor"), q = hlb_json_num(c, "ratio_wall");
        const char *v = variant_of(c);
        char st[80];
        fputs("<tr><td class=\"n\">", f);
        if (isfinite(k)) fprintf(f, "%.2fx", k);
        else fputs("no limit", f);
        fputs("</td><td>", f);
        hlb_html_text(f, v ? v : "gc");
        fprintf(f, "</td><td%s title=\"", is_ok(c) ? "" : " class=\"bad\"");
        hlb_html_text(f, hlb_json_str(c, "reason"));
        fputs("\">", f);
        hlb_html_text(f, hlb_json_str(c, "status"));
        double wall = hlb_json_num(c, "wall_median_s");
        fputs("</td><td class=\"n\">", f);
        if (isfinite(wall)) fprintf(f, "%.3f", wall);
        else fputs("–", f);
        fprintf(f, "</td><td class=\"n\" style=\"%s\">", hlb_html_ratio_style(st, sizeof st, q));
        ratio(f, q);
        double gcs = hlb_json_num(c, "collections"), heap = hlb_json_num(c, "gc_heap_bytes"), rss = rss_of(c);
        fputs("</td><td class=\"n\">", f);
        if (isfinite(gcs)) fprintf(f, "%.0f", gcs);
        else fputs("–", f);
        fputs("</td><td class=\"n\">", f);
        if (heap > 0) fprintf(f, "%.1f", heap / 1048576.0);
        else fputs("–", f);
        fputs("</td><td class=\"n\">", f);
        if (isfinite(rss)) fprintf(f, "%.1f", rss / 1024.0);
        else fputs("–", f);
        fputs("</td></tr>\n", f);
    }
    fputs("</table>\n", f);
    const hlb_json *w = hlb_json_get(r->sweep, "within_10pct_from");
    if (w && w->kind == HLB_JNUM)
        fprintf(f, "<p>gc stays within 10%% of the baseline's time at every heap limit measured from <strong>%.2fx"
                   "</strong> the live bytes up.</p>\n",
                w->num);
    else if (w)
        fputs("<p>gc is not within 10% of the baseline's time at the largest heap limit measured.</p>\n", f);
    hlb_html_section_end(f);
}

static void outcome_class(FILE *f, const char *o) {
    fputs("o-", f);
    for (const char *p = o ? o : "unknown"; *p; p++) fputc(*p == ' ' ? '-' : (*p >= 'a' && *p <= 'z') ? *p : '-', f);
}

static void sec_safety(FILE *f, const hlb_report *r) {
    hlb_html_section_begin(f, "safety", "Safety matrix");
    const hlb_json *cells = arr(r->safety, "cells");
    if (!cells) {
        missing(f, "No safety matrix (safety.json): run heaplab safety --out DIR (make bench does).");
        hlb_html_section_end(f);
        return;
    }
    hlb_strlist faults = {0}, cols = {0};
    const hlb_json *c0 = arr(r->safety, "columns");
    for (size_t i = 0; c0 && i < c0->n; i++)
        if (c0->items[i]->kind == HLB_JSTR) uniq(&cols, c0->items[i]->str);
    for (size_t i = 0; i < cells->n; i++) {
        uniq(&faults, hlb_json_str(cells->items[i], "fault"));
        uniq(&cols, hlb_json_str(cells->items[i], "variant"));
    }
    fputs("<p>Each classic memory bug (<code>programs/faults/</code>) on every runtime. Hover a cell for its "
          "evidence (the first diagnostic line), or open it.</p>\n<table>\n<tr><th>fault</th>",
          f);
    for (size_t k = 0; k < cols.n; k++) fputs("<th>", f), hlb_html_text(f, cols.v[k]), fputs("</th>", f);
    fputs("</tr>\n", f);
    for (size_t i = 0; i < faults.n; i++) {
        fputs("<tr><th><code>", f);
        hlb_html_text(f, faults.v[i]);
        fputs("</code></th>", f);
        for (size_t k = 0; k < cols.n; k++) {
            const hlb_json *c = NULL;
            for (size_t j = 0; j < cells->n && !c; j++) {
                const char *fa = hlb_json_str(cells->items[j], "fault"), *va = hlb_json_str(cells->items[j], "variant");
                if (fa && va && !strcmp(fa, faults.v[i]) && !strcmp(va, cols.v[k])) c = cells->items[j];
            }
            if (!c) {
                fputs("<td class=\"none\">–</td>", f);
                continue;
            }
            const char *o = hlb_json_str(c, "outcome"), *ev = hlb_json_str(c, "evidence");
            fputs("<td class=\"", f);
            outcome_class(f, o);
            fputs("\" title=\"", f);
            hlb_html_text(f, ev);
            fputs("\"><details><summary>", f);
            hlb_html_text(f, o ? o : "?");
            fputs("</summary><div class=\"ev\">", f);
            hlb_html_text(f, ev && *ev ? ev : "(no evidence)");
            fputs("</div></details></td>", f);
        }
        fputs("</tr>\n", f);
    }
    fputs("</table>\n<p class=\"legend\"><strong>detected</strong> a diagnostic names the bug and where, non-zero "
          "exit · <strong>prevented</strong> the bug cannot happen, the result is right · <strong>crash</strong> "
          "killed by a signal, aborted or timed out, without naming the bug · <strong>silent</strong> exit 0, no "
          "diagnostic, wrong result or memory lost · <strong>leak reported</strong> the lost memory is reported · "
          "<strong>not built</strong> no binary for that column.</p>\n",
          f);
    hlb_strlist_free(&faults);
    hlb_strlist_free(&cols);
    hlb_html_section_end(f);
}

static void verdict_class(FILE *f, const char *v) {
    fputs("v-", f);
    for (const char *p = v; *p; p++) fputc(*p == ' ' ? '-' : *p, f);
}

static void sec_claims(FILE *f, const hlb_report *r) {
    hlb_html_section_begin(f, "claims", "The lesson's claims, checked");
    if (!r->have_claims) {
        missing(f, "The claims could not be judged.");
        hlb_html_section_end(f);
        return;
    }
    fputs("<p>Each claim of the lesson heaplab grew out of, with the figure measured on this machine, the verdict "
          "(<code>heaplab claims</code> applies one rule per claim: <code>bench/analyze/claims.c</code>) and the "
          "command that reproduces the figure. Open <em>evidence</em> for what was measured and how to read "
          "it.</p>\n<table>\n<tr><th>claim</th><th>verdict</th><th>figure (this machine)</th><th>evidence</th>"
          "<th>source</th><th>command</th></tr>\n",
          f);
    for (size_t i = 0; i < HLB_NCLAIMS; i++) {
        const hlb_claim *c = &r->claims[i];
        const char *v = hlb_claim_verdict_name(c->verdict);
        fputs("<tr><th>", f);
        hlb_html_text(f, c->claim);
        fputs("</th><td class=\"verdict ", f);
        verdict_class(f, v);
        fputs("\">", f);
        hlb_html_text(f, v);
        fputs("</td><td>", f);
        hlb_html_text(f, c->figure && *c->figure ? c->figure : "–");
        fputs("</td><td><details><summary>evidence</summary>", f);
        hlb_html_text(f, c->evidence);
        fputs("</details></td><td>", f);
        hlb_html_text(f, c->source);
        fputs("</td><td><code>", f);
        hlb_html_text(f, c->command);
        fputs("</code></td></tr>\n", f);
    }
    fputs("</table>\n", f);
    hlb_html_section_end(f);
}

static void sec_programs(FILE *f, const hlb_report *r) {
    hlb_html_section_begin(f, "programs", "Why each runtime is faster or slower, program by program");
    if (!r->prog_names.n) {
        missing(f, "docs/performance.md was not found beside the build directory: its per-program explanations "
                   "(from callgrind profiles) are not included.");
        hlb_html_section_end(f);
        return;
    }
    fputs("<p>From <code>", f);
    hlb_html_text(f, r->perf_path);
    fputs("</code>: where each runtime's instructions go on every program, from callgrind profiles (instruction "
          "counts, which repeat exactly; the ratios in these paragraphs are instruction ratios to plain C, not the "
          "wall-time ratios above).</p>\n",
          f);
    for (size_t i = 0; i < r->prog_names.n; i++) {
        fputs("<h3>", f);
        hlb_html_text(f, r->prog_names.v[i]);
        fputs("</h3>\n<p class=\"prog\">", f);
        hlb_html_md_inline(f, r->prog_paras.v[i]);
        fputs("</p>\n", f);
    }
    hlb_html_section_end(f);
}

static const struct {
    const char *id, *title;
} nav[] = {{"provenance", "machine"}, {"bench", "bench"},   {"decomposition", "costs"}, {"rust", "Rust"},
           {"plots", "plots"},        {"sweep", "sweep"},   {"safety", "safety"},       {"claims", "claims"},
           {"programs", "programs"}};

void hlb_report_write(FILE *f, const void *doc, hlb_format fmt) {
    (void)fmt;
    const hlb_report *r = doc;
    fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
               "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
               "<link rel=\"icon\" href=\"data:,\">\n<title>heaplab report</title>\n<style>%s</style>\n</head>\n<body>\n",
            style);
    fputs("<header id=\"top\">\n<h1>heaplab: what memory management costs, and what it buys</h1>\n<p>The same "
          "workloads on plain C, Boehm GC, checked ownership and safe Rust; the classic memory bugs on each; and "
          "the lesson's claims about the stack and the heap, checked against those measurements.</p>\n<nav>",
          f);
    for (size_t i = 0; i < sizeof nav / sizeof *nav; i++) fprintf(f, "<a href=\"#%s\">%s</a>", nav[i].id, nav[i].title);
    fputs("</nav>\n", f);
    if (r->notices.n) {
        fputs("<ul class=\"legend\">\n", f);
        for (size_t i = 0; i < r->notices.n; i++) fputs("<li>", f), hlb_html_text(f, r->notices.v[i]), fputs("</li>\n", f);
        fputs("</ul>\n", f);
    }
    fputs("</header>\n<main>\n", f);
    sec_provenance(f, r);
    sec_bench(f, r);
    sec_decomposition(f, r);
    sec_rust(f, r);
    sec_plots(f, r);
    sec_sweep(f, r);
    sec_safety(f, r);
    sec_claims(f, r);
    sec_programs(f, r);
    fputs("</main>\n</body>\n</html>\n", f);
}

size_t hlb_perf_paragraphs(const char *md, hlb_strlist *names, hlb_strlist *paras) {
    size_t found = 0;
    const char *sec = strstr(md, "\n## Program by program");
    if (!sec) return 0;
    const char *p = strchr(sec + 1, '\n');
    while (p && *p) {
        p++;                                   /* start of a line */
        size_t len = strcspn(p, "\n");
        if (!strncmp(p, "## ", 3)) break;      /* the next section */
        if (!strncmp(p, "### ", 4)) {
            char *name = hlb_xstrndup(p + 4, len - 4);
            const char *q = p + len;
            /* Skip blank lines, then join the paragraph's lines. */
            while (*q == '\n' && q[1] == '\n') q++;
            char *para = NULL;
            size_t plen = 0;
            while (*q == '\n' && q[1] && q[1] != '\n' && q[1] != '#') {
                q++;
                size_t l = strcspn(q, "\n");
                para = hlb_xrealloc(para, plen + l + 2);
                if (plen) para[plen++] = ' ';
                memcpy(para + plen, q, l);
                plen += l;
                para[plen] = 0;
                q += l;
            }
            if (para) {
                hlb_strlist_add(names, name);
                hlb_strlist_add(paras, para);
                found++;
            }
            free(name);
            free(para);
            p = q;
            continue;
        }
        p += len;
    }
    return found;
}

void hlb_report_free(hlb_report *r) {
    free(r->dir);
    hlb_provenance_free(&r->prov);
    hlb_json_free(r->bench);
    hlb_json_free(r->sweep);
    hlb_json_free(r->safety);
    hlb_json_free(r->stack);
    free(r->sweep_name);
    for (size_t i = 0; i < r->nsvgs; i++) free(r->svgs[i].name), free(r->svgs[i].data);
    free(r->svgs);
    if (r->have_claims) hlb_claims_free(r->claims, HLB_NCLAIMS);
    hlb_strlist_free(&r->prog_names);
    hlb_strlist_free(&r->prog_paras);
    free(r->perf_path);
    hlb_strlist_free(&r->notices);
    memset(r, 0, sizeof *r);
}
