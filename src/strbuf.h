/* strbuf.h -- a growable byte buffer, always NUL-terminated once it holds
 * anything: what the calendar writer splices its texts in and the CalDAV
 * client collects responses in.  One owner: the struct's holder, who frees
 * it (vd_strbuf_free) or takes its text (vd_strbuf_take).
 *
 * A zeroed struct is an empty buffer (s NULL until the first append).
 * Appending is inline: the calendar writer appends a few hundred pieces
 * per event, and a call per piece costs more than the copy. */
#ifndef VD_STRBUF_H
#define VD_STRBUF_H
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct vd_strbuf {
	char *s;             /* s[n] == '\0' once allocated */
	size_t n, cap;
};

/* Makes room for n more bytes and the NUL; returns where they go (b->s + b->n). */
char *vd_strbuf_reserve(struct vd_strbuf *b, size_t n);

/* Appends s[0 .. n) (which may hold NULs). */
static inline void vd_strbuf_catn(struct vd_strbuf *b, const void *s, size_t n)
{
	char *at = b->n + n < b->cap ? b->s + b->n : vd_strbuf_reserve(b, n);
	if (n)
		memcpy(at, s, n);
	b->n += n;
	b->s[b->n] = '\0';
}

/* Appends the string s. */
static inline void vd_strbuf_cat(struct vd_strbuf *b, const char *s)
{
	vd_strbuf_catn(b, s, strlen(s));
}

/* Appends v in decimal. */
void vd_strbuf_num(struct vd_strbuf *b, uintmax_t v);

/* Empties b, keeping its memory for the next appends. */
static inline void vd_strbuf_reset(struct vd_strbuf *b)
{
	b->n = 0;
	if (b->s)
		b->s[0] = '\0';
}

/* The text, malloc'd (never NULL), now the caller's; b is left empty. */
char *vd_strbuf_take(struct vd_strbuf *b);

/* Frees b's memory and leaves it empty. */
void vd_strbuf_free(struct vd_strbuf *b);
#endif
