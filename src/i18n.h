/* i18n.h -- message catalogue hook: _() marks a user-facing string and
 * translates it through gettext (domain "vdsched", bound in main()); N_()
 * only marks one, for tables translated where they are used.  Without NLS
 * (configure --disable-nls) both leave the English text as it is. */
#ifndef VD_I18N_H
#define VD_I18N_H
#ifdef HAVE_CONFIG_H
#include "autoconfig.h"
#endif
#if ENABLE_NLS
#include <libintl.h>
#define _(s) gettext(s)
#else
#define _(s) (s)
#endif
#define N_(s) (s)
#endif
