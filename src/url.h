/* url.h -- where a published calendar can be fetched from.
 *
 * [output] base_url is the address under which the output folder is
 * served (e.g. https://example.org/peixun/); calendars live below it at
 * ics/KIND/ID.ics.  Everything that shows a calendar's address (the
 * printable pages' QR codes, the report, changes.csv) builds it here. */
#ifndef VD_URL_H
#define VD_URL_H
#include "model.h"

/* The address of calendar `id` of `kind` (doctors, cohorts, sites or
 * instructors): base_url + "ics/KIND/ID.ics", or the relative path
 * "ics/KIND/ID.ics" when the program has no base_url.  Bytes other than
 * A-Z a-z 0-9 - . _ ~ in kind and id are percent-encoded.  malloc'd. */
char *vd_calendar_url(const struct vd_program *p, const char *kind, const char *id);

/* Checks a base_url value.  Returns the normalised value (a '/' added when
 * missing; malloc'd), or NULL with *why set to a static message naming
 * what is wrong and how to fix it. */
char *vd_base_url_normalize(const char *v, const char **why);
#endif
