/* ini.c -- see ini.h */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
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

/* U+3000, the ideographic space a Chinese keyboard types in full-width
 * mode, and the full-width ＝ and ： */
#define IDSP(p) (!strncmp((p), "\xE3\x80\x80", 3))
#define FW_EQ(p) (!strncmp((p), "\xEF\xBC\x9D", 3))
#define FW_COLON(p) (!strncmp((p), "\xEF\xBC\x9A", 3))

/* Copies the blank at *r to *w, U+3000 as a space. */
static void blank(char **r, char **w, int *changed)
{
	if (IDSP(*r)) {
		*r += 3;
		*(*w)++ = ' ';
		*changed = 1;
	} else {
		*(*w)++ = *(*r)++;
	}
}

/* Rewrites what a Chinese keyboard types for INI syntax into what
 * iniparser reads: "key ＝ value", "key：value" and "key: value" become
 * "key = value", U+3000 in the key, around the value and in a section
 * header becomes a space (inside a value it stays: lists split on it), and
 * a line starting with ；or ＃ is a comment.
 * s is one physical line; a continuation line (cont) is the rest of a value
 * and is left alone.  Only ever shrinks s.  Returns 1 if it changed it. */
static int normalize(char *s, int cont)
{
	char *r = s, *w = s;
	int changed = 0;
	if (cont)
		return 0;
	while (*r == ' ' || *r == '\t' || IDSP(r))
		blank(&r, &w, &changed);
	if (!strncmp(r, "\xEF\xBC\x9B", 3) || !strncmp(r, "\xEF\xBC\x83", 3)) {
		r += 3;        /* a comment typed as ；or ＃ */
		*w++ = ';';
		changed = 1;
	} else if (*r == '[') {
		while (*r && *r != ']') {
			if (IDSP(r)) {
				r += 3;
				*w++ = ' ';
				changed = 1;
			} else {
				*w++ = *r++;
			}
		}
	} else if (*r && *r != ';' && *r != '#') {
		while (*r && *r != '=' && *r != ':' && !FW_EQ(r) && !FW_COLON(r)) {
			if (IDSP(r)) {
				r += 3;
				*w++ = ' ';
				changed = 1;
			} else {
				*w++ = *r++;
			}
		}
		if (*r) {
			if (*r != '=')
				changed = 1;
			r += *r == '=' || *r == ':' ? 1 : 3;
			*w++ = '=';
			while (*r == ' ' || *r == '\t' || IDSP(r))
				blank(&r, &w, &changed);
		}
	}
	size_t rest = strlen(r);
	memmove(w, r, rest + 1);
	/* trailing U+3000, before the line's end */
	size_t n = strlen(s), nl = n;
	while (nl && (s[nl - 1] == '\n' || s[nl - 1] == '\r'))
		nl--;
	size_t e = nl;
	while (e >= 3 && IDSP(s + e - 3))
		e -= 3;
	if (e != nl) {
		memmove(s + e, s + nl, n - nl + 1);
		changed = 1;
	}
	return changed || w != r;
}

/* "doctors = 名单.xlsx#村医": iniparser ends a value without quotes at
 * '#' or ';', but a '#' right after another character names a workbook's
 * sheet (csvread.h), not a comment.  Writes line s (normalised; cont: a
 * continuation) to norm, such a value put in double quotes, a comment
 * after it dropped.  Returns 1 if it quoted one. */
static int put_line(const char *s, int cont, FILE *norm)
{
	const char *k = s + strspn(s, " \t");
	const char *eq = cont || *k == ';' || *k == '#' || *k == '[' ? NULL : strchr(k, '=');
	const char *v = eq ? eq + 1 + strspn(eq + 1, " \t") : NULL, *e = v, *hash = NULL;
	for (; e && *e && *e != '\n' && *e != '\r'; e++) {
		if (*e == ';' || (*e == '#' && (e == v || e[-1] == ' ' || e[-1] == '\t')))
			break;
		if (*e == '#')
			hash = e;
	}
	while (hash && e > v && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	if (!hash || *v == '"' || *v == '\'' || memchr(v, '"', (size_t)(e - v)) || e[-1] == '\\') {
		fputs(s, norm);
		return 0;
	}
	fprintf(norm, "%.*s\"%.*s\"\n", (int)(v - s), s, (int)(e - v), v);
	return 1;
}

/* The scan: mirrors what iniparser 4.1 accepts, reporting what it would
 * reject.  Writes the normalised text to norm and sets *changed when it
 * differs from the file.  Returns the number of errors. */
static unsigned scan(struct vd_ini *ini, FILE *f, FILE *norm, int *changed, struct vd_diag *dg)
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
			s += 3;   /* Notepad's "UTF-8" has one; iniparser cannot read it */
			*changed = 1;
		}
		/* A longer line is reported below, and then nothing is handed to
		 * iniparser: skip copying a 200 MB line. */
		if ((size_t)n <= INIPARSER_LINE_MAX + 2 && dg->errors == before) {
			*changed |= normalize(s, logical != NULL);
			*changed |= put_line(s, logical != NULL, norm);
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
				/* the header as it was likely meant: closed, and
				 * without what follows the ']' */
				char *meant = close ? xstrndup(l, (size_t)(close - l + 1)) : xasprintf("%s]", l);
				if (strlen(meant) > 2 && !strchr(meant + 1, '['))
					vd_error(dg, ini->path, lineno, _("bad section header '%s'; write %s"), l, meant);
				else
					vd_error(dg, ini->path, lineno, _("bad section header '%s'; write it as [name]"), l);
				free(meant);
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

/* iniparser 4.1 reads only from a named file, so a file that needed
 * normalising is handed to it as a private temporary copy. */
static void *load_text(const char *path, const char *text, size_t n, struct vd_diag *dg)
{
	const char *tmp = getenv("TMPDIR");
	char *name = xasprintf("%s/vdsched-ini-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	void *dict = NULL;
	int fd = mkstemp(name);
	if (fd < 0) {
		vd_error(dg, path, 0, _("cannot make a temporary copy in %s to read ＝, ：, U+3000 or a BOM: %s; write = and plain spaces instead"),
		         tmp && *tmp ? tmp : "/tmp", strerror(errno));
		free(name);
		return NULL;
	}
	FILE *o = fdopen(fd, "w");
	int ok = o && fwrite(text, 1, n, o) == n;
	ok &= o && fclose(o) == 0;
	if (!o)
		close(fd);
	if (ok)
		dict = iniparser_load(name);
	else
		vd_error(dg, path, 0, _("cannot write a temporary copy in %s to read ＝, ：, U+3000 or a BOM: %s; write = and plain spaces instead"),
		         tmp && *tmp ? tmp : "/tmp", strerror(errno));
	if (ok && !dict)
		vd_error(dg, path, 0, _("the INI reader rejected the file; check its syntax"));
	unlink(name);
	free(name);
	return dict;
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
	char *text = NULL;
	size_t textlen = 0;
	int changed = 0;
	FILE *norm = open_memstream(&text, &textlen);
	unsigned bad = 0;
	if (norm) {
		bad = scan(ini, f, norm, &changed, dg);
		if (fclose(norm) != 0)
			norm = NULL;
	}
	if (!norm) {
		vd_error(dg, path, 0, _("out of memory"));
		bad++;
	}
	int rerr = ferror(f);
	fclose(f);
	if (rerr) {
		vd_error(dg, path, 0, _("read error"));
		bad++;
	}
	if (!bad) {
		iniparser_set_error_callback(quiet_errback);
		ini->dict = changed ? load_text(path, text, textlen, dg) : iniparser_load(path);
		if (!ini->dict && changed) {
			bad++;  /* reported by load_text */
		} else if (!ini->dict) {
			vd_error(dg, path, 0, _("the INI reader rejected the file; check its syntax"));
			bad++;
		}
	}
	free(text);
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
