/* firstaid.c -- an example third-party vdsched course plugin: 急救 (first
 * aid), one day: cardiopulmonary resuscitation (心肺复苏) in the morning,
 * bleeding control and bandaging (止血与包扎) in the afternoon.
 *
 * Build it outside the vdsched tree against the installed header:
 *
 *   cc -shared -fPIC -fvisibility=hidden $(pkg-config --cflags vdsched-plugin) \
 *      -o firstaid.so firstaid.c
 *
 * Options in [course firstaid] (besides `sites`, which vdsched reads):
 *   manikins  = 4     trainees per CPR manikin: a run of n uses ceil(n / 4)
 *   aed       = yes   include AED (自动体外除颤器) practice; the site must
 *                     then have the feature `aed_trainer`
 *   max_size  = 20    trainees per run, 4..40
 *
 * See vdsched-plugin(7). */
#include <stdlib.h>
#include <vdsched/plugin.h>

/* Everything the course points at lives here, one per init. */
struct firstaid {
	struct vds_session sessions[3];
	struct vds_resource manikins;
	const char *features[1];
};

static const char *const known[] = { "sites", "manikins", "aed", "max_size", NULL };

static int firstaid_init(const struct vds_host *host, struct vds_ctx *ctx,
                         struct vds_course *course)
{
	/* This plugin uses the host functions of ABI 1.0 only. */
	if (host->size < sizeof(struct vds_host))
		return -1;

	int bad = host->check_keys(ctx, known) > 0;
	long per, max_size;
	int aed;
	bad |= host->get_int(ctx, "manikins", 4, 1, 10, &per) != 0;
	bad |= host->get_bool(ctx, "aed", 1, &aed) != 0;
	bad |= host->get_int(ctx, "max_size", 20, 4, 40, &max_size) != 0;
	if (bad)
		return -1;  /* each problem was reported at its line */

	struct firstaid *f = calloc(1, sizeof *f);
	if (!f) {
		host->error(ctx, NULL, "out of memory");
		return -1;
	}
	course->state = f;  /* fini frees it, even after a failed init */

	size_t n = 0;
	f->sessions[n++] = (struct vds_session){
		0, 8 * 60 + 30, 11 * 60 + 30, "心肺复苏", "心肺复苏",
		"判断意识与呼吸、呼救、胸外按压（每分钟100～120次，深度5～6厘米）与人工呼吸；"
		"在模拟人上两人一组反复练习。穿便于跪地的衣物。"
	};
	if (aed)
		f->sessions[n++] = (struct vds_session){
			0, 13 * 60 + 30, 14 * 60 + 30, "自动体外除颤器（AED）", "心肺复苏",
			"AED 开机、贴电极片、分析心律与电击，与胸外按压配合；使用训练机练习。"
		};
	f->sessions[n++] = (struct vds_session){
		0, 14 * 60 + 45, 17 * 60, "止血与包扎", "止血与包扎",
		"直接压迫止血、止血带的使用与时间记录，绷带与三角巾包扎，骨折临时固定；"
		"两人一组互相练习。绷带、三角巾、夹板由培训点提供。"
	};
	f->manikins = (struct vds_resource){ "cpr_manikins", (unsigned)per };
	f->features[0] = "aed_trainer";

	course->title = "急救：心肺复苏与止血包扎";
	course->lang = "zh-CN";
	course->category = "急救";
	course->bring = "穿宽松、便于跪地的衣物；携带笔记本";
	course->days = 1;
	course->sessions = f->sessions;
	course->nsessions = n;
	course->max_size = (unsigned)max_size;
	course->resources = &f->manikins;
	course->nresources = 1;
	course->features = f->features;
	course->nfeatures = aed ? 1 : 0;
	return 0;
}

static void firstaid_fini(struct vds_course *course)
{
	free(course->state);
	course->state = NULL;
}

VDS_PLUGIN_DEFINE = {
	.abi_major = VDS_ABI_MAJOR,
	.abi_minor = VDS_ABI_MINOR,
	.name = "firstaid",
	.version = "1.0",
	.description = "急救：心肺复苏与止血包扎 / first aid: CPR and bleeding control",
	.init = firstaid_init,
	.fini = firstaid_fini,
};
