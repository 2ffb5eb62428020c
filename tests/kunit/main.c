// SPDX-License-Identifier: GPL-2.0-only
/*
 * gpu-sched-deps-test.ko: KUnit suites for gpu-sched-deps.ko.  With KUnit
 * they run when the module is loaded; with the fallback runner, from its
 * module_init.  Either way the results are printed as KTAP on the console
 * and loading the module succeeds whatever they are.
 */
#include <linux/module.h>

#include <drm/gpu_scheduler.h>

#include "gsd_tests.h"

kunit_test_suites(&gsd_submit_suite,
		  &gsd_deps_suite,
		  &gsd_implicit_suite,
		  &gsd_job_suite,
		  &gsd_entity_suite,
		  &gsd_recovery_suite,
		  &gsd_reset_suite,
		  &gsd_stress_suite,
		  &gsd_fault_suite);

MODULE_DESCRIPTION("KUnit tests of gpu-sched-deps");
MODULE_LICENSE("GPL");
