/* badcourse.c -- init succeeds but declares an unusable course: zero
 * teaching days and no sessions.  The loader must reject the course. */
#include <vdsched/plugin.h>

static int badcourse_init(const struct vds_host *h, struct vds_ctx *ctx, struct vds_course *c)
{
	(void)h, (void)ctx;
	c->title = "无效课程";
	c->lang = "zh-CN";
	c->days = 0;
	c->sessions = NULL;
	c->nsessions = 0;
	return 0;
}

VDS_PLUGIN_DEFINE = {
	.abi_major = VDS_ABI_MAJOR,
	.abi_minor = VDS_ABI_MINOR,
	.name = "badcourse",
	.version = "1.0",
	.description = "test: 0 days, no sessions",
	.init = badcourse_init,
};
