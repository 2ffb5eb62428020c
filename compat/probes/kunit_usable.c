// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUNIT_USABLE: the kernel is configured with CONFIG_KUNIT (=y or =m) and a
 * module can define a struct kunit_suite and register it with
 * kunit_test_suites(&suite).
 *
 * Upstream: "kunit: test: add KUnit test runner core" (Linux 5.5);
 * kunit_test_suites(&suite) and suites in modules since "kunit: allow kunit
 * tests to be loaded as a module" (Linux 5.6).
 * Fallback: none; the KUnit suites (make tests) cannot be built and the test
 * harness reports them as skipped.
 */
#include <kunit/test.h>

#if !IS_ENABLED(CONFIG_KUNIT)
#error "the kernel is configured without CONFIG_KUNIT"
#endif

static void gsd_probe_case(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, 1, 1);
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
