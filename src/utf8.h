/* utf8.h -- strict UTF-8 validation, shared by the INI and CSV readers. */
#ifndef VD_UTF8_H
#define VD_UTF8_H
#include <stddef.h>
/* Length of the longest prefix of s made of complete, valid UTF-8
 * (no overlongs, surrogates or code points above U+10FFFF).  *bad is set
 * when the byte there is invalid; otherwise what follows is an incomplete
 * sequence cut by the end of the buffer. */
size_t vd_utf8_prefix(const unsigned char *s, size_t n, int *bad);
#endif
