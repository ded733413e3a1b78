/* pediatrics.c -- course plugin "pediatrics": 儿科, built on the WHO
 * Integrated Management of Childhood Illness (IMCI, 儿童疾病综合管理).
 *
 * One module per teaching day, in IMCI priority order: general danger signs
 * and referral first, then the two leading killers of children under five
 * (pneumonia, diarrhoea), then fever, malnutrition and immunisation.
 * `days = 3..6` keeps the first DAYS modules.  By default the course is
 * taught Monday to Friday by the county's own staff; `weekend = yes` moves
 * it to Saturdays and Sundays, taught by visiting experts, and then each run
 * needs an instructor.  `exclude_completed` makes doctors who already
 * finished one of the listed courses ineligible.  See vdsched-pediatrics(7).
 *
 * All state lives in one struct peds, allocated by init and freed by fini. */
#include <stdlib.h>
#include <string.h>
#include <vdsched/plugin.h>
#include "plugutil.h"

struct module {
	const char *name;      /* module, Chinese */
	const char *theory;    /* morning */
	const char *practice;  /* afternoon */
};

/* IMCI order of priority; `days = N` keeps the first N. */
static const struct module modules[] = {
	{ "危险体征与转诊",
	  "IMCI 评估流程：一般危险体征（不能喝水或吃奶、吐出所有东西、抽搐、嗜睡或昏迷），"
	  "分类用色（红/黄/绿），紧急转诊前处理与转诊单填写",
	  "看病例录像和图片识别危险体征，角色扮演向家长说明转诊理由，练习填写转诊单" },
	{ "咳嗽、呼吸困难与肺炎",
	  "数呼吸频率（按月龄判断呼吸增快），看胸凹陷、听喘鸣，肺炎与重症肺炎的分类，"
	  "阿莫西林剂量表，家庭护理与复诊",
	  "用计时器数录像中儿童的呼吸次数，按分类表练习分类并开具口服抗生素剂量" },
	{ "腹泻与脱水",
	  "脱水程度评估（精神状态、眼窝、饮水、皮肤弹性），治疗方案甲、乙、丙，"
	  "口服补液盐（低渗ORS）与补锌，痢疾与迁延性腹泻",
	  "练习配制口服补液盐并计算4小时补液量，捏皮试验演示，向家长示范喂补液" },
	{ "发热、疟疾与麻疹",
	  "发热儿童的评估，颈项强直与极重度发热性疾病，疟疾风险地区判断，"
	  "麻疹及其并发症（口腔溃疡、角膜混浊），退热与补充维生素A",
	  "看图片识别麻疹皮疹与并发症，练习发热病例分类，练习物理降温与退热药剂量计算" },
	{ "营养不良与生长监测",
	  "体重、身长（身高）测量与生长曲线，严重消瘦与水肿，贫血（手掌苍白），"
	  "喂养评估与喂养咨询，母乳喂养与辅食添加",
	  "练习用婴儿秤和量板测量，在生长曲线上描点判断，角色扮演喂养咨询" },
	{ "免疫接种",
	  "国家免疫规划疫苗接种程序，查验接种证，禁忌证，冷链管理，"
	  "疑似预防接种异常反应的识别与报告",
	  "练习查验接种证并判断漏种补种，冷藏包装箱操作，模拟接种后观察与不良反应报告" },
};
#define NMOD (sizeof modules / sizeof modules[0])

struct peds {
	struct pu_arena arena;  /* first: pu_fini frees the state through it */
	struct vds_session *sessions;
	const char **prereqs;
	const char **features;
	char **excl;          /* exclude_completed course ids */
	char **excl_why;      /* "已完成…" for each */
	size_t nexcl;
};

/* Reads a list of course ids; reports each bad one.  Returns -1 on OOM. */
static int get_ids(const struct vds_host *h, struct vds_ctx *ctx, struct pu_arena *a,
                   const char *key, char ***out, size_t *n, int *bad)
{
	*out = pu_split(a, h->get(ctx, key), n);
	if (!*out)
		return -1;
	*bad |= pu_check_ids(h, ctx, key, N_("course id"), *out, *n);
	return 0;
}

static int peds_eligible(void *state, const struct vds_doctor_view *d, const char **why)
{
	const struct peds *t = state;
	for (size_t i = 0; i < d->ncompleted; i++)
		for (size_t j = 0; j < t->nexcl; j++)
			if (d->completed[i] && !strcmp(d->completed[i], t->excl[j])) {
				if (why)
					*why = t->excl_why[j];
				return 0;
			}
	return 1;
}

static const char *const known_keys[] = {
	"sites", "days", "weekend", "instructor", "max_size", "min_size",
	"features", "exclude_completed", "requires", NULL
};

static int peds_init(const struct vds_host *h, struct vds_ctx *ctx, struct vds_course *course)
{
	struct peds *t = pu_state_new(h, ctx, course, sizeof *t);
	if (!t)
		return -1;
	struct pu_arena *a = &t->arena;
	int bad = h->check_keys(ctx, known_keys) > 0;

	long days, max_size, min_size;
	int weekend, instructor;
	bad |= h->get_int(ctx, "days", 5, 3, (long)NMOD, &days) != 0;
	bad |= h->get_bool(ctx, "weekend", 0, &weekend) != 0;
	instructor = weekend;
	const char *iv = h->get(ctx, "instructor");
	if (iv && *iv) {
		if (!strcmp(iv, "required"))
			instructor = 1;
		else if (!strcmp(iv, "none"))
			instructor = 0;
		else {
			h->error(ctx, "instructor", _("instructor '%s' must be 'required' or 'none'"), iv);
			bad = 1;
		}
	}
	bad |= h->get_int(ctx, "max_size", 24, 1, 500, &max_size) != 0;
	bad |= h->get_int(ctx, "min_size", 0, 0, 500, &min_size) != 0;
	if (min_size && min_size > max_size) {
		h->error(ctx, "min_size", _("min_size %ld is above max_size %ld"), min_size, max_size);
		bad = 1;
	}

	char **feat, **req, **excl;
	size_t nfeat, nreq;
	if (get_ids(h, ctx, a, "features", &feat, &nfeat, &bad) ||
	    get_ids(h, ctx, a, "requires", &req, &nreq, &bad) ||
	    get_ids(h, ctx, a, "exclude_completed", &excl, &t->nexcl, &bad))
		goto oom;
	bad |= pu_check_self(h, ctx, req, nreq);
	if (bad)
		return -1;

	/* Weekday runs: county staff, 08:00-12:00 and 14:00-17:00.  Weekend
	 * runs: visiting experts travel in, so 09:00-12:00 and 13:30-17:00. */
	unsigned mstart = weekend ? 9 * 60 : 8 * 60, mend = 12 * 60;
	unsigned astart = weekend ? 13 * 60 + 30 : 14 * 60, aend = 17 * 60;
	size_t n = 0;
	t->sessions = pu_own(a, calloc((size_t)days * 2, sizeof *t->sessions));
	if (!t->sessions)
		goto oom;
	for (unsigned d = 0; d < (unsigned)days; d++) {
		const struct module *m = &modules[d];
		int last = d + 1 == (unsigned)days;
		struct vds_session *s = &t->sessions[n++];
		s->day = d;
		s->start = mstart;
		s->end = mend;
		s->module = m->name;
		s->title = pu_printf(a, "%s（理论与病例讨论）", m->name);
		s->description = pu_printf(a, "%s。携带《儿童疾病综合管理》图表手册和笔记本。", m->theory);
		s = &t->sessions[n++];
		s->day = d;
		s->start = astart;
		s->end = aend;
		s->module = m->name;
		s->title = pu_printf(a, last ? "%s（技能练习与结业考核）" : "%s（技能练习）", m->name);
		s->description = pu_printf(a, "%s。%s携带计时器（或带秒针的手表）和图表手册。",
		                           m->practice,
		                           last ? "最后一小时为病例分类笔试与操作考核。" : "");
		if (!t->sessions[n - 2].title || !t->sessions[n - 2].description ||
		    !s->title || !s->description)
			goto oom;
	}

	t->excl = excl;
	if (t->nexcl) {
		t->excl_why = pu_own(a, calloc(t->nexcl, sizeof *t->excl_why));
		if (!t->excl_why)
			goto oom;
		for (size_t i = 0; i < t->nexcl; i++)
			if (!(t->excl_why[i] = pu_printf(a, "已完成 %s 课程，无需参加本课程", excl[i])))
				goto oom;
	}
	t->prereqs = (const char **)req;
	t->features = (const char **)feat;

	/* the fields not named are 0: no site resources */
	*course = (struct vds_course){
		.size = sizeof *course,
		.state = t,
		.title = "儿科：儿童疾病综合管理",
		.lang = "zh-CN",
		.category = "儿科",
		.bring = "《儿童疾病综合管理》图表手册（培训点发放）、计时器或带秒针的手表、笔记本",
		.days = (unsigned)days,
		.weekdays = weekend ? VDS_WEEKEND : VDS_WEEKDAYS,
		/* weekday runs stay within two weeks; weekend runs take consecutive
		 * weekends plus one spare weekend */
		.max_span = weekend ? 7u * (((unsigned)days + 1) / 2) + 7u : 14u,
		.sessions = t->sessions,
		.nsessions = n,
		.min_size = (unsigned)min_size,
		.max_size = (unsigned)max_size,
		.features = nfeat ? t->features : NULL,
		.nfeatures = nfeat,
		.prereqs = nreq ? t->prereqs : NULL,
		.nprereqs = nreq,
		.needs_instructor = instructor,
		.eligible = t->nexcl ? peds_eligible : NULL,
	};
	return 0;
oom:
	return pu_oom(h, ctx);
}

PU_PLUGIN_DEFINE("pediatrics", "1.0",
                 "儿科：儿童疾病综合管理（IMCI） / pediatrics based on WHO IMCI",
                 peds_init);
