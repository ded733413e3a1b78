/* test_book.c -- the planner's bookkeeping (book.h) on small programs
 * built in memory: seats and resources taken and given back, a run
 * refused one more trainee when its site is full, a clinic's cover with
 * its township's cover per day, and the index of runs with room against
 * a look at every run after random changes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "book.h"
#include "planfix.h"
#include "xalloc.h"

/* Site s gets n units of resource `name`. */
static void give_resource(struct vd_program *p, size_t s, const char *name, int n)
{
	struct vd_site *si = &p->sites[s];
	si->res = xreallocarray(si->res, si->nres + 1, sizeof *si->res);
	si->res[si->nres++] = (struct vd_resource_count){ xstrdup(name), n };
}

/* An empty program with one township of the given cover. */
static void start(struct vd_program *p, int cover)
{
	base(p);
	add_township(p, "tw", cover);
}

static void open_book(struct vd_book *B, const struct vd_program *p, struct vd_plan *pl)
{
	vd_plan_init(pl);
	vd_book_init(B, p, pl);
}

static void close_book(struct vd_book *B, struct vd_program *p, struct vd_plan *pl)
{
	vd_book_free(B);
	vd_plan_free(pl);
	vd_program_free(p);
}

/* A run of course c at site s starting on day t, with the doctors xs
 * (checked by the book as the planner does). */
static size_t run_with(struct vd_book *B, size_t c, size_t s, int t, const size_t *xs, size_t n)
{
	const int *D = vd_book_run_days(B, c, t);
	assert_non_null(D);
	size_t r = vd_book_new_run(B, c, s, VD_NONE, D);
	vd_book_site(B, c, s, VD_NONE, D, 0, VD_TAKE);
	for (size_t i = 0; i < n; i++) {
		assert_true(vd_book_room_for_one(B, &B->pl->runs[r], D));
		assert_true(vd_book_doctor_free(B, xs[i], c, D));
		assert_true(vd_book_take(B, xs[i], c, D, VD_CHECK));
		vd_book_join(B, r, xs[i]);
	}
	return r;
}

/* Taking a run's seats and giving them back restores the site's
 * capacity; a doctor who joins and leaves leaves the tables as they were. */
static void test_take_give(void **state)
{
	(void)state;
	struct vd_program p;
	struct vd_plan pl;
	struct vd_book B;
	start(&p, 0);
	add_clinic(&p, 0, 3, 23.7, 106.9);  /* three doctors: no cover needed */
	add_site(&p, "hq", 10, 23.7, 106.9);
	add_course(&p, "aa", &course_a);
	open_book(&B, &p, &pl);
	const int *D = vd_book_run_days(&B, 0, 0);
	assert_non_null(D);
	assert_int_equal(D[0], 0);
	assert_int_equal(D[1], 1);
	assert_null(vd_book_run_days(&B, 0, 5));  /* a Saturday */
	assert_int_equal(vd_book_site_capacity(&B, 0, 0, D), 10);
	vd_book_site(&B, 0, 0, VD_NONE, D, 4, VD_TAKE);
	assert_int_equal(vd_book_site_capacity(&B, 0, 0, D), 6);
	vd_book_site(&B, 0, 0, VD_NONE, D, 4, VD_GIVE);
	assert_int_equal(vd_book_site_capacity(&B, 0, 0, D), 10);

	size_t xs[] = { 0, 1 };
	size_t r = run_with(&B, 0, 0, 0, xs, 2);
	assert_int_equal(pl.nassigned, 2);
	assert_int_equal(B.asg[0 * B.nc + 0], r);
	assert_int_equal(vd_book_site_capacity(&B, 0, 0, D), 8);
	assert_int_equal(B.away[0 * (size_t)B.H + 0], 2);
	/* doctor 0 is busy on those days now */
	assert_false(vd_book_doctor_free(&B, 0, 0, D));
	assert_true(B.fail[0] & VD_FAIL_BUSY);
	vd_book_leave(&B, r, 1);
	assert_int_equal(vd_book_site_capacity(&B, 0, 0, D), 9);
	assert_int_equal(B.away[0 * (size_t)B.H + 0], 1);
	assert_int_equal(B.asg[1 * B.nc + 0], VD_NONE);
	vd_book_drop_run(&B, r);
	assert_true(pl.runs[r].dead);
	assert_int_equal(pl.nassigned, 0);
	assert_int_equal(vd_book_site_capacity(&B, 0, 0, D), 10);
	for (int t = 0; t < B.H; t++)
		assert_int_equal(B.away[t], 0);
	close_book(&B, &p, &pl);
}

/* A run is refused one more trainee when the site's seats are taken, or
 * when one more needs a resource unit (chairs, 3 trainees each) the site
 * does not have free. */
static void test_seats_and_resources_full(void **state)
{
	(void)state;
	struct vd_program p;
	struct vd_plan pl;
	struct vd_book B;
	start(&p, 0);
	add_clinic(&p, 0, 9, 23.7, 106.9);
	add_site(&p, "small", 3, 23.7, 106.9);
	add_site(&p, "clinic", 20, 23.7, 106.9);
	give_resource(&p, 1, "chairs", 1);
	add_course(&p, "aa", &course_a);
	add_course(&p, "dd", &course_dent);
	open_book(&B, &p, &pl);
	assert_true(B.ci[1].usable[1]);
	assert_false(B.ci[1].usable[0]);     /* no chairs at all */
	assert_int_equal(vd_book_run_capacity(&B, 1, 1, VD_ONE_RUN), 3);
	assert_int_equal(vd_book_run_capacity(&B, 0, 0, VD_ALL_RUNS), 3);

	const int *D = vd_book_run_days(&B, 0, 0);
	size_t xs[] = { 0, 1, 2 };
	size_t r = run_with(&B, 0, 0, 0, xs, 3);
	assert_false(vd_book_room_for_one(&B, &pl.runs[r], D));  /* seats */
	assert_int_equal(vd_book_site_capacity(&B, 0, 0, D), 0);
	/* another course at the same site on the same days: no seats either */
	size_t r2 = vd_book_new_run(&B, 0, 0, VD_NONE, D);
	vd_book_site(&B, 0, 0, VD_NONE, D, 0, VD_TAKE);
	assert_false(vd_book_room_for_one(&B, &pl.runs[r2], D));

	size_t ys[] = { 3, 4, 5 };
	size_t rd = run_with(&B, 1, 1, 0, ys, 3);
	assert_false(vd_book_room_for_one(&B, &pl.runs[rd], D));  /* a second chair */
	assert_int_equal(vd_book_site_capacity(&B, 1, 1, D), 0);
	vd_book_leave(&B, rd, 5);
	assert_true(vd_book_room_for_one(&B, &pl.runs[rd], D));
	/* a frozen run takes no one */
	pl.runs[rd].frozen = 1;
	assert_false(vd_book_room_for_one(&B, &pl.runs[rd], D));
	close_book(&B, &p, &pl);
}

/* A clinic with one doctor (min_on_duty 1) needs its township's cover
 * while that doctor trains; the township covers `cover` clinics a day.
 * A clinic with three doctors needs none. */
static void test_clinic_cover(void **state)
{
	(void)state;
	struct vd_program p;
	struct vd_plan pl;
	struct vd_book B;
	start(&p, 1);
	add_clinic(&p, 0, 1, 23.7, 106.9);  /* doctor 0 */
	add_clinic(&p, 0, 1, 23.7, 106.9);  /* doctor 1 */
	add_clinic(&p, 0, 3, 23.7, 106.9);  /* doctors 2..4 */
	add_site(&p, "hq", 30, 23.7, 106.9);
	add_course(&p, "aa", &course_a);
	open_book(&B, &p, &pl);
	assert_int_equal(B.cover_cap[0], 1);
	const int *D = vd_book_run_days(&B, 0, 0);      /* Mon-Tue */
	const int *D2 = vd_book_run_days(&B, 0, 2);     /* Wed-Thu */
	const int *D3 = vd_book_run_days(&B, 0, 1);     /* Tue-Wed: overlaps both */
	assert_true(vd_book_take(&B, 0, 0, D, VD_COMMIT));
	assert_int_equal(B.cover_used[0], 1);
	assert_int_equal(B.cover_used[1], 1);
	/* the second single-doctor clinic: no cover left on those days */
	assert_false(vd_book_take(&B, 1, 0, D, VD_CHECK));
	assert_true(B.fail[1 * B.nc + 0] & VD_FAIL_COVER);
	assert_false(vd_book_take(&B, 1, 0, D3, VD_CHECK));
	assert_true(vd_book_take(&B, 1, 0, D2, VD_CHECK));
	/* the three-doctor clinic spares one without cover */
	assert_true(vd_book_take(&B, 2, 0, D, VD_COMMIT));
	assert_int_equal(B.cover_used[0], 1);
	/* and a second one: two of three away, one on duty */
	assert_true(vd_book_take(&B, 3, 0, D, VD_COMMIT));
	assert_int_equal(B.cover_used[0], 1);
	/* a third would leave it empty: cover, of which there is none left */
	assert_false(vd_book_take(&B, 4, 0, D, VD_CHECK));
	vd_book_untake(&B, 0, 0, D);
	assert_int_equal(B.cover_used[0], 0);
	assert_true(vd_book_take(&B, 1, 0, D, VD_CHECK));
	/* pl->cover: the day rows of the shortfall the cover pays for */
	assert_true(vd_book_take(&B, 4, 0, D, VD_COMMIT));
	vd_book_cover_rows(&B);
	assert_int_equal(pl.ncover, 2);
	assert_int_equal(pl.cover[0].clinic, 2);
	assert_int_equal(pl.cover[0].shortfall, 1);
	close_book(&B, &p, &pl);
}

/* The index of runs with room answers as a look at every run does, after
 * random runs, joins, leaves, drops, freezes and seats taken at the
 * sites by hand; and its answer stays as it was until asked again. */
static void test_room_index_random(void **state)
{
	(void)state;
	struct vd_program p;
	struct vd_plan pl;
	struct vd_book B;
	start(&p, 1000);
	p.cohort_min = 1;
	p.cohort_max = 6;
	for (int i = 0; i < 40; i++)
		add_clinic(&p, 0, 3, 23.7, 106.9);
	add_site(&p, "s0", 8, 23.7, 106.9);
	add_site(&p, "s1", 12, 23.8, 106.9);
	add_site(&p, "s2", 5, 23.9, 106.9);
	for (size_t s = 0; s < 3; s++)
		give_resource(&p, s, "chairs", (int)s + 1);
	add_course(&p, "aa", &course_a);
	add_course(&p, "dd", &course_dent);
	open_book(&B, &p, &pl);
	srand(7);
	int D[64];
	struct taken { size_t s; int t, n; } taken[64];
	size_t ntaken = 0;
	for (int step = 0; step < 3000; step++) {
		int op = rand() % 10;
		size_t c = (size_t)rand() % B.nc, s = (size_t)rand() % B.ns;
		int t = rand() % 20;
		const int *Dn = vd_book_run_days(&B, c, t);
		if (op == 9 && !vd_book_run_days(&B, 0, t))
			continue;
		if (op == 0 && Dn && pl.nruns < 60) {
			vd_book_new_run(&B, c, s, VD_NONE, Dn);
			vd_book_site(&B, c, s, VD_NONE, Dn, 0, VD_TAKE);
		} else if (op <= 5 && pl.nruns) {
			size_t r = (size_t)rand() % pl.nruns, x = (size_t)rand() % B.nd;
			struct vd_run *run = &pl.runs[r];
			vd_book_run_days_of(&B, run, D);
			if (vd_book_room_for_one(&B, run, D) && B.asg[x * B.nc + run->course] == VD_NONE &&
			    vd_book_doctor_free(&B, x, run->course, D) &&
			    vd_book_take(&B, x, run->course, D, VD_CHECK))
				vd_book_join(&B, r, x);
		} else if (op <= 7 && pl.nruns) {
			size_t r = (size_t)rand() % pl.nruns;
			if (pl.runs[r].nmembers && !pl.runs[r].dead)
				vd_book_leave(&B, r, pl.runs[r].members[(size_t)rand() % pl.runs[r].nmembers]);
		} else if (op == 8 && pl.nruns) {
			size_t r = (size_t)rand() % pl.nruns;
			if (!pl.runs[r].dead && rand() % 4 == 0)
				vd_book_drop_run(&B, r);
		} else if (Dn && (rand() % 2 || !ntaken) && ntaken < 64) {
			/* seats taken at a site without a run, and given back */
			taken[ntaken] = (struct taken){ s, t, 1 + rand() % 3 };
			vd_book_site(&B, 0, s, VD_NONE, vd_book_run_days(&B, 0, t), taken[ntaken].n, VD_TAKE);
			ntaken++;
		} else if (ntaken) {
			struct taken *k = &taken[--ntaken];
			vd_book_site(&B, 0, k->s, VD_NONE, vd_book_run_days(&B, 0, k->t), k->n, VD_GIVE);
		}
		if (step % 7)
			continue;
		const unsigned char *full = vd_book_full_runs(&B);
		size_t open[2] = { 0, 0 };
		for (size_t r = 0; r < pl.nruns; r++) {
			vd_book_run_days_of(&B, &pl.runs[r], D);
			int room = vd_book_room_for_one(&B, &pl.runs[r], D);
			assert_int_equal(full[r], !room);
			open[pl.runs[r].course] += (size_t)room;
		}
		assert_int_equal(vd_book_open_runs(&B, 0), open[0]);
		assert_int_equal(vd_book_open_runs(&B, 1), open[1]);
	}
	assert_true(pl.nruns >= 30);       /* the changes did happen */
	assert_true(pl.nassigned >= 30);
	/* a snapshot: a change does not show until the next call */
	const unsigned char *full = vd_book_full_runs(&B);
	size_t r = 0;
	while (r < pl.nruns && (full[r] || pl.runs[r].dead))
		r++;
	if (r < pl.nruns) {
		pl.runs[r].frozen = 1;
		vd_book_run_days_of(&B, &pl.runs[r], D);
		vd_book_one(&B, &pl.runs[r], D, VD_TAKE);  /* marks the site */
		assert_int_equal(full[r], 0);
		full = vd_book_full_runs(&B);
		assert_int_equal(full[r], 1);
		vd_book_one(&B, &pl.runs[r], D, VD_GIVE);
	}
	/* runs renumbered by their owner: every run looked at again */
	vd_book_runs_renumbered(&B);
	full = vd_book_full_runs(&B);
	for (size_t q = 0; q < pl.nruns; q++) {
		vd_book_run_days_of(&B, &pl.runs[q], D);
		assert_int_equal(full[q], !vd_book_room_for_one(&B, &pl.runs[q], D));
	}
	close_book(&B, &p, &pl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_take_give),
		cmocka_unit_test(test_seats_and_resources_full),
		cmocka_unit_test(test_clinic_cover),
		cmocka_unit_test(test_room_index_random),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
