/* certificate.c -- 结业证书 and their verification pages (certificate.h),
 * in the language of the messages.
 * Apart from print.c because a certificate is a page of its own design
 * (one A4 sheet, no margins of the notices' style) and is written from
 * the completion rows, not from the plan's runs. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "certificate.h"
#include "completion-out.h"
#include "fsutil.h"
#include "i18n.h"
#include "print.h"
#include "qr.h"
#include "xalloc.h"
/* the pages' texts in the pages' language (print.h) */
#undef _
#define _(s) vd_page_text(s)

/* The QR module print.c uses, for the reason given there: a whole number
 * of a scanner's dots at 150, 200 and 300 dpi. */
#define CERT_QR_MODULE_MM 1.016

static const char font_css[] =
	"html { font-family: \"Noto Serif CJK SC\", \"Source Han Serif SC\", \"Noto Sans CJK SC\", "
	"\"WenQuanYi Micro Hei\", \"SimSun\", \"Microsoft YaHei\", serif; color: #000; background: #fff }\n";

/* One A4 sheet: a frame inside 15 mm, the text in the middle, the seal
 * and the QR code at the foot.  296 mm, not 297: a rounding in Chromium
 * would otherwise push an empty second page. */
static const char cert_css[] =
	"@page { size: A4; margin: 0 }\n"
	"body { margin: 0 }\n"
	".sheet { box-sizing: border-box; width: 210mm; height: 296mm; padding: 15mm; overflow: hidden }\n"
	".frame { box-sizing: border-box; height: 100%; border: 1.5mm double #8b1a1a; "
	"padding: 18mm 16mm 14mm; display: flex; flex-direction: column }\n"
	".program { text-align: center; font-size: 15pt }\n"
	"h1 { text-align: center; font-size: 40pt; letter-spacing: 6mm; margin: 12mm 0 14mm; color: #8b1a1a }\n"
	".text { font-size: 15pt; line-height: 2.1; text-indent: 2em; margin: 0 0 8mm }\n"
	"table { border-collapse: collapse; font-size: 11pt; margin: 0 auto }\n"
	"th, td { padding: 1mm 3mm; text-align: left; vertical-align: top }\n"
	"th { white-space: nowrap; color: #333; font-weight: normal }\n"
	".foot { margin-top: auto; display: flex; justify-content: space-between; align-items: flex-end }\n"
	".qr-box { font-size: 8pt; text-align: center; width: 50mm }\n"
	".qr-box svg { display: block; margin: 0 auto 1mm }\n"
	".url { font-family: monospace; font-size: 6.5pt; word-break: break-all }\n"
	".seal { font-size: 14pt; text-align: right; line-height: 2.2 }\n"
	".seal .line { display: inline-block; width: 45mm; border-bottom: 0.3mm solid #000 }\n";

/* The index and the verification page: plain, readable on a phone. */
static const char page_css[] =
	"body { margin: 0 auto; max-width: 186mm; padding: 4mm; font-size: 11pt; line-height: 1.5 }\n"
	"@page { size: A4; margin: 12mm }\n"
	"h1 { font-size: 16pt; margin: 0 0 2mm }\n"
	"table { border-collapse: collapse; width: 100% }\n"
	"th, td { border: 0.25mm solid #777; padding: 1mm 2mm; text-align: left; vertical-align: top }\n"
	"th { background: #eee; white-space: nowrap }\n"
	".ok { border: 0.5mm solid #1a6b1a; padding: 2mm 3mm; margin: 3mm 0 }\n"
	".num { text-align: right }\n";

/* The style sheets beside the pages */
#define CERT_SHEET "certificate.css"
#define VERIFY_SHEET "verify.css"

/* Writes DIR/NAME: the fonts, then css.  0, or -1 after vd_error. */
static int write_sheet(const char *dir, const char *name, const char *css, struct vd_diag *dg)
{
	struct vd_outfile o;
	if (vd_outfile_open(&o, dg, dir, name, VD_OUT_NEW))
		return -1;
	fputs(font_css, o.f);
	fputs(css, o.f);
	return vd_outfile_close(&o, dg);
}

static int nonempty(const char *s)
{
	return s && *s;
}

static const char *or_id(const char *name, const char *id)
{
	return nonempty(name) ? name : id;
}

/* Everything a page says about one completed row. */
struct cert {
	const struct vd_completion_row *row;
	const struct vd_doctor *doctor;
	const char *clinic, *township, *course, *site, *office;
	vd_date first, last;
	char *url;              /* the verification page's address; NULL without base_url */
};

static void cert_init(struct cert *ct, const struct vd_program *p, const struct vd_plan *pl,
                      const struct vd_completion_row *r)
{
	const struct vd_run *run = &pl->runs[r->run];
	const struct vds_course *def = p->courses[r->course].def;
	const struct vd_clinic *cl = &p->clinics[p->doctors[r->doctor].clinic];
	ct->row = r;
	ct->doctor = &p->doctors[r->doctor];
	ct->clinic = or_id(cl->name, cl->id);
	ct->township = or_id(p->townships[cl->township].name, p->townships[cl->township].id);
	ct->course = or_id(def->title, def->id);
	ct->site = or_id(p->sites[run->site].name, p->sites[run->site].id);
	ct->office = nonempty(p->contact) ? p->contact : or_id(p->name, p->id);
	ct->first = run->dates[0];
	ct->last = run->dates[def->days - 1];
	ct->url = p->base_url ? xasprintf("%sverify/%s.html", p->base_url, r->certificate) : NULL;
}

#define DATE_TEXT_MAX 64

/* A day as the certificate says it, "2026年4月27日" or "2026-04-27",
 * into buf, which it returns. */
static char *date_text(vd_date t, char buf[DATE_TEXT_MAX])
{
	int y, m, d;
	vd_date_to_ymd(t, &y, &m, &d);
	/* TRANSLATORS: year, month, day of a certificate's dates */
	snprintf(buf, DATE_TEXT_MAX, _("%1$d-%2$02d-%3$02d"), y, m, d);
	return buf;
}

/* The training's dates: its day, or its first and last.  malloc'd. */
static char *dates_text(const struct cert *ct)
{
	char a[DATE_TEXT_MAX], b[DATE_TEXT_MAX];
	date_text(ct->first, a);
	if (ct->last == ct->first)
		return xstrdup(a);
	/* TRANSLATORS: between the first and the last day of a certificate's training */
	return xasprintf("%s%s%s", a, _(" – "), date_text(ct->last, b));
}

static void put_dates(FILE *f, const struct cert *ct)
{
	char *s = dates_text(ct);
	fputs(s, f);
	free(s);
}

/* A page's head: its style inline, or from the style sheet `sheet` beside
 * it (the certificates and verification pages: a province has 100,000s,
 * and the style would be half of each). */
static void head(FILE *f, const char *title, const char *css, const char *sheet)
{
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
	        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
	        vd_print_lang());
	vd_html_put(f, title);
	if (sheet)
		fprintf(f, "</title>\n<link rel=\"stylesheet\" href=\"%s\">\n</head>\n<body>\n", sheet);
	else
		fprintf(f, "</title>\n<style>\n%s%s</style>\n</head>\n<body>\n", font_css, css);
}

static void fact(FILE *f, const char *th, const char *td)
{
	fputs("<tr><th>", f);
	vd_html_put(f, th);
	fputs("</th><td>", f);
	vd_html_put(f, td);
	fputs("</td></tr>\n", f);
}

/* The rows the certificate and its verification page both show. */
static void facts(FILE *f, const struct cert *ct)
{
	char h[32], cr[32], n[64];
	fact(f, _("Certificate no."), ct->row->certificate);
	fact(f, _("Name"), or_id(ct->doctor->name, ct->doctor->id));
	fact(f, _("Clinic"), ct->clinic);
	fact(f, _("Township"), ct->township);
	fact(f, _("Course"), ct->course);
	fputs("<tr>", f);
	vd_print_th(f, _("Training dates"), TH_TEXT);
	fputs("<td>", f);
	put_dates(f, ct);
	fputs("</td></tr>\n", f);
	fact(f, _("Training place"), ct->site);
	snprintf(n, sizeof n, "%u / %u", ct->row->attended, ct->row->total);
	fact(f, _("Sessions attended"), n);
	fact(f, _("Hours"), vd_decimal(ct->row->hours, h));
	fact(f, _("Credits"), vd_decimal(ct->row->credits, cr));
	fact(f, _("Issued by"), ct->office);
}

static void cert_body(FILE *f, const struct vd_program *p, const struct cert *ct)
{
	char h[32], cr[32];
	fputs("<div class=\"sheet\"><div class=\"frame\">\n<div class=\"program\">", f);
	vd_html_put(f, or_id(p->name, p->id));
	fputs("</div>\n<h1>", f);
	vd_html_put(f, _("Certificate of completion"));
	fputs("</h1>\n<p class=\"text\">", f);
	char *name = vd_html_escape(or_id(ct->doctor->name, ct->doctor->id));
	char *township = vd_html_escape(ct->township), *clinic = vd_html_escape(ct->clinic);
	char *dates = dates_text(ct), *course = vd_html_escape(ct->course);
	/* TRANSLATORS: 1 the trainee, 2 the township, 3 the clinic, 4 the
	 * dates, 5 the course, 6 and 7 the sessions attended and held, 8 the
	 * hours, 9 the credits; HTML */
	fprintf(f, _("<b>%1$s</b> (%3$s, %2$s) took part in the training <b>%5$s</b> (%4$s), "
	             "attended %6$u of its %7$u sessions, %8$s hours in all, earned %9$s credits "
	             "and has completed it."),
	        name, township, clinic, dates, course, ct->row->attended, ct->row->total,
	        vd_decimal(ct->row->hours, h), vd_decimal(ct->row->credits, cr));
	fputs("</p>\n", f);
	free(name);
	free(township);
	free(clinic);
	free(dates);
	free(course);
	fputs("<table>\n", f);
	facts(f, ct);
	fputs("</table>\n<div class=\"foot\">\n<div class=\"qr-box\">", f);
}

/* Opens DIR/CERTNO.html and writes its head, titled "WHAT CERTNO".
 * 0, or -1 after vd_error. */
static int page_open(struct vd_outfile *pg, const struct cert *ct, const char *dir,
                     const char *what, const char *sheet, struct vd_diag *dg)
{
	char *name = xasprintf("%s.html", ct->row->certificate);
	int rc = vd_outfile_open(pg, dg, dir, name, VD_OUT_NEW);
	free(name);
	if (rc)
		return -1;
	char *title = xasprintf("%s %s", what, ct->row->certificate);
	head(pg->f, title, NULL, sheet);
	free(title);
	return 0;
}

/* The page of one certificate.  0, or -1 after vd_error. */
static int cert_page(const struct vd_program *p, const struct cert *ct, const char *dir,
                     struct vd_diag *dg)
{
	struct vd_outfile pg;
	if (page_open(&pg, ct, dir, _("Certificate of completion"), CERT_SHEET, dg))
		return -1;
	FILE *f = pg.f;
	int rc = 0;
	cert_body(f, p, ct);
	if (ct->url) {
		if (vd_qr_svg(f, ct->url, CERT_QR_MODULE_MM) != 0) {
			vd_error(dg, NULL, 0, gettext("cannot make a QR code of '%s': %s"), ct->url, strerror(errno));
			rc = -1;
		}
		vd_html_put(f, _("Scan to verify this certificate"));
		fputs("<div class=\"url\">", f);
		vd_html_put(f, ct->url);
		fputs("</div>", f);
	}
	fputs("</div>\n<div class=\"seal\">", f);
	vd_html_put(f, _("Issued by: "));
	vd_html_put(f, ct->office);
	fputs("<br>", f);
	vd_html_put(f, _("(seal)"));
	fputs("<span class=\"line\"></span><br>", f);
	char day[DATE_TEXT_MAX];
	fputs(date_text(ct->last, day), f);
	fputs("</div>\n</div>\n</div></div>\n</body>\n</html>\n", f);
	return (vd_outfile_close(&pg, dg) || rc) ? -1 : 0;
}

/* verify/CERTNO.html: what the QR code opens on a phone. */
static int verify_page(const struct vd_program *p, const struct cert *ct, const char *dir,
                       struct vd_diag *dg)
{
	struct vd_outfile pg;
	if (page_open(&pg, ct, dir, _("Certificate verification"), VERIFY_SHEET, dg))
		return -1;
	FILE *f = pg.f;
	fputs("<h1>", f);
	vd_html_put(f, _("Certificate verification"));
	fputs("</h1>\n<p>", f);
	vd_html_put(f, or_id(p->name, p->id));
	fprintf(f, "</p>\n<p class=\"ok\">%s</p>\n<table>\n",
	        _("This certificate is registered: the trainee below has completed the course."));
	facts(f, ct);
	fputs("</table>\n</body>\n</html>\n", f);
	return vd_outfile_close(&pg, dg);
}

static void index_row(FILE *f, const struct cert *ct)
{
	char h[32], cr[32];
	fputs("<tr><td><a href=\"", f);
	vd_html_put(f, ct->row->certificate);
	fputs(".html\">", f);
	vd_html_put(f, ct->row->certificate);
	fputs("</a></td><td>", f);
	vd_html_put(f, or_id(ct->doctor->name, ct->doctor->id));
	fputs("</td><td>", f);
	vd_html_put(f, ct->clinic);
	fputs("</td><td>", f);
	vd_html_put(f, ct->course);
	fputs("</td><td>", f);
	put_dates(f, ct);
	fprintf(f, "</td><td class=\"num\">%s</td><td class=\"num\">%s</td></tr>\n",
	        vd_decimal(ct->row->hours, h), vd_decimal(ct->row->credits, cr));
}

static void index_head(FILE *f, const struct vd_program *p, size_t n)
{
	head(f, _("Certificates of completion"), page_css, NULL);
	fputs("<h1>", f);
	vd_html_put(f, _("Certificates of completion"));
	fputs("</h1>\n<p>", f);
	vd_html_put(f, or_id(p->name, p->id));
	fputs(" · ", f);
	fprintf(f, _("%zu in all.  Each certificate is one A4 page: open them one by one, print, "
	             "seal and give them to the trainees."), n);
	fputs("</p>\n", f);
	if (!n) {
		fprintf(f, "<p>%s</p>\n",
		        _("No one has completed a course yet: after the training, re-plan with "
		          "plan --previous and --freeze-before, and the certificates are made from the "
		          "sign-in records."));
	} else {
		static const struct vd_th head[] = { { N_("Certificate no."), TH_TEXT },
			{ N_("Name"), TH_TEXT }, { N_("Clinic"), TH_TEXT }, { N_("Course"), TH_TEXT },
			{ N_("Training dates"), TH_TEXT }, { N_("Hours"), TH_NUM }, { N_("Credits"), TH_NUM } };
		fputs("<table>\n<thead><tr>", f);
		vd_print_ths(f, head, sizeof head / sizeof *head);
		fputs("</tr></thead>\n<tbody>\n", f);
	}
}

/* A certificate number names two files and a URL: only id characters. */
static int cert_name_ok(const char *s)
{
	return *s && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-") ==
	             strlen(s) && *s != '.';
}

/* Every completed row's pages, and its line of the index f. */
static int write_all(const struct vd_program *p, const struct vd_plan *pl,
                     const struct vd_completion *c, const char *certdir, const char *verifydir,
                     FILE *index, struct vd_diag *dg)
{
	int rc = 0;
	for (size_t i = 0; i < c->n && !rc; i++) {
		const struct vd_completion_row *r = &c->rows[i];
		if (r->status != VD_PAIR_COMPLETED || !r->certificate)
			continue;
		if (!cert_name_ok(r->certificate)) {
			vd_error(dg, NULL, 0, gettext("cannot write certificate '%s': not a valid file name (A-Z a-z 0-9 _ . -)"),
			         r->certificate);
			return -1;
		}
		struct cert ct;
		cert_init(&ct, p, pl, r);
		rc = cert_page(p, &ct, certdir, dg);
		if (!rc && verifydir)
			rc = verify_page(p, &ct, verifydir, dg);
		index_row(index, &ct);
		free(ct.url);
	}
	return rc;
}

int vd_write_certificates(const struct vd_program *p, const struct vd_plan *pl,
                          const struct vd_completion *c, const char *outdir,
                          struct vd_diag *dg)
{
	char *certdir = xasprintf("%s/print/certificates", outdir);
	char *verifydir = p->base_url ? xasprintf("%s/verify", outdir) : NULL;
	struct vd_outfile ix = { 0 };
	int rc = vd_mkdir(dg, certdir) || (verifydir && vd_mkdir(dg, verifydir)) ||
	         write_sheet(certdir, CERT_SHEET, cert_css, dg) ||
	         (verifydir && write_sheet(verifydir, VERIFY_SHEET, page_css, dg)) ||
	         vd_outfile_open(&ix, dg, certdir, "index.html", VD_OUT_NEW) ? -1 : 0;
	if (!rc) {
		size_t n = 0;
		for (size_t i = 0; i < c->n; i++)
			n += c->rows[i].status == VD_PAIR_COMPLETED && c->rows[i].certificate;
		index_head(ix.f, p, n);
		rc = write_all(p, pl, c, certdir, verifydir, ix.f, dg);
		if (n)
			fputs("</tbody>\n</table>\n", ix.f);
		fputs("<p><a href=\"../index.html\">", ix.f);
		vd_html_put(ix.f, _("Back to the printable pages"));
		fputs("</a></p>\n</body>\n</html>\n", ix.f);
		rc |= vd_outfile_close(&ix, dg);
	}
	free(certdir);
	free(verifydir);
	return rc ? -1 : 0;
}
