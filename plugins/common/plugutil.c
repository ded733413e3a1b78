/* plugutil.c -- plumbing shared by the course plugins; see plugutil.h. */
#include "plugutil.h"
#include "words.h"  /* src/words.c, built into plugutil too */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *pu_own(struct pu_arena *a, void *p)
{
	if (!p)
		return NULL;
	if (a->n == a->cap) {
		size_t cap = a->cap ? 2 * a->cap : 32;
		void **v = realloc(a->owned, cap * sizeof *v);
		if (!v) {
			free(p);
			return NULL;
		}
		a->owned = v;
		a->cap = cap;
	}
	return a->owned[a->n++] = p;
}

char *pu_printf(struct pu_arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *s = n < 0 ? NULL : malloc((size_t)n + 1);
	if (!s)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return pu_own(a, s);
}

char **pu_split(struct pu_arena *a, const char *s, size_t *n)
{
	*n = 0;
	if (!s)
		s = "";
	/* the words and their NULs fit: each word but the last is followed by
	 * at least one separator byte */
	size_t len = strlen(s) + 1;
	char *copy = pu_own(a, malloc(len));
	char **v = copy ? pu_own(a, calloc(len / 2 + 1, sizeof *v)) : NULL;
	if (!v)
		return NULL;
	const char *w;
	size_t k;
	while ((w = vd_list_next(&s, &k))) {
		memcpy(copy, w, k);
		copy[k] = '\0';
		v[(*n)++] = copy;
		copy += k + 1;
	}
	return v;
}

int pu_id_valid(const char *s)
{
	size_t n = 0;
	for (const char *c = s; *c; c++, n++) {
		int alnum = (*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'z') ||
		            (*c >= 'A' && *c <= 'Z');
		if (!alnum && (n == 0 || (*c != '_' && *c != '.' && *c != '-')))
			return 0;
	}
	return n >= 1 && n <= 64;
}

void pu_arena_free(struct pu_arena *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->owned[i]);
	free(a->owned);
	a->owned = NULL;
	a->n = a->cap = 0;
}

void *pu_state_new(const struct vds_host *h, struct vds_ctx *ctx,
                   struct vds_course *course, size_t size)
{
	if (!h || h->size < sizeof(struct vds_host) || h->abi_major != VDS_ABI_MAJOR ||
	    !course || course->size < sizeof(struct vds_course))
		return NULL;
	void *t = calloc(1, size);
	if (!t) {
		pu_oom(h, ctx);
		return NULL;
	}
	course->state = t;
	return t;
}

int pu_oom(const struct vds_host *h, struct vds_ctx *ctx)
{
	h->error(ctx, NULL, "%s", _("out of memory"));
	return -1;
}

void pu_fini(struct vds_course *course)
{
	struct pu_arena *a = course->state;  /* the state's first member */
	if (!a)
		return;
	pu_arena_free(a);
	free(a);
	course->state = NULL;
	course->sessions = NULL;
	course->nsessions = 0;
	course->resources = NULL;
	course->nresources = 0;
	course->features = NULL;
	course->nfeatures = 0;
	course->prereqs = NULL;
	course->nprereqs = 0;
	course->eligible = NULL;
}

/* Reports id, given at option KEY, unless it is valid; returns 1 if reported. */
static int bad_id(const struct vds_host *h, struct vds_ctx *ctx, const char *key,
                  const char *what, const char *id)
{
	if (pu_id_valid(id))
		return 0;
	/* TRANSLATORS: the last %s is "course id" or "site feature name" */
	h->error(ctx, key, _("%s: '%s' is not a %s (letters, digits, '_', '.', '-')"),
	         key, id, _(what));
	return 1;
}

/* Reports a prerequisite that is the course itself; returns 1 if reported. */
static int self_required(const struct vds_host *h, struct vds_ctx *ctx,
                         const char *self, const char *id)
{
	if (!self || strcmp(id, self))
		return 0;
	h->error(ctx, "requires", _("requires: a course cannot require itself ('%s')"), id);
	return 1;
}

int pu_check_ids(const struct vds_host *h, struct vds_ctx *ctx, const char *key,
                 const char *what, char *const *v, size_t n)
{
	int bad = 0;
	for (size_t i = 0; i < n; i++)
		bad |= bad_id(h, ctx, key, what, v[i]);
	return bad;
}

int pu_check_self(const struct vds_host *h, struct vds_ctx *ctx,
                  char *const *req, size_t n)
{
	const char *self = h->name(ctx);
	int bad = 0;
	for (size_t i = 0; self && i < n; i++)
		bad |= self_required(h, ctx, self, req[i]);
	return bad;
}

int pu_check_requires(const struct vds_host *h, struct vds_ctx *ctx,
                      char *const *req, size_t n)
{
	const char *self = h->name(ctx);
	int bad = 0;
	for (size_t i = 0; i < n; i++)
		bad |= bad_id(h, ctx, "requires", N_("course id"), req[i]) ||
		       self_required(h, ctx, self, req[i]);
	return bad;
}
