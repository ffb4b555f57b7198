/*
** bench/report/html.h: writing HTML safely, for the report (report/report_out.c). Every piece of
** text that comes from results files, programs or docs goes through hlb_html_text (element
** content and attribute values alike: & < > " ' become entities), so that no result can inject
** markup. Sections have a fixed shape: <section id="ID"><h2>TITLE</h2> ... </section>.
*/
#ifndef HLB_HTML_H
#define HLB_HTML_H

#include <stddef.h>
#include <stdio.h>

/* Write s escaped for HTML text and attribute values (NULL writes nothing). */
void hlb_html_text(FILE *f, const char *s);
/* The same into a malloc'd string. */
char *hlb_html_escape(const char *s);

/* Write the inline Markdown of a docs paragraph as HTML: `code`, **strong**, *emphasis*,
** [text](link) as its text; everything else escaped. Unclosed markers are written as text. */
void hlb_html_md_inline(FILE *f, const char *s);

/* Open and close a section: <section id="ID"><h2>TITLE</h2> ... </section>. The id is written
** with every character other than [A-Za-z0-9_-] replaced by '-'. */
void hlb_html_section_begin(FILE *f, const char *id, const char *title);
void hlb_html_section_end(FILE *f);

/* Write n bytes as base64 (RFC 4648, with padding). */
void hlb_html_base64(FILE *f, const unsigned char *data, size_t n);

/* A background colour for a ratio to the baseline: green below 1, red above, white near 1
** (stronger the further from 1); "" when v is not a positive number. Returns buf. */
const char *hlb_html_ratio_style(char *buf, size_t len, double v);

#endif
