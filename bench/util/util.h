/*
** bench/util/util.h: small helpers shared by the heaplab driver: checked allocation, formatted
** strings, growable string lists, comma-separated list splitting, PATH lookup, the monotonic
** clock and English plurals for messages.
*/
#ifndef HLB_UTIL_H
#define HLB_UTIL_H

#include <stddef.h>

void *hlb_xmalloc(size_t n);                 /* never NULL: aborts the driver on OOM */
void *hlb_xcalloc(size_t n, size_t size);
void *hlb_xrealloc(void *p, size_t n);
char *hlb_xstrdup(const char *s);
char *hlb_xstrndup(const char *s, size_t n);
char *hlb_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));   /* malloc'd */

typedef struct hlb_strlist {
    char **v;
    size_t n, cap;
} hlb_strlist;

void hlb_strlist_add(hlb_strlist *l, const char *s);     /* copies s */
int hlb_strlist_has(const hlb_strlist *l, const char *s);
void hlb_strlist_free(hlb_strlist *l);
/* Add the items of "a,b,c" to l, skipping those already there. An empty item is an error:
** returns -1 (l keeps the items before it). */
int hlb_split_commas(const char *s, hlb_strlist *l);
/* The items of l joined by sep (malloc'd). */
char *hlb_strlist_join(const hlb_strlist *l, const char *sep);

/* Does path name an existing regular file that we may execute? */
int hlb_is_executable(const char *path);
/* Is path an existing directory? */
int hlb_is_dir(const char *path);
/* The full path of cmd found on PATH (malloc'd), or NULL. */
char *hlb_which(const char *cmd);

/* Seconds on the monotonic clock. */
double hlb_now(void);

/* "1 object", "2 objects": n and the singular or plural word (word + "s", or plural when not
** NULL). Returns buf. */
const char *hlb_plural(char *buf, size_t len, unsigned long long n, const char *word, const char *plural);

#endif
