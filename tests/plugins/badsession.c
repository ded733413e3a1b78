/* badsession.c -- a two-day course with a session that ends before it
 * starts and one on a day the course does not have (day index 2).  The
 * loader must reject the course, naming the sessions. */
#include <vdsched/plugin.h>

static const struct vds_session sessions[] = {
	{ 0, 9 * 60, 12 * 60, "正常", "ok", NULL },
	{ 1, 17 * 60, 14 * 60, "结束早于开始", "backwards", NULL },
	{ 2, 9 * 60, 12 * 60, "第三天（课程只有两天）", "outside", NULL },
};

static int badsession_init(const struct vds_host *h, struct vds_ctx *ctx, struct vds_course *c)
{
	(void)h, (void)ctx;
	c->title = "时间错误的课程";
	c->lang = "zh-CN";
	c->days = 2;
	c->sessions = sessions;
	c->nsessions = sizeof sessions / sizeof sessions[0];
	return 0;
}

VDS_PLUGIN_DEFINE = {
	.abi_major = VDS_ABI_MAJOR,
	.abi_minor = VDS_ABI_MINOR,
	.name = "badsession",
	.version = "1.0",
	.description = "test: session end < start and day >= days",
	.init = badsession_init,
};
