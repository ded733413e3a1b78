/* certificate.h -- 结业证书: one printable A4 page per completed pair in
 * OUTDIR/print/certificates/CERTNO.html, an index of them there, and with
 * [output] base_url a verification page OUTDIR/verify/CERTNO.html that
 * the certificate's QR code points at (BASE_URL/verify/CERTNO.html); each
 * folder has the pages' style sheet (certificate.css, verify.css).
 * A page depends only on its pair (no timestamps), so it stays
 * byte-identical across re-plans where that pair's completion did not
 * change. */
#ifndef VD_CERTIFICATE_H
#define VD_CERTIFICATE_H
#include "completion.h"
#include "diag.h"
#include "model.h"

/* Writes the certificates, their index and the verification pages.
 * OUTDIR/print must exist.  0, or -1 after vd_error. */
int vd_write_certificates(const struct vd_program *p, const struct vd_plan *pl,
                          const struct vd_completion *c, const char *outdir,
                          struct vd_diag *dg);
#endif
