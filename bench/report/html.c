/*
** bench/report/html.c: HTML escaping, inline Markdown, sections, base64 and ratio colours for
** the report (see html.h).
*/
#define _GNU_SOURCE
#include "report/html.h"
#include "util/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void text_n(FILE *f, const char *s, size_t n) {
    for (size_t i = 0; i < n && s[i]; i++) {
        switch (s[i]) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default: fputc(s[i], f);
        }
    }
}

void hlb_html_text(FILE *f, const char *s) {
    if (s) text_n(f, s, strlen(s));
}

char *hlb_html_escape(const char *s) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) return hlb_xstrdup("");
    hlb_html_text(f, s);
    fclose(f);
    return buf ? buf : hlb_xstrdup("");
}

void hlb_html_md_inline(FILE *f, const char *s) {
    if (!s) return;
    int strong = 0, em = 0;
    while (*s) {
        const char *end;
        if (*s == '`' && (end = strchr(s + 1, '`'))) {
            fputs("<code>", f);
            text_n(f, s + 1, (size_t)(end - s - 1));
            fputs("</code>", f);
            s = end + 1;
        } else if (s[0] == '*' && s[1] == '*' && (strong || strstr(s + 2, "**"))) {
            fputs(strong ? "</strong>" : "<strong>", f);
            strong = !strong;
            s += 2;
        } else if (s[0] == '*' && s[1] != ' ' && s[1] != '*' && (em || strchr(s + 1, '*'))) {
            fputs(em ? "</em>" : "<em>", f);
            em = !em;
            s++;
        } else if (*s == '[' && (end = strstr(s, "](")) && !memchr(s, '\n', (size_t)(end - s)) && strchr(end, ')')) {
            char *label = hlb_xstrndup(s + 1, (size_t)(end - s - 1));   /* the link's text, without its target */
            hlb_html_md_inline(f, label);
            free(label);
            s = strchr(end, ')') + 1;
        } else {
            text_n(f, s, 1);
            s++;
        }
    }
    if (em) fputs("</em>", f);
    if (strong) fputs("</strong>", f);
}

void hlb_html_section_begin(FILE *f, const char *id, const char *title) {
    fputs("<section id=\"", f);
    for (const char *p = id; *p; p++) {
        char c = *p;
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
        fputc(ok ? c : '-', f);
    }
    fputs("\">\n<h2>", f);
    hlb_html_text(f, title);
    fputs("</h2>\n", f);
}

void hlb_html_section_end(FILE *f) { fputs("</section>\n", f); }

void hlb_html_base64(FILE *f, const unsigned char *d, size_t n) {
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t i = 0;
    for (; i + 3 <= n; i += 3) {
        unsigned v = (unsigned)d[i] << 16 | (unsigned)d[i + 1] << 8 | d[i + 2];
        fputc(tab[v >> 18], f), fputc(tab[(v >> 12) & 63], f), fputc(tab[(v >> 6) & 63], f), fputc(tab[v & 63], f);
    }
    if (n - i == 1) {
        unsigned v = (unsigned)d[i] << 16;
        fputc(tab[v >> 18], f), fputc(tab[(v >> 12) & 63], f), fputs("==", f);
    } else if (n - i == 2) {
        unsigned v = (unsigned)d[i] << 16 | (unsigned)d[i + 1] << 8;
        fputc(tab[v >> 18], f), fputc(tab[(v >> 12) & 63], f), fputc(tab[(v >> 6) & 63], f), fputc('=', f);
    }
}

const char *hlb_html_ratio_style(char *buf, size_t len, double v) {
    if (!(v > 0) || !isfinite(v)) {
        snprintf(buf, len, "%s", "");
        return buf;
    }
    double l = log2(v);
    if (fabs(l) < 0.03) {
        snprintf(buf, len, "background:#ffffff");
        return buf;
    }
    double s = fmin(fabs(l) / 1.5, 1.0);   /* 2.8x either way is the strongest colour */
    int light = (int)lround(96 - 36 * s);
    snprintf(buf, len, "background:hsl(%d,70%%,%d%%)", l < 0 ? 130 : 5, light);
    return buf;
}
