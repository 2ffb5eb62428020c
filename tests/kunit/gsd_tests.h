/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The suites of gpu-sched-deps-test.ko, registered together in main.c (one
 * kunit_test_suites() per module works on every KUnit and on the fallback).
 */
#ifndef GSD_TESTS_H
#define GSD_TESTS_H

#include <kunit/test.h>

/*
 * The suites use kunit_skip() and KUNIT_EXPECT_NULL() and friends (KUnit of
 * Linux 5.18 and later); an older KUnit must get the fallback instead.
 */
#if !defined(GSD_KUNIT_FALLBACK) && \
	(!defined(kunit_skip) || !defined(KUNIT_EXPECT_NULL))
#error "this kernel's KUnit is too old for the gpu-sched-deps suites; the kunit_usable feature test should have selected tests/kunit/fallback"
#endif

extern struct kunit_suite gsd_submit_suite;
extern struct kunit_suite gsd_deps_suite;
extern struct kunit_suite gsd_implicit_suite;
extern struct kunit_suite gsd_job_suite;
extern struct kunit_suite gsd_entity_suite;
extern struct kunit_suite gsd_recovery_suite;
extern struct kunit_suite gsd_reset_suite;
extern struct kunit_suite gsd_stress_suite;
extern struct kunit_suite gsd_fault_suite;

#endif /* GSD_TESTS_H */
