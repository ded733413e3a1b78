/* hash.c -- see hash.h */
#include "hash.h"

#define FNV1A_PRIME 1099511628211u

uint64_t vd_fnv1a(uint64_t h, const void *p, size_t n)
{
	const unsigned char *c = p;
	while (n--)
		h = (h ^ *c++) * FNV1A_PRIME;
	return h;
}

uint64_t vd_fnv1a_str(uint64_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * FNV1A_PRIME;
	return h;
}
