/* ics-cache.c -- the calendar writer's fast path: each event spliced from
 * property texts libical serialized once, kept in a bounded cache, and
 * the memos of those texts.  Apart from the event's texts (ics-event.c),
 * which it reuses, because it is an optimisation with its own invariant:
 * the same bytes as ics_build_event's, which the tests check with the
 * cache off (vd_ics_set_cache). */
#ifdef HAVE_CONFIG_H
#include "autoconfig.h"
#endif
#include <stdlib.h>
#include <string.h>
#include "hash.h"
#include "ics-int.h"
#include "xalloc.h"

#define CACHE_SLOTS 2048u    /* serialized events kept, ~1.3 KB each */
#define MEMO_SLOTS 1024u

/* Off only for tests and benchmarks, which compare the two forms; a
 * process-wide switch, as vd_ics_set_cache is called before any write. */
static int cache_on = 1;

void vd_ics_set_cache(int on)
{
	cache_on = on != 0;
}

int ics_cache_on(void)
{
	return cache_on;
}

void ics_cache_init(struct ics_writer *w)
{
	w->slots = xcalloc(CACHE_SLOTS, sizeof *w->slots);
	for (size_t i = 0; i < CACHE_SLOTS; i++)
		w->slots[i].run = VD_NONE;
	w->fixed = xcalloc(MEMO_SLOTS, sizeof *w->fixed);
	w->times = xcalloc(MEMO_SLOTS, sizeof *w->times);
	w->sums = xcalloc(MEMO_SLOTS, sizeof *w->sums);
	w->stamps = xcalloc(MEMO_SLOTS, sizeof *w->stamps);
}

/* ---- the spliced form ----
 *
 * libical serializes a component as BEGIN:KIND, each property in the
 * order added, each subcomponent, END:KIND, and a property the same
 * whatever component holds it.  So an event is spliced from pieces, each
 * serialized by libical, in ics_build_event's order:
 *
 *   BEGIN:VEVENT  UID  DTSTAMP SEQUENCE LAST-MODIFIED  DTSTART DTEND SUMMARY
 *   LOCATION GEO  DESCRIPTION  CATEGORIES STATUS ORGANIZER
 *   (BEGIN:VALARM ACTION TRIGGER  DESCRIPTION  END:VALARM)...  END:VEVENT
 *
 * Pieces the same for all events are serialized once (ics_ev_pieces), those
 * of a site or course once (fixed_text), and per session only DTSTART, DTEND,
 * SUMMARY and the two DESCRIPTIONs, on property objects that are reused.
 * The UID and the stamps, which are the file's own, come last
 * (write_event in ics.c). */

/* Splits the serialization of an empty component into BEGIN and END. */
static void split_comp(icalcomponent *c, struct vd_strbuf *begin, struct vd_strbuf *end)
{
	struct vd_strbuf t = { 0 };
	ics_append_ical(&t, icalcomponent_as_ical_string_r(c));
	char *e = strstr(t.s, "END:");
	size_t n = e ? (size_t)(e - t.s) : t.n;
	vd_strbuf_catn(begin, t.s, n);
	vd_strbuf_cat(end, t.s + n);
	vd_strbuf_free(&t);
}

void ics_ev_pieces(struct ics_writer *w)
{
	const struct vd_program *p = w->p;
	icalcomponent *ev = icalcomponent_new(ICAL_VEVENT_COMPONENT);
	split_comp(ev, &w->ev_begin, &w->ev_end);
	icalcomponent_free(ev);

	w->al_head = xcalloc(p->nalarms + 1, sizeof *w->al_head);
	for (size_t a = 0; a < p->nalarms; a++) {
		icalcomponent *al = ics_alarm_comp(w, a);
		vd_strbuf_reset(&w->al_end);
		split_comp(al, &w->al_head[a], &w->al_end);
		icalcomponent_free(al);
	}

	icaltimetype t = ics_local_time(0, 0);
	w->dtstart = icalproperty_new_dtstart(t);
	icalproperty_add_parameter(w->dtstart, icalparameter_new_tzid(w->tzid));
	w->dtend = icalproperty_new_dtend(t);
	icalproperty_add_parameter(w->dtend, icalparameter_new_tzid(w->tzid));
	w->summary = icalproperty_new_summary("");
	w->desc = icalproperty_new_description("");
	w->aldesc = icalproperty_new_description("");
	w->uidprop = icalproperty_new_uid("");
}

static void pieces_free(struct ics_writer *w)
{
	vd_strbuf_free(&w->ev_begin);
	vd_strbuf_free(&w->ev_end);
	vd_strbuf_free(&w->al_end);
	for (size_t a = 0; w->al_head && a < w->p->nalarms; a++)
		vd_strbuf_free(&w->al_head[a]);
	free(w->al_head);
	icalproperty *props[] = { w->dtstart, w->dtend, w->summary, w->desc, w->aldesc, w->uidprop };
	for (size_t i = 0; i < sizeof props / sizeof *props; i++)
		if (props[i])
			icalproperty_free(props[i]);
	free(w->lang);
}

/* Puts LANGUAGE=lang (none when empty) on SUMMARY and DESCRIPTION, as
 * add_text_prop does; only when it changes, which is per course. */
static void set_lang(struct ics_writer *w, const char *lang)
{
	const char *want = nonempty(lang) ? lang : "";
	if (w->lang && !strcmp(w->lang, want))
		return;
	free(w->lang);
	w->lang = xstrdup(want);
	icalproperty *props[] = { w->summary, w->desc };
	for (size_t i = 0; i < 2; i++) {
		icalproperty_remove_parameter_by_kind(props[i], ICAL_LANGUAGE_PARAMETER);
		if (*want)
			icalproperty_add_parameter(props[i], icalparameter_new_language(want));
	}
}

/* The slot of key in a memo: FNV-1a with its high half folded in, as
 * MEMO_SLOTS takes the low bits. */
static size_t memo_slot(const void *key, size_t n)
{
	uint64_t h = vd_fnv1a(VD_FNV1A_INIT, key, n);
	return (size_t)((h ^ h >> 32) % MEMO_SLOTS);
}
/* The slot of tab for key: *hit when it holds key's text, else it is
 * emptied and given key, for the caller to fill in its text. */
static struct memo *memo_find(struct memo *tab, const void *key, size_t n, int *hit)
{
	struct memo *m = &tab[memo_slot(key, n)];
	*hit = m->key.s && m->key.n == n && !memcmp(m->key.s, key, n);
	if (!*hit) {
		vd_strbuf_reset(&m->key);
		vd_strbuf_catn(&m->key, key, n);
		vd_strbuf_reset(&m->txt);
	}
	return m;
}

static void memo_free(struct memo *tab)
{
	for (size_t i = 0; tab && i < MEMO_SLOTS; i++) {
		vd_strbuf_free(&tab[i].key);
		vd_strbuf_free(&tab[i].txt);
	}
	free(tab);
}

void ics_cache_free(struct ics_writer *w)
{
	for (size_t i = 0; w->slots && i < CACHE_SLOTS; i++)
		vd_strbuf_free(&w->slots[i].txt);
	free(w->slots);
	memo_free(w->fixed);
	memo_free(w->times);
	memo_free(w->sums);
	memo_free(w->stamps);
	pieces_free(w);
}

/* DTSTART (end 0) or DTEND (1) of minute min of day, appended to t */
static void time_text(struct ics_writer *w, struct vd_strbuf *t, int end, vd_date day, unsigned min)
{
	unsigned char key[1 + sizeof day + sizeof min];
	key[0] = (unsigned char)end;
	memcpy(key + 1, &day, sizeof day);
	memcpy(key + 1 + sizeof day, &min, sizeof min);
	int hit;
	struct memo *m = memo_find(w->times, key, sizeof key, &hit);
	if (!hit) {
		icalproperty *prop = end ? w->dtend : w->dtstart;
		if (end)
			icalproperty_set_dtend(prop, ics_local_time(day, min));
		else
			icalproperty_set_dtstart(prop, ics_local_time(day, min));
		ics_append_prop(&m->txt, prop);
	}
	vd_strbuf_catn(t, m->txt.s, m->txt.n);
}

/* SUMMARY and the alarms' DESCRIPTION for summary text sum, in language
 * lang, from the memo. */
static const struct memo *summary_memo(struct ics_writer *w, const char *lang,
                                       const struct vd_strbuf *sum)
{
	struct vd_strbuf *key = &w->key;
	vd_strbuf_reset(key);
	vd_strbuf_cat(key, nonempty(lang) ? lang : "");
	vd_strbuf_catn(key, "", 1);
	vd_strbuf_catn(key, sum->s, sum->n);
	int hit;
	struct memo *m = memo_find(w->sums, key->s, key->n, &hit);
	if (!hit) {
		set_lang(w, lang);
		icalproperty_set_summary(w->summary, sum->s);
		ics_append_prop(&m->txt, w->summary);
		m->split = m->txt.n;
		if (w->p->nalarms) {
			icalproperty_set_description(w->aldesc, sum->s);
			ics_append_prop(&m->txt, w->aldesc);
		}
	}
	return m;
}

/* LOCATION and GEO of site si, or (site VD_NONE) CATEGORIES, STATUS and
 * ORGANIZER of course ci: the properties that depend only on the run's
 * site or course, appended to t. */
static void fixed_text(struct ics_writer *w, struct vd_strbuf *t, size_t si, size_t ci)
{
	const struct vds_course *def = w->p->courses[ci].def;
	int en = ics_lang_en(def);
	size_t key[2] = { si, si == VD_NONE ? ci : (size_t)en };
	int hit;
	struct memo *m = memo_find(w->fixed, key, sizeof key, &hit);
	if (!hit) {
		struct vd_strbuf *b = &w->tmp;
		icalproperty *prop;
		if (si != VD_NONE) {
			const struct vd_site *site = &w->p->sites[si];
			ics_location_text(site, en, b);
			prop = icalproperty_new_location(b->s);
			ics_append_prop(&m->txt, prop);
			icalproperty_free(prop);
			if ((prop = ics_geo_prop(site))) {
				ics_append_prop(&m->txt, prop);
				icalproperty_free(prop);
			}
		} else {
			ics_category_text(w, ci, b);
			prop = icalproperty_new_categories(b->s);
			ics_append_prop(&m->txt, prop);
			icalproperty_free(prop);
			prop = icalproperty_new_status(ICAL_STATUS_CONFIRMED);
			ics_append_prop(&m->txt, prop);
			icalproperty_free(prop);
			if ((prop = ics_organizer_prop(w, b))) {
				ics_append_prop(&m->txt, prop);
				icalproperty_free(prop);
			}
		}
	}
	vd_strbuf_catn(t, m->txt.s, m->txt.n);
}

/* Session s of run r serialized without UID, from the cache, spliced
 * there on a miss. */
const struct cache_slot *ics_event_text(struct ics_writer *w, size_t r, unsigned s)
{
	struct cache_slot *sl = &w->slots[((uint64_t)r * 61 + s) % CACHE_SLOTS];
	if (sl->run == r && sl->sess == s)
		return sl;
	const struct vd_program *p = w->p;
	const struct vd_run *run = &w->pl->runs[r];
	const struct vds_course *def = p->courses[run->course].def;
	const struct vds_session *se = &def->sessions[s];
	struct vd_strbuf *t = &sl->txt, *b = &w->tmp, *summary = &w->tmp2;
	sl->run = r;
	sl->sess = s;
	vd_strbuf_reset(t);
	vd_strbuf_catn(t, w->ev_begin.s, w->ev_begin.n);
	sl->hl = t->n;
	time_text(w, t, 0, run->dates[se->day], se->start);
	time_text(w, t, 1, run->dates[se->day], se->end);
	ics_summary_text(w, run, se, summary);
	const struct memo *sm = summary_memo(w, def->lang, summary);
	vd_strbuf_catn(t, sm->txt.s, sm->split);
	fixed_text(w, t, run->site, run->course);
	set_lang(w, def->lang);
	ics_description_text(w, run, s, b);
	icalproperty_set_description(w->desc, b->s);
	ics_append_prop(t, w->desc);
	fixed_text(w, t, VD_NONE, run->course);
	for (size_t a = 0; a < p->nalarms; a++) {
		vd_strbuf_catn(t, w->al_head[a].s, w->al_head[a].n);
		vd_strbuf_catn(t, sm->txt.s + sm->split, sm->txt.n - sm->split);
		vd_strbuf_catn(t, w->al_end.s, w->al_end.n);
	}
	vd_strbuf_catn(t, w->ev_end.s, w->ev_end.n);
	sl->hash = vd_ev_hash(t->s, t->n);
	return sl;
}

/* DTSTAMP, SEQUENCE and LAST-MODIFIED, serialized by libical; few
 * combinations recur (one per plan that changed an event). */
const struct memo *ics_stamp_text(struct ics_writer *w, int64_t stamp, uint32_t seq, int64_t lastmod)
{
	unsigned char key[2 * sizeof stamp + sizeof seq];
	memcpy(key, &stamp, sizeof stamp);
	memcpy(key + sizeof stamp, &lastmod, sizeof lastmod);
	memcpy(key + 2 * sizeof stamp, &seq, sizeof seq);
	int hit;
	struct memo *m = memo_find(w->stamps, key, sizeof key, &hit);
	if (!hit) {
		icaltimezone *utc = icaltimezone_get_utc_timezone();
		icalproperty *prop = icalproperty_new_dtstamp(icaltime_from_timet_with_zone((time_t)stamp, 0, utc));
		ics_append_prop(&m->txt, prop);
		icalproperty_free(prop);
		prop = icalproperty_new_sequence((int)seq);
		ics_append_prop(&m->txt, prop);
		icalproperty_free(prop);
		prop = icalproperty_new_lastmodified(icaltime_from_timet_with_zone((time_t)lastmod, 0, utc));
		ics_append_prop(&m->txt, prop);
		icalproperty_free(prop);
	}
	return m;
}
