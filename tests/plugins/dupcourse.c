/* dupcourse.c -- a valid course whose plugin is named "dupcourse" but which
 * declares the course id "tcm"; loaded next to tcm the loader must refuse
 * the duplicate course id. */
#include <vdsched/plugin.h>

static const struct vds_session sessions[] = {
	{ 0, 9 * 60, 12 * 60, "重复课程", "dup", NULL },
};

static int dupcourse_init(const struct vds_host *h, struct vds_ctx *ctx, struct vds_course *c)
{
	(void)h, (void)ctx;
	c->id = "tcm";
	c->title = "重复的中医课程";
	c->lang = "zh-CN";
	c->days = 1;
	c->sessions = sessions;
	c->nsessions = 1;
	return 0;
}

VDS_PLUGIN_DEFINE = {
	.abi_major = VDS_ABI_MAJOR,
	.abi_minor = VDS_ABI_MINOR,
	.name = "dupcourse",
	.version = "1.0",
	.description = "test: declares course id tcm",
	.init = dupcourse_init,
};
