/* hmap.h -- string -> index hash map (open addressing, FNV-1a).
 * Keys are not copied: they must outlive the map (they are the ids owned
 * by the program).  Used for rosters of a million rows, so lookups are O(1)
 * and growth is amortised. */
#ifndef VD_HMAP_H
#define VD_HMAP_H
#include <stddef.h>

struct vd_hmap {
	const char **keys;
	size_t *vals;
	size_t *hashes;   /* compared before the key, so probes rarely touch it */
	size_t cap, n;
};

void vd_hmap_init(struct vd_hmap *m);
void vd_hmap_free(struct vd_hmap *m);
/* Returns the existing value if key is present (and does not insert),
 * else inserts and returns (size_t)-1. */
size_t vd_hmap_put(struct vd_hmap *m, const char *key, size_t val);
/* (size_t)-1 when absent */
size_t vd_hmap_get(const struct vd_hmap *m, const char *key);
#endif
