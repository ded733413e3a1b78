/* utf8.c -- see utf8.h */
#include "utf8.h"

/* Length of the longest prefix of s made of complete, valid UTF-8
 * (no overlongs, surrogates or code points above U+10FFFF).  *bad is set
 * when the byte there is invalid; otherwise what follows is an incomplete
 * sequence cut by the end of the buffer. */
size_t vd_utf8_prefix(const unsigned char *s, size_t n, int *bad)
{
	size_t i = 0;
	*bad = 0;
	while (i < n) {
		unsigned c = s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t len;
		unsigned lo = 0x80, hi = 0xBF;
		if (c >= 0xC2 && c <= 0xDF) {
			len = 2;
		} else if (c >= 0xE0 && c <= 0xEF) {
			len = 3;
			if (c == 0xE0)
				lo = 0xA0;
			else if (c == 0xED)
				hi = 0x9F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			len = 4;
			if (c == 0xF0)
				lo = 0x90;
			else if (c == 0xF4)
				hi = 0x8F;
		} else {
			*bad = 1;
			return i;
		}
		for (size_t k = 1; k < len; k++) {
			if (i + k >= n)
				return i;
			unsigned cc = s[i + k];
			if (cc < (k == 1 ? lo : 0x80u) || cc > (k == 1 ? hi : 0xBFu)) {
				*bad = 1;
				return i;
			}
		}
		i += len;
	}
	return i;
}

