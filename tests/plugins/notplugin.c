/* notplugin.c -- a shared object that is not a vdsched plugin: it exports
 * a function but no vdsched_plugin symbol.  The loader must refuse it. */
int notplugin_answer(void);
__attribute__((visibility("default"))) int notplugin_answer(void)
{
	return 42;
}
