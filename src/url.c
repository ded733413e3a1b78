/* url.c -- see url.h */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "i18n.h"
#include "url.h"
#include "xalloc.h"

static int unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == '_' || c == '~';
}

/* Appends s percent-encoded at out (room for 3 * strlen(s) bytes). */
static char *pct(char *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		if (unreserved(*c)) {
			*out++ = (char)*c;
		} else {
			*out++ = '%';
			*out++ = hex[*c >> 4];
			*out++ = hex[*c & 15];
		}
	}
	*out = '\0';
	return out;
}

char *vd_calendar_url(const struct vd_program *p, const char *kind, const char *id)
{
	const char *base = p && p->base_url ? p->base_url : "";
	size_t n = strlen(base) + 3 * (strlen(kind) + strlen(id)) + sizeof "ics//.ics";
	char *url = xmalloc(n), *e = url;
	e = stpcpy(e, base);
	e = stpcpy(e, "ics/");
	e = pct(e, kind);
	*e++ = '/';
	e = pct(e, id);
	strcpy(e, ".ics");
	return url;
}

char *vd_base_url_normalize(const char *v, const char **why)
{
	static const char *const schemes[] = { "https://", "http://", "webcal://", NULL };
	size_t sl = 0;
	for (const char *const *s = schemes; *s && !sl; s++)
		if (!strncasecmp(v, *s, strlen(*s)))
			sl = strlen(*s);
	if (!sl) {
		*why = _("must start with https:// or http:// (or webcal://), e.g. base_url = https://example.org/peixun/");
		return NULL;
	}
	for (const unsigned char *c = (const unsigned char *)v; *c; c++) {
		if (*c <= ' ' || *c == 0x7f) {
			*why = _("contains a space or a control character; remove it or percent-encode it");
			return NULL;
		}
		if (*c >= 0x80) {
			*why = _("contains a non-ASCII character; percent-encode it or use the punycode host name");
			return NULL;
		}
		if (strchr("\"<>\\^`{|}", *c)) {
			*why = _("contains a character not allowed in a URL (\" < > \\ ^ ` { | }); percent-encode it");
			return NULL;
		}
		if (*c == '?' || *c == '#') {
			*why = _("contains '?' or '#'; calendar paths are appended to base_url, so give the folder's address only");
			return NULL;
		}
	}
	if (!v[sl] || v[sl] == '/') {
		*why = _("has no host name after the scheme, e.g. base_url = https://example.org/peixun/");
		return NULL;
	}
	size_t n = strlen(v);
	return v[n - 1] == '/' ? xstrdup(v) : xasprintf("%s/", v);
}
