/* i18n.h -- message catalogue hook.  A no-op until the zh_CN catalogue
 * lands; every user-facing string is wrapped so it can. */
#ifndef VD_I18N_H
#define VD_I18N_H
#define _(s) (s)
#define N_(s) (s)
#endif
