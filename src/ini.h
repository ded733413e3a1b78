/* ini.h -- iniparser with line numbers and without its traps.
 *
 * iniparser 4.1 (Debian 12) gives no line numbers, discards the whole file
 * on one syntax error, fails on a line over 1,024 bytes, crashes when a
 * bare section name is looked up as a key (CVE-2023-33461) and mis-handles
 * ':' in section names.  So we scan the file first: the scan reports every
 * syntax problem with its line, records where each section and key sits,
 * and only a clean file is handed to iniparser for its values. */
#ifndef VD_INI_H
#define VD_INI_H
#include <stddef.h>
#include "diag.h"
#include "hmap.h"
#include "words.h"  /* vd_nearest */

struct vd_ini_key {
	char *section;   /* lowercased, as iniparser stores it */
	char *key;       /* lowercased */
	int line;
};

struct vd_ini_section {
	char *name;      /* lowercased */
	int line;
};

struct vd_ini {
	char *path;
	void *dict;      /* iniparser dictionary */
	struct vd_ini_section *secs; size_t nsecs;
	struct vd_ini_key *keys;     size_t nkeys;
	struct vd_hmap key_ix;       /* "section:key" -> keys[] index */
	char **full;                 /* "section:key" strings, owned */
};

/* Returns NULL after reporting problems (syntax, too long, unreadable). */
struct vd_ini *vd_ini_open(const char *path, struct vd_diag *dg);
void vd_ini_close(struct vd_ini *ini);
/* Value of section:key, or NULL when the key is absent. */
const char *vd_ini_get(const struct vd_ini *ini, const char *section, const char *key);
/* Line of section:key, else of the section, else 0. */
int vd_ini_line(const struct vd_ini *ini, const char *section, const char *key);
int vd_ini_has_section(const struct vd_ini *ini, const char *section);

#endif
