/* newminor.c -- a plugin built against a newer minor ABI than the host
 * provides (VDS_ABI_MINOR + 1); the loader must refuse it without calling
 * init. */
#include <vdsched/plugin.h>

static int newminor_init(const struct vds_host *h, struct vds_ctx *ctx, struct vds_course *c)
{
	(void)c;
	/* never called: the loader refuses the plugin before init */
	h->error(ctx, NULL, "%s", "init called although the ABI check should have refused this plugin");
	return -1;
}

VDS_PLUGIN_DEFINE = {
	.abi_major = VDS_ABI_MAJOR,
	.abi_minor = VDS_ABI_MINOR + 1,
	.name = "newminor",
	.version = "1.0",
	.description = "test: newer minor ABI",
	.init = newminor_init,
};
