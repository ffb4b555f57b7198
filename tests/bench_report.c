/*
** tests/bench_report.c: the HTML report's building blocks (report/html.h) and its writer
** (report/report_out.h): escaping of text and attributes, inline Markdown from the docs, the
** section shape, base64 and ratio colours; the per-program paragraphs taken from
** docs/performance.md; a report with no results (every section present, each saying what to
** run) and one with hostile text in every results file (escaped everywhere, nothing external).
*/
#define _GNU_SOURCE
#include "report/html.h"
#include "report/json.h"
#include "report/report_out.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What fn writes, as a malloc'd string. */
#define CAPTURE(buf, stmt)                                                                                       \
    do {                                                                                                         \
        size_t len_ = 0;                                                                                         \
        FILE *f = open_memstream(&(buf), &len_);                                                                 \
        stmt;                                                                                                    \
        fclose(f);                                                                                               \
    } while (0)

Test(html, escapes_every_special_character) {
    char *s = hlb_html_escape("<a href=\"x\" title='y'>Tom & Jerry</a>");
    cr_assert_str_eq(s, "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;Tom &amp; Jerry&lt;/a&gt;");
    free(s);
    s = hlb_html_escape("plain text, 1.04x (0.98–1.10)");
    cr_assert_str_eq(s, "plain text, 1.04x (0.98–1.10)", "other text, UTF-8 included, is kept");
    free(s);
    s = hlb_html_escape("&amp;");
    cr_assert_str_eq(s, "&amp;amp;", "escaped text is escaped again, never trusted");
    free(s);
    s = hlb_html_escape("");
    cr_assert_str_eq(s, "");
    free(s);
    char *buf = NULL;
    CAPTURE(buf, hlb_html_text(f, NULL));
    cr_assert_str_eq(buf, "");
    free(buf);
}

Test(html, inline_markdown_of_the_docs) {
    char *buf = NULL;
    CAPTURE(buf, hlb_html_md_inline(f, "**manual** (1.17x) spends `direct_drop_one` <b> & *To close*: see "
                                       "[`tools/profile.sh`](../tools/profile.sh)."));
    cr_assert_str_eq(buf, "<strong>manual</strong> (1.17x) spends <code>direct_drop_one</code> &lt;b&gt; &amp; "
                          "<em>To close</em>: see <code>tools/profile.sh</code>.");
    free(buf);
    CAPTURE(buf, hlb_html_md_inline(f, "`a<b>` 2 * 3 and **unclosed"));
    cr_assert_str_eq(buf, "<code>a&lt;b&gt;</code> 2 * 3 and **unclosed", "unclosed markers stay text");
    free(buf);
}

Test(html, section_shape_and_safe_id) {
    char *buf = NULL;
    CAPTURE(buf, (hlb_html_section_begin(f, "claims", "Claims <checked> & judged"), fputs("body", f),
                  hlb_html_section_end(f)));
    cr_assert_str_eq(buf, "<section id=\"claims\">\n<h2>Claims &lt;checked&gt; &amp; judged</h2>\nbody</section>\n");
    free(buf);
    CAPTURE(buf, hlb_html_section_begin(f, "a\" onload=\"x", "t"));
    cr_assert(strstr(buf, "<section id=\"a--onload--x\">"), "%s", buf);
    free(buf);
}

Test(html, base64) {
    const char *in[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    const char *out[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
    for (int i = 0; i < 7; i++) {
        char *buf = NULL;
        CAPTURE(buf, hlb_html_base64(f, (const unsigned char *)in[i], strlen(in[i])));
        cr_assert_str_eq(buf, out[i], "base64(%s)", in[i]);
        free(buf);
    }
}

Test(html, ratio_colours) {
    char a[80], b[80];
    cr_assert_str_eq(hlb_html_ratio_style(a, sizeof a, NAN), "");
    cr_assert_str_eq(hlb_html_ratio_style(a, sizeof a, 0), "");
    cr_assert_str_eq(hlb_html_ratio_style(a, sizeof a, 1.0), "background:#ffffff");
    cr_assert(strstr(hlb_html_ratio_style(a, sizeof a, 0.5), "hsl(130"), "faster is green: %s", a);
    cr_assert(strstr(hlb_html_ratio_style(a, sizeof a, 2.0), "hsl(5,"), "slower is red: %s", a);
    /* Further from 1 is darker. */
    hlb_html_ratio_style(a, sizeof a, 1.2);
    hlb_html_ratio_style(b, sizeof b, 2.0);
    cr_assert_str_neq(a, b);
    int la = atoi(strrchr(a, ',') + 1), lb = atoi(strrchr(b, ',') + 1);
    cr_assert_gt(la, lb, "%s vs %s", a, b);
}

static const char perf_md[] =
    "# Where time goes\n\nIntro.\n\n## How\n\n### not_a_program\n\nignored\n\n"
    "## Program by program\n\n### alpha\n\n`c` spends\nmost of it **here**.\nThird line.\n\nA second paragraph.\n\n"
    "### beta\nRight after the heading.\n\n## What would close the gaps\n\n### gamma\n\nnot a program paragraph\n";

Test(report, perf_paragraphs_one_per_program) {
    hlb_strlist names = {0}, paras = {0};
    cr_assert_eq(hlb_perf_paragraphs(perf_md, &names, &paras), 2);
    cr_assert_str_eq(names.v[0], "alpha");
    cr_assert_str_eq(paras.v[0], "`c` spends most of it **here**. Third line.");
    cr_assert_str_eq(names.v[1], "beta");
    cr_assert_str_eq(paras.v[1], "Right after the heading.");
    hlb_strlist_free(&names);
    hlb_strlist_free(&paras);
    cr_assert_eq(hlb_perf_paragraphs("# no such section\n", &names, &paras), 0);
}

static void empty_report(hlb_report *r) {
    memset(r, 0, sizeof *r);
    r->dir = hlb_xstrdup("results");
    hlb_provenance_collect(&r->prov, NULL, 2, (char *[]){"heaplab", "report", NULL});
}

static char *render(const hlb_report *r) {
    char *buf = NULL;
    CAPTURE(buf, hlb_report_write(f, r, HLB_FMT_MD));
    return buf;
}

/* Every src= and href= of the page is a data: URI or an #anchor. */
static void self_contained(const char *html) {
    for (const char *p = html; (p = strstr(p, "src=\"")); p++)
        cr_assert(!strncmp(p + 5, "data:", 5), "external src: %.60s", p);
    for (const char *p = html; (p = strstr(p, "href=\"")); p++)
        cr_assert(!strncmp(p + 6, "data:", 5) || p[6] == '#', "external href: %.60s", p);
    cr_assert_null(strstr(html, "<script"));
}

Test(report, every_section_without_results) {
    hlb_report r;
    empty_report(&r);
    char *html = render(&r);
    cr_assert(!strncmp(html, "<!DOCTYPE html>", 15));
    for (int i = 0; hlb_report_sections[i]; i++) {
        char *want = hlb_fmt("<section id=\"%s\">", hlb_report_sections[i]);
        cr_assert(strstr(html, want), "no %s", want);
        free(want);
    }
    cr_assert(strstr(html, "heaplab bench --out DIR"), "the bench section says what to run");
    cr_assert(strstr(html, "heaplab safety --out DIR"));
    cr_assert(strstr(html, "heaplab sweep binary_trees --out DIR"));
    cr_assert(strstr(html, "</html>\n"));
    self_contained(html);
    free(html);
    hlb_report_free(&r);
}

static hlb_json *parse(const char *text) {
    char err[200];
    hlb_json *j = hlb_json_parse(text, err, sizeof err);
    cr_assert_not_null(j, "%s", err);
    return j;
}

Test(report, hostile_text_is_escaped_everywhere) {
    hlb_report r;
    empty_report(&r);
    const char *evil = "<img src=x onerror=alert(1)>";
    r.bench = parse("{\"kind\": \"bench\", \"baseline\": \"c\", \"provenance\": {\"cpu\": \"<img src=x onerror=alert(1)>\"},"
                    " \"cells\": [{\"program\": \"<img src=x onerror=alert(1)>\", \"variant\": \"c\", \"status\": \"ok\","
                    " \"ratio_wall\": 1.0, \"ratio_rss\": 1.0, \"noisy\": true, \"noise\": \"spread 12% of median\"},"
                    " {\"program\": \"<img src=x onerror=alert(1)>\", \"variant\": \"rust\", \"status\": \"failed\","
                    " \"reason\": \"<img src=x onerror=alert(1)>\"}],"
                    " \"decomposition\": [{\"program\": \"p\", \"rust\": 0.9, \"handle\": null}]}");
    r.safety = parse("{\"kind\": \"safety\", \"columns\": [\"manual\"], \"cells\": [{\"fault\": \"leak\", \"variant\": "
                     "\"manual\", \"outcome\": \"silent\", \"evidence\": \"<img src=x onerror=alert(1)>\"}]}");
    r.sweep = parse("{\"kind\": \"sweep\", \"program\": \"binary_trees\", \"within_10pct_from\": 4, \"cells\": "
                    "[{\"variant\": \"gc\", \"factor\": 4, \"status\": \"out of memory\", \"reason\": "
                    "\"<img src=x onerror=alert(1)>\"}]}");
    r.svgs = calloc(1, sizeof *r.svgs);
    r.svgs[0] = (hlb_report_svg){strdup("wall_ratio.svg"), (unsigned char *)strdup("<svg/>"), 6};
    r.nsvgs = 1;
    hlb_evidence e;
    hlb_evidence_init(&e);
    hlb_evidence_add_safety(&e, "leak", "owned", "leak reported", evil);
    hlb_claims_judge(&e, r.claims);
    r.have_claims = 1;
    hlb_evidence_free(&e);
    hlb_strlist_add(&r.prog_names, evil);
    hlb_strlist_add(&r.prog_paras, "**owned** `<script>`");
    r.perf_path = strdup("docs/performance.md");
    char *html = render(&r);
    cr_assert_null(strstr(html, evil), "raw markup from a results file reached the page");
    cr_assert(strstr(html, "&lt;img src=x onerror=alert(1)&gt;"));
    cr_assert(strstr(html, "<details><summary>silent</summary><div class=\"ev\">&lt;img"), "evidence in a details");
    cr_assert(strstr(html, "title=\"&lt;img src=x onerror=alert(1)&gt;\""), "evidence on hover");
    cr_assert(strstr(html, " ~</td>"), "the noisy cell is flagged");
    cr_assert(strstr(html, "rust / c (safe Rust)"), "decomposition columns are labelled");
    cr_assert(strstr(html, "src=\"data:image/svg+xml;base64,PHN2Zy8+\""), "the plot is inlined");
    cr_assert(strstr(html, "<code>&lt;script&gt;</code>"));
    cr_assert(strstr(html, "class=\"verdict v-does-not-hold\""), "verdicts are coloured by class");
    cr_assert(strstr(html, "from <strong>4.00x</strong>"), "the sweep's conclusion");
    self_contained(html);
    free(html);
    hlb_report_free(&r);
}
