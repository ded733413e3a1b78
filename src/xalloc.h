/* xalloc.h -- allocation that never returns NULL.  Running out of memory
 * is not an input error we can report usefully line by line; we print and
 * exit(1) so no half-written output ever results (outputs are written to a
 * temporary folder first). */
#ifndef VD_XALLOC_H
#define VD_XALLOC_H
#include <stddef.h>
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t sz);
void *xrealloc(void *p, size_t n);
/* realloc of an array to n elements of sz bytes, checking overflow */
void *xreallocarray(void *p, size_t n, size_t sz);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Grow *v (of *cap elements of sz) so it holds at least need elements. */
void xgrow(void *vp, size_t *cap, size_t need, size_t sz);
#endif
