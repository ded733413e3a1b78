/* qr.h -- QR codes drawn as inline SVG for the printed pages (libqrencode).
 *
 * A doctor's calendar address is printed on every cohort page the doctor
 * is on (2.6 pages per doctor on a generated 10,000-doctor program), and
 * choosing a code's mask is most of libqrencode's work: a struct
 * vd_qr_cache keeps each code's modules, one bit each, so a code is made
 * once per run however many pages carry it. */
#ifndef VD_QR_H
#define VD_QR_H
#include <stddef.h>
#include <stdio.h>

struct vd_qr;
/* Codes by a caller's key (a doctor's index), made when first asked. */
struct vd_qr_cache {
	struct vd_qr **code;   /* by key; NULL until made */
	size_t n;
};

/* An <svg> of text's QR code (level M, 8-bit), module_mm millimetres a
 * module, with a 4-module quiet zone.  Returns 0, or -1 when libqrencode
 * fails (errno set). */
int vd_qr_svg(FILE *f, const char *text, double module_mm);
/* The same, the code kept in c under key (< the n of vd_qr_cache_init):
 * the same text must come with the same key. */
int vd_qr_svg_cached(FILE *f, struct vd_qr_cache *c, size_t key, const char *text,
                     double module_mm);
/* A cache for keys 0 .. n-1, empty. */
void vd_qr_cache_init(struct vd_qr_cache *c, size_t n);
/* Frees the codes and the table. */
void vd_qr_cache_free(struct vd_qr_cache *c);

#endif
