/* wrongabi.c -- a plugin built for ABI major 99; the loader must refuse it
 * with a message naming both versions, without calling init. */
#include <vdsched/plugin.h>

static int wrongabi_init(const struct vds_host *h, struct vds_ctx *ctx, struct vds_course *c)
{
	(void)c;
	/* never called: the loader refuses the plugin before init */
	h->error(ctx, NULL, "%s", "init called although the ABI check should have refused this plugin");
	return -1;
}

VDS_PLUGIN_DEFINE = {
	.abi_major = 99,
	.abi_minor = 0,
	.name = "wrongabi",
	.version = "1.0",
	.description = "test: ABI major 99",
	.init = wrongabi_init,
};
