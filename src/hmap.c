/* hmap.c -- see hmap.h */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "hash.h"
#include "hmap.h"
#include "xalloc.h"

/* The maps' seed is a digit short of FNV-1a's offset basis, as it has
 * been since it was written; any seed serves a map, and this one keeps the
 * probe orders measured so far.  The fold brings high bits into the slot. */
#define HMAP_SEED 1469598103934665603u

static size_t hash(const char *s)
{
	uint64_t h = vd_fnv1a_str(HMAP_SEED, s);
	return (size_t)(h ^ (h >> 29));
}

void vd_hmap_init(struct vd_hmap *m)
{
	memset(m, 0, sizeof *m);
}

void vd_hmap_free(struct vd_hmap *m)
{
	free(m->keys);
	free(m->vals);
	free(m->hashes);
	vd_hmap_init(m);
}

static void grow(struct vd_hmap *m)
{
	size_t ncap = m->cap ? m->cap * 2 : 64;
	const char **ok = m->keys;
	size_t *ov = m->vals, *oh = m->hashes, ocap = m->cap;

	m->keys = xcalloc(ncap, sizeof *m->keys);
	m->vals = xcalloc(ncap, sizeof *m->vals);
	m->hashes = xcalloc(ncap, sizeof *m->hashes);
	m->cap = ncap;
	for (size_t i = 0; i < ocap; i++) {
		if (!ok[i])
			continue;
		size_t j = oh[i] & (ncap - 1);
		while (m->keys[j])
			j = (j + 1) & (ncap - 1);
		m->keys[j] = ok[i];
		m->vals[j] = ov[i];
		m->hashes[j] = oh[i];
	}
	free(ok);
	free(ov);
	free(oh);
}

size_t vd_hmap_put(struct vd_hmap *m, const char *key, size_t val)
{
	if ((m->n + 1) * 4 > m->cap * 3)
		grow(m);
	size_t h = hash(key), j = h & (m->cap - 1);
	while (m->keys[j]) {
		if (m->hashes[j] == h && strcmp(m->keys[j], key) == 0)
			return m->vals[j];
		j = (j + 1) & (m->cap - 1);
	}
	m->keys[j] = key;
	m->vals[j] = val;
	m->hashes[j] = h;
	m->n++;
	return (size_t)-1;
}

size_t vd_hmap_get(const struct vd_hmap *m, const char *key)
{
	if (!m->cap)
		return (size_t)-1;
	size_t h = hash(key), j = h & (m->cap - 1);
	while (m->keys[j]) {
		if (m->hashes[j] == h && strcmp(m->keys[j], key) == 0)
			return m->vals[j];
		j = (j + 1) & (m->cap - 1);
	}
	return (size_t)-1;
}
