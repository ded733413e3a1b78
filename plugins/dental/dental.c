/* dental.c -- course plugin "dental": 口腔 (primary oral health care).
 *
 * Three days, the last two built around the two preventive procedures a
 * village doctor may perform in China's children's oral health programme:
 *   day 1  oral examination and referral (口腔检查与转诊), oral health
 *          education (口腔健康教育), examination practice at the chair
 *   day 2  fluoride varnish (涂氟) for children aged 3-6
 *   day 3  pit-and-fissure sealing (窝沟封闭) of the first permanent molars,
 *          ages 6-9; with `exam = yes` (default) the afternoon ends with a
 *          written test and a practical exam at the chair.
 * Hands-on work is done in groups at dental chairs, `trainees_per_chair`
 * per chair (default 3), so a run of n trainees needs ceil(n / per) chairs
 * at its site.  A site that has dental chairs qualifies: no marker feature
 * is required unless `features` lists some.  See vdsched-dental(7).
 *
 * All state lives in one struct dental, allocated by init, freed by fini. */
#include <vdsched/plugin.h>
#include "plugutil.h"

struct dental {
	struct pu_arena arena;  /* first: pu_fini frees the state through it */
	struct vds_session sessions[8];
	struct vds_resource resources[1];
	const char **features;
	const char **prereqs;
};

static const char *const known_keys[] = {
	"sites", "trainees_per_chair", "features", "exam", "max_size", "requires", NULL
};

#define HM(h, m) ((h) * 60u + (m))

static int dental_init(const struct vds_host *h, struct vds_ctx *ctx, struct vds_course *course)
{
	struct dental *t = pu_state_new(h, ctx, course, sizeof *t);
	if (!t)
		return -1;
	struct pu_arena *a = &t->arena;
	int bad = h->check_keys(ctx, known_keys) > 0;

	long per, max_size;
	int exam;
	bad |= h->get_int(ctx, "trainees_per_chair", 3, 1, 6, &per) != 0;
	bad |= h->get_bool(ctx, "exam", 1, &exam) != 0;
	bad |= h->get_int(ctx, "max_size", 24, 1, 500, &max_size) != 0;

	/* features: none by default -- the dental_chairs count is what makes
	 * a site fit (a second marker such as dental_unit only turned away
	 * sites with chairs); `features` lists any the county wants too */
	size_t nfeat, nreq;
	char **feat = pu_split(a, h->get(ctx, "features"), &nfeat);
	char **req = pu_split(a, h->get(ctx, "requires"), &nreq);
	if (!feat || !req)
		goto oom;
	bad |= pu_check_ids(h, ctx, "features", N_("site feature name"), feat, nfeat);
	bad |= pu_check_requires(h, ctx, req, nreq);
	if (bad)
		return -1;

	const char *chair = pu_printf(a, "每台牙椅%ld人一组轮流操作；", per);
	if (!chair)
		goto oom;
	struct vds_session *s = t->sessions;
	size_t n = 0;
#define SESSION(d, h1, m1, h2, m2, mod, ti, de) \
	(s[n].day = (d), s[n].start = HM(h1, m1), s[n].end = HM(h2, m2), \
	 s[n].module = (mod), s[n].title = (ti), s[n].description = (de), n++)

	SESSION(0, 8, 30, 10, 0, "口腔检查与转诊", "口腔检查与转诊（理论）",
	        "龋病、牙周病、口腔黏膜病和错颌的识别，儿童与老人口腔检查流程，"
	        "转诊指征与转诊单。携带笔记本。");
	SESSION(0, 10, 15, 11, 45, "口腔健康教育", "口腔健康教育",
	        "巴氏刷牙法、含氟牙膏与饮食指导，在村小和幼儿园开展口腔健康课的方法；"
	        "分组试讲五分钟口腔健康课。携带自己的牙刷。");
	SESSION(0, 14, 0, 17, 0, "口腔检查与转诊", "口腔检查实操",
	        pu_printf(a, "%s学员之间互相用口镜、探针检查并记录牙位与龋齿，"
	                  "按转诊指征判断是否转诊。口镜、探针、一次性检查盘由培训点提供；"
	                  "穿工作服，戴口罩帽子。", chair));
	SESSION(1, 8, 30, 11, 30, "涂氟", "涂氟（理论）",
	        "含氟涂料防龋原理，3～6岁儿童涂氟的适应证、禁忌证与频次（每半年一次），"
	        "知情同意，涂后注意事项与家长告知。携带笔记本。");
	SESSION(1, 14, 0, 17, 0, "涂氟", "涂氟实操",
	        pu_printf(a, "%s在仿头模和儿童牙列模型上练习隔湿、擦干牙面、"
	                  "按序涂布含氟涂料，练习向家长交代涂后注意事项。"
	                  "含氟涂料和小毛刷由培训点提供；穿工作服，戴口罩帽子。", chair));
	SESSION(2, 8, 30, 11, 30, "窝沟封闭", "窝沟封闭（理论）",
	        "6～9岁儿童第一恒磨牙窝沟封闭的适应证，清洁、酸蚀、冲洗、干燥、涂布、"
	        "光固化的步骤，封闭剂保留率检查与复查。携带笔记本。");
	if (exam) {
		SESSION(2, 14, 0, 15, 30, "窝沟封闭", "窝沟封闭实操",
		        pu_printf(a, "%s在离体牙和仿头模上完成全流程窝沟封闭，互相检查封闭效果。"
		                  "酸蚀剂、封闭剂和光固化灯由培训点提供；穿工作服，戴口罩帽子。",
		                  chair));
		SESSION(2, 15, 45, 17, 30, "考核", "理论与操作考核",
		        "30分钟笔试（口腔检查、转诊指征、涂氟与窝沟封闭适应证），"
		        "随后在牙椅上抽考涂氟或窝沟封闭操作，考官现场评分。携带身份证和笔。");
	} else {
		SESSION(2, 14, 0, 17, 0, "窝沟封闭", "窝沟封闭实操",
		        pu_printf(a, "%s在离体牙和仿头模上完成全流程窝沟封闭，互相检查封闭效果。"
		                  "酸蚀剂、封闭剂和光固化灯由培训点提供；穿工作服，戴口罩帽子。",
		                  chair));
	}
#undef SESSION
	for (size_t i = 0; i < n; i++)
		if (!s[i].description)
			goto oom;

	t->resources[0].name = "dental_chairs";
	t->resources[0].per = (unsigned)per;
	t->features = (const char **)feat;
	t->prereqs = (const char **)req;

	/* the fields not named are 0: the program's weekdays and cohort minimum,
	 * no instructor, everyone eligible */
	*course = (struct vds_course){
		.size = sizeof *course,
		.state = t,
		.title = "口腔：基层口腔保健与儿童龋病预防",
		.lang = "zh-CN",
		.category = "口腔",
		.bring = "白大褂或工作服、口罩、帽子、笔记本；器械与耗材由培训点提供",
		.days = 3,
		.max_span = 7,
		.sessions = t->sessions,
		.nsessions = n,
		.max_size = (unsigned)max_size,
		.features = nfeat ? t->features : NULL,
		.nfeatures = nfeat,
		.resources = t->resources,
		.nresources = 1,
		.prereqs = nreq ? t->prereqs : NULL,
		.nprereqs = nreq,
	};
	return 0;
oom:
	return pu_oom(h, ctx);
}

PU_PLUGIN_DEFINE("dental", "1.0",
                 "口腔：口腔检查、涂氟、窝沟封闭 / oral health, fluoride varnish, fissure sealing",
                 dental_init);
