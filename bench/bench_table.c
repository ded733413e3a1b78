/* bench_table.c -- how fast the one table reader (csvread.h) reads a file:
 * a CSV file or a workbook's sheet, each record handed to a callback that
 * only counts it.
 *
 * Usage: bench_table FILE[#SHEET]... -- for each, prints the records, the
 * best of three CPU times (the machine may be shared) and the peak RSS so far.  bench/xlsx-read.sh
 * runs it on the same rosters as CSV and as .xlsx. */
#include <stdio.h>
#include <sys/resource.h>
#include <time.h>
#include "csvread.h"

static void count(void *ctx, struct vd_table *t, const struct vd_record *rec)
{
	(void)t;
	(void)rec;
	++*(size_t *)ctx;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct vd_diag dg;
	vd_diag_init(&dg, stderr);
	struct vd_table_opts opts = { .origin = VD_TABLE_FROM_PERSON, .field_max = 4096,
	                              .record_max = 65536 };
	for (int i = 1; i < argc; i++) {
		double best = 1e9;
		size_t n = 0;
		for (int round = 0; round < 3; round++) {
			struct vd_table *t = vd_table_new();
			n = 0;
			double t0 = now();
			int rc = vd_table_read(t, argv[i], &opts, &dg, count, &n);
			double dt = now() - t0;
			int bad = rc != 0 || vd_table_errors(t) != 0;
			vd_table_free(t);
			if (bad) {
				fprintf(stderr, "bench_table: %s could not be read\n", argv[i]);
				return 1;
			}
			best = dt < best ? dt : best;
		}
		struct rusage ru;
		getrusage(RUSAGE_SELF, &ru);
		printf("%-40s %7zu records %8.1f ms CPU  (peak RSS %ld KiB)\n", argv[i], n, best * 1e3,
		       ru.ru_maxrss);
	}
	return 0;
}
