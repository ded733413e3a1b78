/* test_strbuf.c -- the string buffer (appending bytes, strings and
 * numbers, reset, take) and the hash (FNV-1a's published values, and how
 * state/events.csv's keys and content hashes are made of it). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "hash.h"
#include "icsstate.h"
#include "strbuf.h"

static void test_append(void **state)
{
	(void)state;
	struct vd_strbuf b = { 0 };
	vd_strbuf_catn(&b, "", 0);                /* allocates: s is a string */
	assert_non_null(b.s);
	assert_string_equal(b.s, "");
	vd_strbuf_cat(&b, "村医");
	vd_strbuf_catn(&b, "ab\0cd", 5);          /* NULs are bytes like others */
	assert_int_equal(b.n, 6 + 5);
	assert_memory_equal(b.s, "村医ab\0cd", 12);   /* and the NUL after them */
	/* growth keeps what is there */
	for (int i = 0; i < 1000; i++)
		vd_strbuf_cat(&b, "0123456789");
	assert_int_equal(b.n, 11 + 10000);
	assert_true(b.cap > b.n);
	assert_memory_equal(b.s + 11 + 9990, "0123456789", 11);
	size_t cap = b.cap;
	vd_strbuf_reset(&b);
	assert_int_equal(b.n, 0);
	assert_string_equal(b.s, "");
	assert_int_equal(b.cap, cap);             /* memory kept for reuse */
	vd_strbuf_free(&b);
	assert_null(b.s);
	assert_int_equal(b.n + b.cap, 0);
}

static void test_numbers(void **state)
{
	(void)state;
	struct vd_strbuf b = { 0 };
	vd_strbuf_num(&b, 0);
	vd_strbuf_cat(&b, ",");
	vd_strbuf_num(&b, 7);
	vd_strbuf_cat(&b, ",");
	vd_strbuf_num(&b, 1000);
	vd_strbuf_cat(&b, ",");
	vd_strbuf_num(&b, UINTMAX_MAX);
	assert_string_equal(b.s, "0,7,1000,18446744073709551615");
	vd_strbuf_free(&b);
}

static void test_take(void **state)
{
	(void)state;
	struct vd_strbuf b = { 0 };
	char *s = vd_strbuf_take(&b);             /* never NULL, even unused */
	assert_string_equal(s, "");
	free(s);
	vd_strbuf_cat(&b, "课次：第");
	vd_strbuf_num(&b, 3);
	s = vd_strbuf_take(&b);
	assert_string_equal(s, "课次：第3");
	assert_null(b.s);                         /* b is empty and reusable */
	assert_int_equal(b.n + b.cap, 0);
	vd_strbuf_cat(&b, "x");
	assert_string_equal(b.s, "x");
	assert_string_equal(s, "课次：第3");      /* the taken text is the caller's */
	free(s);
	vd_strbuf_free(&b);
}

static void test_fnv1a(void **state)
{
	(void)state;
	/* the published FNV-1a 64 test vectors */
	assert_true(vd_fnv1a(VD_FNV1A_INIT, "", 0) == 0xcbf29ce484222325u);
	assert_true(vd_fnv1a(VD_FNV1A_INIT, "a", 1) == 0xaf63dc4c8601ec8cu);
	assert_true(vd_fnv1a(VD_FNV1A_INIT, "foobar", 6) == 0x85944171f73967e8u);
	assert_true(vd_fnv1a_str(VD_FNV1A_INIT, "foobar") == 0x85944171f73967e8u);
	/* continuing a hash is hashing the concatenation */
	assert_true(vd_fnv1a(vd_fnv1a(VD_FNV1A_INIT, "foo", 3), "bar", 3) == 0x85944171f73967e8u);
	assert_true(vd_fnv1a_str(vd_fnv1a(VD_FNV1A_INIT, "foo", 3), "bar") == 0x85944171f73967e8u);
}

static void test_event_hashes(void **state)
{
	(void)state;
	/* the key of (calendar 3, uid): the calendar as 4 bytes, little-endian */
	static const char uid[] = "tcm-s1.doctor-d0001.tianyang-2026-spring@vdsched";
	assert_true(vd_ev_key(3, uid, strlen(uid)) ==
	            vd_fnv1a(vd_fnv1a(VD_FNV1A_INIT, "\3\0\0\0", 4), uid, strlen(uid)));
	/* the content hash leaves out UID and the stamps and unfolds lines */
	static const char ev[] = "BEGIN:VEVENT\r\nUID:x\r\nDTSTAMP:20260101T000000Z\r\n"
		"SEQUENCE:0\r\nSUMMARY:a\r\n b\r\nEND:VEVENT\r\n";
	static const char kept[] = "BEGIN:VEVENT\r\nSUMMARY:ab\r\nEND:VEVENT\r\n";
	assert_true(vd_ev_hash(ev, strlen(ev)) == vd_fnv1a(VD_FNV1A_INIT, kept, strlen(kept)));
	/* the value as an FNV-1a written apart (Python) computes it */
	assert_true(vd_ev_hash(ev, strlen(ev)) == 0xb70311912b9a7bbfu);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_append),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_take),
		cmocka_unit_test(test_fnv1a),
		cmocka_unit_test(test_event_hashes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
