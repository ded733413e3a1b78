/* hash.h -- FNV-1a, 64 bit, byte by byte: the one hash of the program's
 * own tables and files.  Its values are part of the output (the hash
 * column of state/events.csv), so they are the same on every machine:
 * no word-at-a-time tricks that depend on byte order. */
#ifndef VD_HASH_H
#define VD_HASH_H
#include <stddef.h>
#include <stdint.h>

/* FNV-1a's offset basis: the h to start a hash from. */
#define VD_FNV1A_INIT 14695981039346656037u

/* h continued over p[0 .. n): vd_fnv1a(VD_FNV1A_INIT, p, n) hashes p alone. */
uint64_t vd_fnv1a(uint64_t h, const void *p, size_t n);

/* h continued over the string s, without its NUL. */
uint64_t vd_fnv1a_str(uint64_t h, const char *s);
#endif
