/* tcm.c -- course plugin "tcm": 中医适宜技术 (appropriate TCM techniques).
 *
 * The grassroots programme of the National Administration of Traditional
 * Chinese Medicine teaches village doctors a handful of simple techniques:
 * 针刺, 推拿, 拔罐, 艾灸, 刮痧 and the external treatments 熏洗 and 敷贴.
 * A run teaches the selected techniques one after another, each for
 * `days_per_technique` days: theory and demonstration in the morning,
 * hands-on practice in the afternoon, in a skills lab.  `assessment = yes`
 * adds a half-day practical assessment at the end.  See vdsched-tcm(7).
 *
 * Everything handed to the host lives in one struct tcm, allocated by init
 * and freed by fini; the plugin has no global mutable state. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vdsched/plugin.h>
#include "plugutil.h"

/* ---- the techniques ---- */

struct technique {
	const char *key;       /* option value */
	const char *name;      /* module name, Chinese */
	const char *theory;    /* what the morning covers */
	const char *practice;  /* what the afternoon practises */
	const char *bring;     /* what to bring / what is provided */
};

static const struct technique techniques[] = {
	{ "acupuncture", "针刺",
	  "经络与常用腧穴定位，毫针刺法，适应证与禁忌，晕针、滞针、弯针的预防与处理",
	  "在穴位模型上和学员之间互相练习毫针进针、行针、留针、出针，严格无菌操作",
	  "一次性毫针、75%酒精棉球由培训点提供；穿宽松衣物，便于暴露四肢穴位" },
	{ "massage", "推拿",
	  "推拿常用手法（一指禅推法、滚法、揉法、拿法），颈肩腰腿痛的推拿治疗，禁忌证",
	  "两人一组在治疗床上练习基本手法和颈椎病、腰肌劳损的推拿操作",
	  "治疗床与按摩巾由培训点提供；穿宽松衣物，修剪指甲，带一条毛巾" },
	{ "cupping", "拔罐",
	  "火罐、抽气罐的选用，留罐、闪罐、走罐，适应证与禁忌，烫伤与水疱处理",
	  "在背部和四肢练习闪火法拔罐、走罐和起罐，练习防火与烫伤急救",
	  "玻璃火罐、抽气罐、酒精由培训点提供；穿宽松衣物，方便暴露背部" },
	{ "moxibustion", "艾灸",
	  "艾灸的作用，艾条灸、艾炷灸、温针灸，适应证与禁忌，防烫伤与室内通风",
	  "练习温和灸、雀啄灸、隔姜灸和温针灸，掌握施灸距离与时间",
	  "艾条、艾炷、生姜片由培训点提供；穿宽松衣物，对艾烟过敏者请提前告知" },
	{ "scraping", "刮痧",
	  "刮痧板的持法，刮拭方向、角度与力度，出痧判断，适应证与禁忌",
	  "在颈背部和四肢练习刮痧操作，观察出痧并做好刮后护理",
	  "刮痧板、刮痧油由培训点提供；穿宽松衣物，带一条毛巾" },
	{ "fumigation", "熏洗",
	  "中药熏蒸、熏洗、坐浴的方法，药液温度控制，适应证与禁忌，防烫伤",
	  "练习配制熏洗药液、测量水温、足部与局部熏洗操作",
	  "熏洗药材与器具由培训点提供；带一条毛巾，穿便于挽起裤腿的衣物" },
	{ "plaster", "敷贴",
	  "穴位敷贴（含三伏贴）的选穴与药物，敷贴时间，皮肤反应的观察与处理",
	  "练习调制敷贴药膏、选穴定位、敷贴与揭除，记录皮肤反应",
	  "敷贴药物与胶布由培训点提供；穿宽松衣物" },
};
#define NTECH (sizeof techniques / sizeof techniques[0])
#define VALID_TECHNIQUES \
	"acupuncture massage cupping moxibustion scraping fumigation plaster"
#define DEFAULT_TECHNIQUES "acupuncture massage cupping moxibustion"

/* ---- per-course state ---- */

struct tcm {
	struct pu_arena arena;  /* every block handed to the host; first, as
	                         * pu_fini frees the state through it */
	struct vds_session *sessions;
	const char **prereqs;
	const char *features[1];
};

/* "HH:MM-HH:MM" into minutes after midnight. */
static int parse_span(const char *s, unsigned *start, unsigned *end)
{
	unsigned h1, m1, h2, m2;
	int used = 0;
	if (sscanf(s, " %2u:%2u - %2u:%2u %n", &h1, &m1, &h2, &m2, &used) != 4 || s[used])
		return -1;
	if (h1 > 24 || h2 > 24 || m1 > 59 || m2 > 59)
		return -1;
	*start = h1 * 60 + m1;
	*end = h2 * 60 + m2;
	return *start < *end && *end <= 24 * 60 ? 0 : -1;
}

static int get_span(const struct vds_host *h, struct vds_ctx *ctx, const char *key,
                    unsigned dstart, unsigned dend, unsigned *start, unsigned *end)
{
	const char *v = h->get(ctx, key);
	*start = dstart;
	*end = dend;
	if (!v || !*v)
		return 0;
	if (parse_span(v, start, end)) {
		h->error(ctx, key, _("%s '%s' must be a time range like %02u:%02u-%02u:%02u "
		         "(24-hour clock, start before end)"), key, v,
		         dstart / 60, dstart % 60, dend / 60, dend % 60);
		*start = dstart;
		*end = dend;
		return -1;
	}
	return 0;
}

static const char *const known_keys[] = {
	"sites", "techniques", "days_per_technique", "assessment", "morning",
	"afternoon", "weekdays", "max_size", "max_span", "requires", NULL
};

static int tcm_init(const struct vds_host *h, struct vds_ctx *ctx, struct vds_course *course)
{
	struct tcm *t = pu_state_new(h, ctx, course, sizeof *t);
	if (!t)
		return -1;
	struct pu_arena *a = &t->arena;
	int bad = h->check_keys(ctx, known_keys) > 0;

	/* techniques: which modules, in the order given */
	size_t ntech = 0, sel[NTECH];
	const char *tv = h->get(ctx, "techniques");
	size_t nwords;
	char **words = pu_split(a, tv && *tv ? tv : DEFAULT_TECHNIQUES, &nwords);
	if (!words)
		goto oom;
	for (size_t i = 0; i < nwords; i++) {
		size_t k = 0;
		while (k < NTECH && strcmp(words[i], techniques[k].key))
			k++;
		if (k == NTECH) {
			h->error(ctx, "techniques", _("unknown technique '%s'; valid techniques: %s"),
			         words[i], VALID_TECHNIQUES);
			bad = 1;
			continue;
		}
		int dup = 0;
		for (size_t j = 0; j < ntech; j++)
			dup |= sel[j] == k;
		if (dup) {
			h->error(ctx, "techniques", _("technique '%s' is listed twice"), words[i]);
			bad = 1;
			continue;
		}
		sel[ntech++] = k;
	}
	if (!nwords) {
		h->error(ctx, "techniques", _("techniques is empty; list one or more of: %s"),
		         VALID_TECHNIQUES);
		bad = 1;
	}

	long per, max_size, max_span;
	int assessment;
	unsigned mstart, mend, astart, aend, weekdays;
	bad |= h->get_int(ctx, "days_per_technique", 1, 1, 3, &per) != 0;
	bad |= h->get_bool(ctx, "assessment", 0, &assessment) != 0;
	bad |= get_span(h, ctx, "morning", 8 * 60 + 30, 11 * 60 + 30, &mstart, &mend) != 0;
	bad |= get_span(h, ctx, "afternoon", 14 * 60 + 30, 17 * 60 + 30, &astart, &aend) != 0;
	if (mend > astart) {
		h->error(ctx, h->get(ctx, "afternoon") ? "afternoon" : "morning",
		         _("the morning session (%02u:%02u-%02u:%02u) must end before the afternoon "
		         "session (%02u:%02u-%02u:%02u) starts"),
		         mstart / 60, mstart % 60, mend / 60, mend % 60,
		         astart / 60, astart % 60, aend / 60, aend % 60);
		bad = 1;
	}
	bad |= h->get_days(ctx, "weekdays", 0, &weekdays) != 0;
	bad |= h->get_int(ctx, "max_size", 30, 1, 500, &max_size) != 0;

	unsigned days = (unsigned)(ntech * (size_t)per) + (assessment ? 1u : 0u);
	if (!days)
		days = 1;  /* only after errors; keeps max_span sane */
	long def_span = 7 * (long)((days + 4) / 5) + 7;
	bad |= h->get_int(ctx, "max_span", def_span, 0, 366, &max_span) != 0;
	if (max_span && max_span < (long)days) {
		h->error(ctx, "max_span", _("max_span %ld is shorter than the course's %u teaching days; "
		         "use at least %u, or 0 for no limit"), max_span, days, days);
		bad = 1;
	}

	/* requires: prerequisite course ids */
	size_t nreq;
	const char *rv = h->get(ctx, "requires");
	char **req = pu_split(a, rv, &nreq);
	if (!req)
		goto oom;
	bad |= pu_check_requires(h, ctx, req, nreq);
	if (bad)
		return -1;

	/* the sessions */
	size_t nsess = ntech * (size_t)per * 2 + (assessment ? 1 : 0);
	t->sessions = pu_own(a, calloc(nsess, sizeof *t->sessions));
	if (!t->sessions)
		goto oom;
	size_t n = 0;
	unsigned day = 0;
	for (size_t i = 0; i < ntech; i++) {
		const struct technique *q = &techniques[sel[i]];
		for (long d = 0; d < per; d++, day++) {
			char part[64] = "";
			if (per > 1)
				snprintf(part, sizeof part, "（第%ld/%ld天）", d + 1, per);
			struct vds_session *s = &t->sessions[n++];
			s->day = day;
			s->start = mstart;
			s->end = mend;
			s->module = q->name;
			s->title = pu_printf(a, "%s：%s%s", q->name,
			                     d ? "理论进阶与示教" : "理论与示教", part);
			s->description = pu_printf(a, "理论：%s。%s", q->theory, q->bring);
			s = &t->sessions[n++];
			s->day = day;
			s->start = astart;
			s->end = aend;
			s->module = q->name;
			s->title = pu_printf(a, "%s：实操练习%s", q->name, part);
			s->description = pu_printf(a, "实操：%s。%s", q->practice, q->bring);
		}
	}
	if (assessment) {
		size_t len = 1;
		for (size_t i = 0; i < ntech; i++)
			len += strlen(techniques[sel[i]].name) + 3;
		char *list = pu_own(a, calloc(len, 1));
		if (!list)
			goto oom;
		for (size_t i = 0; i < ntech; i++) {
			if (i)
				strcat(list, "、");
			strcat(list, techniques[sel[i]].name);
		}
		struct vds_session *s = &t->sessions[n++];
		s->day = day;
		s->start = mstart;
		s->end = mend;
		s->module = "技能考核";
		s->title = "技能考核";
		s->description = pu_printf(a, "操作考核：%s，%s，考官按操作规范现场评分，"
		                           "合格者发给培训合格证明。考核器材由培训点提供；"
		                           "携带身份证和培训手册。", list,
		                           ntech > 2 ? "每人抽考两项" : "每人逐项考核");
		if (!s->description)
			goto oom;
	}
	for (size_t i = 0; i < n; i++)
		if (!t->sessions[i].title || !t->sessions[i].description)
			goto oom;

	if (nreq) {
		t->prereqs = pu_own(a, calloc(nreq, sizeof *t->prereqs));
		if (!t->prereqs)
			goto oom;
		for (size_t i = 0; i < nreq; i++)
			t->prereqs[i] = req[i];
	}
	t->features[0] = "skills_lab";

	/* the fields not named are 0: the program's cohort minimum, no site
	 * resources, no instructor, everyone eligible */
	*course = (struct vds_course){
		.size = sizeof *course,
		.state = t,
		.title = "中医适宜技术",
		.lang = "zh-CN",
		.category = "中医适宜技术",
		.bring = "穿宽松衣物，携带笔记本和笔；针具、罐具、艾条等耗材由培训点提供",
		.days = days,
		.weekdays = weekdays,
		.max_span = (unsigned)max_span,
		.sessions = t->sessions,
		.nsessions = n,
		.max_size = (unsigned)max_size,
		.features = t->features,
		.nfeatures = 1,
		.prereqs = t->prereqs,
		.nprereqs = nreq,
	};
	return 0;
oom:
	return pu_oom(h, ctx);
}

PU_PLUGIN_DEFINE("tcm", "1.0",
                 "中医适宜技术：针刺、推拿、拔罐、艾灸等 / appropriate TCM techniques",
                 tcm_init);
