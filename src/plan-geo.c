/* plan-geo.c -- where the sites are, as the constructions see them: each
 * pair's nearest usable site (its home, and the nearest-site bound on
 * travel) and the few sites nearest a clinic.
 *
 * Apart because every pass asks it and none of them cares how: sites are
 * points on the unit sphere (nearer = larger dot product, the order of
 * great-circle distance at a fraction of the cost), scanned outwards from a
 * clinic's latitude, and a site d radians of latitude away is at least d
 * radians away on the sphere. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "plan-int.h"
#include "xalloc.h"

/* Point on the unit sphere; nearer on the sphere = larger dot product. */
static void unit(double lat, double lon, double *u)
{
	const double rad = M_PI / 180.0;
	u[0] = cos(lat * rad) * cos(lon * rad);
	u[1] = cos(lat * rad) * sin(lon * rad);
	u[2] = sin(lat * rad);
}

/* The k nearest sites of clinic `cl` that can hold course c, nearest
 * first; returns how many. */
size_t plan_near_sites(const struct vd_planwork *W, const struct vd_clinic *cl, size_t c, size_t *out)
{
	const struct vd_program *p = W->b.p;
	const double rad = M_PI / 180.0;
	double best[PLAN_NEAR], u[3];
	size_t n = 0;
	/* Remembered per clinic and course: the same pairs ask again and again
	 * on an over-subscribed program, and the band of sites scanned widens
	 * with their number. */
	size_t key = (size_t)(cl - p->clinics) * W->b.nc + c;
	uint32_t *memo = &W->near_memo[key * PLAN_NEAR];
	if (W->near_n[key] != 0xff) {
		for (size_t i = 0; i < W->near_n[key]; i++)
			out[i] = memo[i];
		return W->near_n[key];
	}
	unit(cl->lat, cl->lon, u);
	/* outwards from the clinic's latitude, as in nearest_sites_of() */
	size_t lo = 0, hi = W->b.ns;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (p->sites[W->bylat[mid]].lat < cl->lat)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t up = lo, down = lo;
	double reach = 10.0;  /* the angle of the worst of the PLAN_NEAR found (acos only when it changes) */
	for (;;) {
		double du = up < W->b.ns ? (p->sites[W->bylat[up]].lat - cl->lat) * rad : 1e9;
		double dd = down > 0 ? (cl->lat - p->sites[W->bylat[down - 1]].lat) * rad : 1e9;
		if ((du > reach + 1e-12 && dd > reach + 1e-12) || (up >= W->b.ns && down == 0))
			break;
		size_t s = du <= dd ? W->bylat[up++] : W->bylat[--down];
		if (!W->b.ci[c].usable[s])
			continue;
		double d = -(u[0] * W->sxyz[s][0] + u[1] * W->sxyz[s][1] + u[2] * W->sxyz[s][2]);
		if (n == PLAN_NEAR && (d > best[PLAN_NEAR - 1] || (d == best[PLAN_NEAR - 1] && s > out[PLAN_NEAR - 1])))
			continue;
		size_t j = n < PLAN_NEAR ? n++ : PLAN_NEAR - 1;
		while (j > 0 && (best[j - 1] > d || (best[j - 1] == d && out[j - 1] > s))) {
			best[j] = best[j - 1];
			out[j] = out[j - 1];
			j--;
		}
		best[j] = d;
		out[j] = s;
		if (n == PLAN_NEAR)
			reach = acos(fmax(-1.0, fmin(1.0, -best[PLAN_NEAR - 1])));
	}
	for (size_t i = 0; i < n; i++)
		memo[i] = (uint32_t)out[i];
	W->near_n[key] = (unsigned char)n;
	return n;
}

static int cmp_lat(const void *a, const void *b, void *ctx)
{
	const struct vd_program *p = ctx;
	double x = p->sites[*(const size_t *)a].lat, y = p->sites[*(const size_t *)b].lat;
	if (x != y)
		return x < y ? -1 : 1;
	return (*(const size_t *)a > *(const size_t *)b) - (*(const size_t *)a < *(const size_t *)b);
}

/* The nearest usable site of each course for one clinic (VD_NONE where a
 * course has none); sites ordered by latitude in bylat.  Ties go to the
 * lower site index, as a plain scan would. */
static void nearest_sites_of(const struct vd_planwork *W, const size_t *bylat, const struct vd_clinic *cl,
                             size_t *out)
{
	const struct vd_program *p = W->b.p;
	const double rad = M_PI / 180.0;
	double u[3], best[64];
	size_t nc = W->b.nc < 64 ? W->b.nc : 64;
	unit(cl->lat, cl->lon, u);
	for (size_t c = 0; c < W->b.nc; c++)
		out[c] = VD_NONE;
	/* first site at or above the clinic's latitude */
	size_t lo = 0, hi = W->b.ns;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (p->sites[bylat[mid]].lat < cl->lat)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t up = lo, down = lo;  /* next to look at: bylat[up], bylat[down - 1] */
	for (;;) {
		/* widest angle still of interest: infinite while a course lacks a find */
		double reach = 0;
		for (size_t c = 0; c < nc; c++) {
			double a = out[c] == VD_NONE ? 10.0 : acos(fmax(-1.0, fmin(1.0, best[c])));
			reach = a > reach ? a : reach;
		}
		double du = up < W->b.ns ? (p->sites[bylat[up]].lat - cl->lat) * rad : 1e9;
		double dd = down > 0 ? (cl->lat - p->sites[bylat[down - 1]].lat) * rad : 1e9;
		if ((du > reach + 1e-12 && dd > reach + 1e-12) || (up >= W->b.ns && down == 0))
			break;
		size_t s = du <= dd ? bylat[up++] : bylat[--down];
		double dot = u[0] * W->sxyz[s][0] + u[1] * W->sxyz[s][1] + u[2] * W->sxyz[s][2];
		for (size_t c = 0; c < nc; c++)
			if (W->b.ci[c].usable[s] &&
			    (out[c] == VD_NONE || dot > best[c] || (dot == best[c] && s < out[c]))) {
				best[c] = dot;
				out[c] = s;
			}
	}
}

void plan_geo_init(struct vd_planwork *W)
{
	const struct vd_program *p = W->b.p;
	W->home = xmalloc(W->b.nd * W->b.nc * sizeof *W->home + 1);
	W->nearest = xmalloc(W->b.nd * W->b.nc * sizeof *W->nearest + 1);
	W->sxyz = xmalloc((W->b.ns + 1) * sizeof *W->sxyz);
	W->near_memo = xmalloc((p->nclinics * W->b.nc * PLAN_NEAR + 1) * sizeof *W->near_memo);
	W->near_n = xmalloc(p->nclinics * W->b.nc + 1);
	memset(W->near_n, 0xff, p->nclinics * W->b.nc + 1);
	for (size_t s = 0; s < W->b.ns; s++)
		unit(p->sites[s].lat, p->sites[s].lon, W->sxyz[s]);
	size_t *chome = xmalloc((p->nclinics * W->b.nc + 1) * sizeof *chome);
	size_t *bylat = W->bylat = xmalloc((W->b.ns + 1) * sizeof *bylat);
	for (size_t s2 = 0; s2 < W->b.ns; s2++)
		bylat[s2] = s2;
	if (W->b.ns)
		qsort_r(bylat, W->b.ns, sizeof *bylat, cmp_lat, (void *)p);
	for (size_t k = 0; k < p->nclinics; k++)
		nearest_sites_of(W, bylat, &p->clinics[k], &chome[k * W->b.nc]);
	/* Requirements are the book's; the home site is the nearest usable one. */
	for (size_t i = 0; i < W->b.nd * W->b.nc; i++)
		W->home[i] = W->b.need[i] == 1
		             ? chome[p->doctors[i / W->b.nc].clinic * W->b.nc + i % W->b.nc] : VD_NONE;
	free(chome);
	memcpy(W->nearest, W->home, W->b.nd * W->b.nc * sizeof *W->nearest);
}

double plan_pair_km(const struct vd_planwork *W, size_t x, size_t s)
{
	const struct vd_program *p = W->b.p;
	const struct vd_clinic *cl = &p->clinics[p->doctors[x].clinic];
	return vd_km(cl->lat, cl->lon, p->sites[s].lat, p->sites[s].lon);
}
