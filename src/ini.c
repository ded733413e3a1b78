/* ini.c -- see ini.h */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <iniparser/iniparser.h>
#include "ini.h"
#include "utf8.h"
#include "xalloc.h"

/* iniparser 4.1 reads with fgets into a 1,024-byte buffer, continuation
 * lines included; anything longer fails the whole load. */
#define INIPARSER_LINE_MAX 1022

static int quiet_errback(const char *fmt, ...)
{
	(void)fmt;  /* our own scan reports syntax errors with lines */
	return 0;
}

static char *lower_trim(const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s)) { s++; n--; }
	while (n && isspace((unsigned char)s[n - 1])) n--;
	char *r = xstrndup(s, n);
	for (char *c = r; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	return r;
}

static void add_key(struct vd_ini *ini, size_t *cap, const char *sec, char *key, int line,
                    struct vd_diag *dg)
{
	char *full = xasprintf("%s:%s", sec, key);
	size_t prev = vd_hmap_get(&ini->key_ix, full);
	if (prev != (size_t)-1) {
		vd_error(dg, ini->path, line,
		         _("key '%s' appears twice in [%s] (first on line %d); keep one"),
		         key, sec, ini->keys[prev].line);
		free(full);
		free(key);
		return;
	}
	xgrow(&ini->keys, cap, ini->nkeys + 1, sizeof *ini->keys);
	ini->full = xreallocarray(ini->full, ini->nkeys + 1, sizeof *ini->full);
	ini->keys[ini->nkeys] = (struct vd_ini_key){ xstrdup(sec), key, line };
	ini->full[ini->nkeys] = full;
	vd_hmap_put(&ini->key_ix, full, ini->nkeys);
	ini->nkeys++;
}

/* The scan: mirrors what iniparser 4.1 accepts, reporting what it would
 * reject.  Returns the number of errors. */
static unsigned scan(struct vd_ini *ini, FILE *f, struct vd_diag *dg)
{
	unsigned before = dg->errors;
	size_t seccap = 0, keycap = 0;
	const char *cur = NULL;
	char *buf = NULL;
	size_t bufcap = 0;
	ssize_t n;
	int lineno = 0, logical_start = 0;
	char *logical = NULL;
	size_t loglen = 0;

	while ((n = getline(&buf, &bufcap, f)) != -1) {
		lineno++;
		if (lineno == 1 && n >= 2 && (((unsigned char)buf[0] == 0xff && (unsigned char)buf[1] == 0xfe) ||
		                              ((unsigned char)buf[0] == 0xfe && (unsigned char)buf[1] == 0xff))) {
			vd_error(dg, ini->path, 0, _("the file is UTF-16 (Notepad's \"Unicode\"); save it as UTF-8"));
			break;
		}
		if (memchr(buf, '\0', (size_t)n)) {
			/* One message: a binary or UTF-16 file has NULs everywhere. */
			if (lineno == 1 && n >= 2 && (buf[0] == '\0' || buf[1] == '\0'))
				vd_error(dg, ini->path, 0, _("the file is UTF-16 (Notepad's \"Unicode\"); save it as UTF-8"));
			else
				vd_error(dg, ini->path, lineno, _("NUL byte in the line; this is not a text file: save it as plain text (UTF-8)"));
			break;
		}
		int bad8 = 0;
		if (vd_utf8_prefix((const unsigned char *)buf, (size_t)n, &bad8) != (size_t)n) {
			vd_error(dg, ini->path, lineno,
			         _("the file is not valid UTF-8 at this line (GBK?); save it as UTF-8"));
			continue;
		}
		char *s = buf;
		if (lineno == 1 && strncmp(s, "\xef\xbb\xbf", 3) == 0) {
			vd_error(dg, ini->path, lineno, _("the file starts with a UTF-8 byte-order mark, which iniparser cannot read; save it as UTF-8 without BOM"));
			s += 3;
		}
		size_t len = strlen(s);
		while (len && (s[len - 1] == '\n' || s[len - 1] == '\r'))
			len--;
		if (!logical)
			logical_start = lineno;
		logical = xrealloc(logical, loglen + len + 1);
		memcpy(logical + loglen, s, len);
		loglen += len;
		logical[loglen] = '\0';
		if (loglen > INIPARSER_LINE_MAX) {
			vd_error(dg, ini->path, logical_start,
			         _("line is %zu bytes long; the INI reader accepts at most %d: shorten it (use date ranges A..B, or fewer words per line)"),
			         loglen, INIPARSER_LINE_MAX);
			free(logical); logical = NULL; loglen = 0;
			continue;
		}
		if (loglen && logical[loglen - 1] == '\\') {  /* continuation */
			logical[--loglen] = '\0';
			continue;
		}
		char *l = logical;
		while (isspace((unsigned char)*l)) l++;
		size_t ll = strlen(l);
		while (ll && isspace((unsigned char)l[ll - 1])) l[--ll] = '\0';
		if (ll == 0 || l[0] == ';' || l[0] == '#') {
			/* blank or comment */
		} else if (l[0] == '[') {
			char *close = strchr(l, ']');
			char *rest = close ? close + 1 : NULL;
			while (rest && isspace((unsigned char)*rest)) rest++;
			if (!close || (*rest && *rest != ';' && *rest != '#')) {
				vd_error(dg, ini->path, lineno, _("bad section header '%s'; write it as [name]"), l);
			} else {
				char *name = lower_trim(l + 1, (size_t)(close - l - 1));
				/* collapse inner runs of blanks: "course   tcm" */
				char *w = name;
				for (char *r = name; *r; r++)
					if (!(isspace((unsigned char)*r) && (w == name || w[-1] == ' ')))
						*w++ = isspace((unsigned char)*r) ? ' ' : *r;
				*w = '\0';
				if (!*name || strchr(name, ':')) {
					vd_error(dg, ini->path, logical_start,
					         _("section name '%s' is empty or contains ':'; use letters, digits, '_', '-' or '.'"), name);
					free(name);
					cur = "";  /* its keys are part of the bad section */
				} else {
					int dup = 0;
					for (size_t i = 0; i < ini->nsecs; i++)
						if (strcmp(ini->secs[i].name, name) == 0) {
							vd_error(dg, ini->path, logical_start,
							         _("section [%s] appears twice (first on line %d); merge them"),
							         name, ini->secs[i].line);
							dup = 1;
						}
					xgrow(&ini->secs, &seccap, ini->nsecs + 1, sizeof *ini->secs);
					ini->secs[ini->nsecs++] = (struct vd_ini_section){ name, logical_start };
					(void)dup;
					cur = name;
				}
			}
		} else {
			char *eq = strchr(l, '=');
			if (!eq || eq == l) {
				vd_error(dg, ini->path, logical_start,
				         _("'%s' is not 'key = value'; add the '=' or make it a comment with ';'"), l);
			} else if (cur && !*cur) {
				/* under a rejected section header: already reported */
			} else if (!cur) {
				vd_error(dg, ini->path, logical_start,
				         _("key outside any section; put it under a [section] header"));
			} else {
				char *key = lower_trim(l, (size_t)(eq - l));
				if (!*key || strchr(key, ':'))
					vd_error(dg, ini->path, logical_start, _("bad key name '%s'"), key), free(key);
				else
					add_key(ini, &keycap, cur, key, logical_start, dg);
			}
		}
		free(logical);
		logical = NULL;
		loglen = 0;
	}
	if (logical) {
		vd_error(dg, ini->path, logical_start, _("the last line ends with '\\' but nothing follows"));
		free(logical);
	}
	free(buf);
	return dg->errors - before;
}

struct vd_ini *vd_ini_open(const char *path, struct vd_diag *dg)
{
	FILE *f = fopen(path, "r");
	struct stat st;
	if (f && fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(f);
		f = NULL;
		errno = EISDIR;
	}
	if (!f) {
		vd_error(dg, path, 0, errno == EISDIR ? _("cannot read: %s") : _("cannot open: %s"),
		         strerror(errno));
		return NULL;
	}
	struct vd_ini *ini = xcalloc(1, sizeof *ini);
	ini->path = xstrdup(path);
	vd_hmap_init(&ini->key_ix);
	unsigned bad = scan(ini, f, dg);
	int rerr = ferror(f);
	fclose(f);
	if (rerr) {
		vd_error(dg, path, 0, _("read error"));
		bad++;
	}
	if (!bad) {
		iniparser_set_error_callback(quiet_errback);
		ini->dict = iniparser_load(path);
		if (!ini->dict) {
			vd_error(dg, path, 0, _("the INI reader rejected the file; check its syntax"));
			bad++;
		}
	}
	if (bad) {
		vd_ini_close(ini);
		return NULL;
	}
	return ini;
}

void vd_ini_close(struct vd_ini *ini)
{
	if (!ini)
		return;
	if (ini->dict)
		iniparser_freedict(ini->dict);
	for (size_t i = 0; i < ini->nsecs; i++)
		free(ini->secs[i].name);
	for (size_t i = 0; i < ini->nkeys; i++) {
		free(ini->keys[i].section);
		free(ini->keys[i].key);
		free(ini->full[i]);
	}
	free(ini->secs);
	free(ini->keys);
	free(ini->full);
	vd_hmap_free(&ini->key_ix);
	free(ini->path);
	free(ini);
}

const char *vd_ini_get(const struct vd_ini *ini, const char *section, const char *key)
{
	char *full = xasprintf("%s:%s", section, key);
	const char *v = NULL;
	/* Only ask iniparser for keys our scan saw: never a bare section. */
	if (vd_hmap_get(&ini->key_ix, full) != (size_t)-1)
		v = iniparser_getstring(ini->dict, full, NULL);
	free(full);
	return v;
}

int vd_ini_line(const struct vd_ini *ini, const char *section, const char *key)
{
	if (key) {
		char *full = xasprintf("%s:%s", section, key);
		size_t i = vd_hmap_get(&ini->key_ix, full);
		free(full);
		if (i != (size_t)-1)
			return ini->keys[i].line;
	}
	for (size_t i = 0; i < ini->nsecs; i++)
		if (strcmp(ini->secs[i].name, section) == 0)
			return ini->secs[i].line;
	return 0;
}

int vd_ini_has_section(const struct vd_ini *ini, const char *section)
{
	for (size_t i = 0; i < ini->nsecs; i++)
		if (strcmp(ini->secs[i].name, section) == 0)
			return 1;
	return 0;
}

static size_t lev(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 64 || lb > 64)
		return 99;
	size_t row[65];
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t prev = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t cur = row[j];
			size_t sub = prev + (a[i - 1] != b[j - 1]);
			size_t del = row[j] + 1, ins = row[j - 1] + 1;
			row[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
			prev = cur;
		}
	}
	return row[lb];
}

const char *vd_nearest(const char *word, const char *const *list)
{
	const char *best = NULL;
	size_t bd = (size_t)-1;
	for (; *list; list++) {
		size_t d = lev(word, *list);
		if (d < bd) {
			bd = d;
			best = *list;
		}
	}
	size_t wl = strlen(word);
	size_t limit = wl <= 3 ? 1 : (wl <= 6 ? 2 : 3);
	return bd <= limit ? best : NULL;
}
