/* failinit.c -- init reports an error at the `setting` key of its section
 * and fails; the loader must report it and carry on without the course.
 * fini is still called and must cope with the partial course. */
#include <stdlib.h>
#include <vdsched/plugin.h>

static int failinit_init(const struct vds_host *h, struct vds_ctx *ctx, struct vds_course *c)
{
	c->state = malloc(16);  /* freed by fini even though init fails */
	h->error(ctx, "setting", "failinit: '%s' is not accepted (this plugin always fails)",
	         h->get(ctx, "setting") ? h->get(ctx, "setting") : "(absent)");
	return -1;
}

static void failinit_fini(struct vds_course *c)
{
	free(c->state);
	c->state = NULL;
}

VDS_PLUGIN_DEFINE = {
	.abi_major = VDS_ABI_MAJOR,
	.abi_minor = VDS_ABI_MINOR,
	.name = "failinit",
	.version = "1.0",
	.description = "test: init fails",
	.init = failinit_init,
	.fini = failinit_fini,
};
