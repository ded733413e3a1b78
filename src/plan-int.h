/* plan-int.h -- the planner's private header: the work state of one
 * construction, the strategies the search tries, and what the planner's
 * files share.
 *
 * The planner is one module in several files, as SQLite's where.c is over
 * whereInt.h: planner.c (the driver), plan-search.c (which constructions,
 * the best kept), plan-build.c (one construction: its passes), plan-geo.c
 * (nearest sites), plan-balance.c (spreading the load, township cover
 * first), plan-improve.c (moves after the passes), replan.c (the previous
 * plan kept, and let go of where it is in the way), plan-finish.c (the
 * figures, cohorts and explanations of a finished plan).  Nothing here is
 * for the rest of vdsched, which has planner.h; the unit tests include it
 * to reach the pieces. */
#ifndef VD_PLAN_INT_H
#define VD_PLAN_INT_H
#include <stdbool.h>
#include <stdint.h>
#include "book.h"
#include "planner.h"

/* How many near sites plan_near_sites() returns at most. */
#define PLAN_NEAR 8

/* Whether a pass notes in the book why pairs did not go (B->fail), for
 * the explanations: only the last pass over any site does. */
enum plan_record { RECORD_NOTHING, RECORD_FAILS };

/* Where leftover runs may form: only at the waiting doctors' home site,
 * or at the sites nearest them. */
enum plan_leftover_sites { LEFTOVER_AT_HOME, LEFTOVER_NEAR };

/* What plan_pack_cover does with the tightest townships: only marks them
 * (a re-plan), or also chains their pairs through the cover. */
enum plan_cover_chain { COVER_MARK_ONLY, COVER_CHAIN };

/* Which of the bound's priced home sites a construction starts from
 * (vd_plan_opts.lp_home holds two tables: the budget's, and half of it). */
enum plan_priced { PRICED_NONE, PRICED_BUDGET, PRICED_HALF_BUDGET };

/* The stages of the search (plan-search.c), each with its strategies. */
enum plan_stage {
	STAGE_MAIN,      /* the first `tries` of them, most useful first */
	STAGE_PRICED,    /* from the sites the bound's prices choose */
	STAGE_THRIFTY,   /* balancing with a share of the travel budget */
	STAGE_OVERSPENT  /* no plan kept to the budget: balancing with a share of
	                  * the travel the best one spent over the bound */
};

/* One way to construct a plan: where doctors start and in which order they
 * are offered places.  The search tries them in the order of
 * plan_strategies[], stage by stage. */
struct plan_strategy {
	const char *name;
	enum plan_stage stage;
	bool balance;        /* first move pairs off overloaded sites (plan_balance_homes) */
	double fill;         /* with balance: a site whose load fits within this share of
	                      * the days before opts.hold sends nobody away; 0: as far as
	                      * the travel budget goes */
	bool per_day;        /* with balance: cheapest moves by extra km per trainee-day */
	bool cover_first;    /* doctors whose clinic needs township cover come first */
	unsigned shuffle;    /* not 0: townships in an order shuffled by this salt, and
	                      * clinics with a doctor to spare may use cover */
	bool busiest_first;  /* the busiest course's runs back to back before the sweep */
	bool no_chains;      /* skip the cover chains (plan_pack_cover), whose rigidity
	                      * can leave a late doctor no run */
	enum plan_priced priced;  /* homes at the bound's priced sites (without balance) */
	double budget_share; /* not 0: balance_homes' budget is this share of the
	                      * stage's base (STAGE_THRIFTY: [program] travel_budget,
	                      * STAGE_OVERSPENT: the best plan's travel over its bound) */
};

/* Every strategy of the search, stage by stage (STAGE_MAIN first). */
extern const struct plan_strategy plan_strategies[];
extern const size_t plan_nstrategies;

/* The state of one construction: the book, and what the passes plan with. */
struct vd_planwork {
	struct vd_book b;       /* seats, resources, instructors, cover, runs */
	size_t *home;           /* nd x nc: the site the doctor is planned at */
	size_t *nearest;        /* nd x nc: nearest usable site (travel bound) */
	struct vd_ixv *pools;   /* ns x nc: who waits for a run there */
	double (*sxyz)[3];      /* sites on the unit sphere */
	size_t *bylat;          /* sites ordered by latitude */
	uint32_t *near_memo;    /* nclinics x nc x PLAN_NEAR: plan_near_sites' answers, */
	unsigned char *near_n;  /* and how many (0xff: not asked yet) */
	bool progress;          /* stderr is a terminal: show progress */
	uint64_t *order;        /* per doctor: sort key */
	size_t *corder;         /* courses, most constrained first */
	double *load;           /* per course: days of its sites' capacity needed */
	bool protect;           /* re-plan: pairs kept from the previous plan stay put */
	vd_date hold;           /* no site need finish before this (vd_plan_opts) */
	bool eject;             /* improve may displace a doctor of an earlier run
	                         * (displace_before) */
	double budget;          /* balance_homes' travel budget: [program] travel_budget,
	                         * or vd_plan_opts' (improve keeps to [program]'s) */
};

/* ---- plan-search.c ---- */
/* Constructions to compare for program p: by its size, fewer on a re-plan,
 * or o->tries. */
unsigned plan_tries(const struct vd_program *p, const struct vd_plan_opts *o);
/* Seconds on the monotonic clock (the time limit's safety net only). */
double plan_clock(void);
/* Is plan a better than plan b (everyone placed, moves, travel budget,
 * finish, travel)? */
bool plan_better(const struct vd_program *p, const struct vd_plan *a, const struct vd_plan *b);
/* pl becomes alt if alt is better; the other one is freed. */
void plan_keep_better(const struct vd_program *p, struct vd_plan *pl, struct vd_plan *alt);
/* The best of `tries` constructions (and the later stages) into pl; o is
 * not NULL; previous members with exclude[m] set are not kept (NULL: none). */
void plan_best_of(const struct vd_program *p, unsigned tries, const struct vd_plan_opts *o,
                  const unsigned char *exclude, struct vd_plan *pl);

/* ---- plan-build.c ---- */
/* One construction by strategy st into pl (which it initialises). */
void plan_construct(const struct vd_program *p, const struct plan_strategy *st,
                    const struct vd_plan_opts *o, const unsigned char *exclude, struct vd_plan *pl);
/* W ready for the passes: book, doctors' order, home and nearest sites,
 * course order, homes moved as st says; runs go into pl (vd_plan_init'ed). */
void plan_work_init(struct vd_planwork *W, const struct vd_program *p,
                    const struct plan_strategy *st, const struct vd_plan_opts *o, struct vd_plan *pl);
/* Frees what W holds (the plan's runs stay the plan's). */
void plan_work_free(struct vd_planwork *W);
/* Is (x, c) a pair kept from the previous plan that must stay put? */
bool plan_kept_pair(const struct vd_planwork *W, size_t x, size_t c);
/* Does any absence of doctor x leave the clinic short (township cover)? */
bool plan_needs_cover(const struct vd_program *p, size_t x);
/* Forms one run of course c at site s from day t with members from pool
 * po, at most `most` of them (0: as many as fit); true if it did. */
bool plan_form_run(struct vd_planwork *W, size_t c, size_t s, int t, struct vd_ixv *po,
                   enum plan_record record, int most);
/* Runs of c at s starting on day t take waiting doctors of po first. */
void plan_fill_runs_at(struct vd_planwork *W, size_t c, size_t s, int t, struct vd_ixv *po);
/* x joins a run of c with room (at only_site, or near x), not run skip;
 * full: runs known to be full, or NULL.  True if it did. */
bool plan_insert_into_runs(struct vd_planwork *W, size_t x, size_t c, size_t skip,
                           size_t only_site, const unsigned char *full);
/* The member who joined run last goes back to index m. */
void plan_put_back(struct vd_run *run, size_t m);
/* Index of member x in run (x must be a member). */
size_t plan_member_index(const struct vd_run *run, size_t x);

/* ---- plan-geo.c ---- */
/* Sites on the unit sphere and by latitude; home and nearest site of every
 * pair (the nearest usable site of its course). */
void plan_geo_init(struct vd_planwork *W);
/* The nearest (at most PLAN_NEAR) sites of clinic cl that can hold course
 * c into out, nearest first; returns how many. */
size_t plan_near_sites(const struct vd_planwork *W, const struct vd_clinic *cl, size_t c, size_t *out);
/* Km from doctor x's clinic to site s. */
double plan_pair_km(const struct vd_planwork *W, size_t x, size_t s);

/* ---- plan-balance.c ---- */
/* Moves homes off the busiest sites within W->budget (see the file). */
void plan_balance_homes(struct vd_planwork *W, double fill, bool per_day);
/* Fills run r to its minimum from bigger runs of its course and site;
 * true if it did, else nothing moved. */
bool plan_top_up(struct vd_planwork *W, size_t r);
/* Marks the tightest townships (cover within frac of the tightest) and,
 * with COVER_CHAIN, chains their pairs through the cover from day t0. */
void plan_pack_cover(struct vd_planwork *W, double frac, enum plan_cover_chain chain);
/* Is any township marked tight? */
bool plan_any_tight(const struct vd_book *B);

/* ---- plan-improve.c ---- */
/* Moves the runs that end last earlier while all of them can; returns the
 * days gained.  deadline: monotonic seconds, 0 none. */
int plan_improve(struct vd_planwork *W, double deadline);
/* Doctors sent past a nearer site return to it where a run has room;
 * returns how many. */
int plan_travel_back(struct vd_planwork *W);
/* Two doctors of a course trade runs where each is nearer the other's
 * site; returns how many trades. */
int plan_swap_sites(struct vd_planwork *W);

/* ---- replan.c ---- */
/* Re-plan: the previous plan's runs that still hold go into W's book
 * first (previous members with exclude[m] set are let go, NULL: none). */
void plan_seed_previous(struct vd_planwork *W, const struct vd_prev *pv, vd_date freeze,
                        const unsigned char *exclude, const unsigned char *makeup);
/* Re-plan: pairs that moved go back to a run on their previous site and
 * dates where they can. */
void plan_move_back(struct vd_planwork *W, const struct vd_prev *pv);
/* Re-plan: pairs of pv, still in the program, now at another site or dates. */
size_t plan_moved_pairs(const struct vd_book *B, const struct vd_prev *pv);
/* Re-plan that leaves pairs out a fresh plan places: lets previous members
 * go, round by round, and keeps the better plan in pl. */
void plan_relax(const struct vd_program *p, unsigned tries, const struct vd_plan_opts *o,
                struct vd_plan *pl);

/* ---- plan-deadline.c ---- */
/* Does doctor x's two-year deadline fall in the program (after its start)? */
bool plan_deadline_binding(const struct vd_program *p, size_t x);
/* Late pairs of doctors with a deadline in the program move earlier where
 * the book allows; those still late go into pl->lapses, with why. */
void plan_meet_deadlines(struct vd_planwork *W);

/* ---- plan-finish.c ---- */
/* A construction's book made a plan: dead runs out, figures, cohorts,
 * cover rows, unscheduled pairs explained, moves counted. */
void plan_finish(struct vd_planwork *W, const struct vd_plan_opts *o);
#endif
