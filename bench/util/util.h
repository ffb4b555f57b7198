/*
** bench/util/util.h: small helpers shared by the heaplab driver: checked allocation, formatted
** strings, growable string lists and comma-separated list splitting.
*/
#ifndef HLB_UTIL_H
#define HLB_UTIL_H

#include <stddef.h>

void *hlb_xmalloc(size_t n);                 /* never NULL: aborts the driver on OOM */
void *hlb_xcalloc(size_t n, size_t size);
void *hlb_xrealloc(void *p, size_t n);
char *hlb_xstrdup(const char *s);
char *hlb_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));   /* malloc'd */

typedef struct hlb_strlist {
    char **v;
    size_t n, cap;
} hlb_strlist;

void hlb_strlist_add(hlb_strlist *l, const char *s);     /* copies s */
int hlb_strlist_has(const hlb_strlist *l, const char *s);
void hlb_strlist_free(hlb_strlist *l);
/* Split "a,b,c" into l (empty items are an error: returns -1). */
int hlb_split_commas(const char *s, hlb_strlist *l);

/* Does path name an existing regular file that we may execute? */
int hlb_is_executable(const char *path);
/* The full path of cmd found on PATH (malloc'd), or NULL. */
char *hlb_which(const char *cmd);

/* Seconds on the monotonic clock. */
double hlb_now(void);

#endif
