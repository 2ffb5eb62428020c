// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUNIT_USABLE: the kernel is configured with CONFIG_KUNIT (=y or =m) and a
 * module can define a struct kunit_suite and register it with
 * kunit_test_suites(&suite).
 *
 * Upstream: "kunit: test: add KUnit test runner core" (Linux 5.5);
 * kunit_test_suites(&suite) and suites in modules since "kunit: allow kunit
 * tests to be loaded as a module" (Linux 5.6).  The suites also use
 * kunit_skip() ("kunit: Support skipped tests", 5.14), KUNIT_EXPECT_NULL()
 * ("kunit: Introduce KUNIT_EXPECT_NULL and KUNIT_EXPECT_NOT_NULL macros",
 * 5.18) and kunit_kcalloc(), so an older KUnit counts as unusable.
 * Fallback: the suites build against tests/kunit/fallback/, a small KUnit
 * subset of our own that prints KTAP at module load.
 */
#include <kunit/test.h>

#if !IS_ENABLED(CONFIG_KUNIT)
#error "the kernel is configured without CONFIG_KUNIT"
#endif

static void gsd_probe_case(struct kunit *test)
{
	void *p = kunit_kcalloc(test, 2, 8, GFP_KERNEL);

	KUNIT_EXPECT_NOT_NULL(test, p);
	KUNIT_EXPECT_NULL(test, NULL);
	if (!p)
		kunit_skip(test, "no memory");
}

static struct kunit_case gsd_probe_cases[] = {
	KUNIT_CASE(gsd_probe_case),
	{}
};

static struct kunit_suite gsd_probe_suite = {
	.name = "gsd_probe",
	.test_cases = gsd_probe_cases,
};

kunit_test_suites(&gsd_probe_suite);
