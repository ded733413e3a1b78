/* words.h -- the one list splitter and the one "did you mean" of vdsched.
 *
 * Depends on libc only: the build compiles this file into the core and
 * into plugins/common, so an INI value, a CSV cell (completed,
 * unavailable) and a plugin option are split the same way, without adding
 * to the plugin ABI. */
#ifndef VD_WORDS_H
#define VD_WORDS_H
#include <stddef.h>
#include <stdint.h>

/* Bytes of the list separator at s, or 0: space, tab, CR, LF, ',', ';',
 * and what a Chinese keyboard types for them: the ideographic space
 * U+3000, '，' U+FF0C, '、' U+3001 and '；' U+FF1B. */
size_t vd_list_sep(const char *s);

/* Bytes of the blank at s, or 0: space, tab, CR, LF or U+3000. */
size_t vd_blank(const char *s);

/* The next word of the list at *sp, its length in *len, *sp moved past
 * it; NULL at the end. */
const char *vd_list_next(const char **sp, size_t *len);

/* s without leading and trailing blanks (in place: the end is cut with a
 * NUL); returns the first non-blank byte.  Also drops a stray UTF-8 BOM
 * at the front, which Excel leaves on a first header cell. */
char *vd_trim(char *s);

/* "Did you mean": the candidate nearest to a word by edit distance over
 * code points, if it is close enough to be a likely typo (1 edit for
 * words up to 3 characters, 2 up to 6, else 3).  Stream candidates
 * through vd_near_try; the first nearest wins. */
#define VD_NEAR_MAX 64
struct vd_near {
	uint32_t q[VD_NEAR_MAX + 1];
	size_t nq;
	size_t best;        /* worst distance still worth showing */
	const char *pick;   /* NULL: nothing close */
};
void vd_near_init(struct vd_near *g, const char *word);
void vd_near_try(struct vd_near *g, const char *cand);

/* vd_near over the NULL-terminated list; an exact match counts. */
const char *vd_nearest(const char *word, const char *const *list);

#endif
