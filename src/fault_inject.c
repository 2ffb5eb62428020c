// SPDX-License-Identifier: GPL-2.0-only
/*
 * Allocation fault injection for the test suites; compiled only into test
 * builds (`make tests`).  The failure is delivered to one task only, so that
 * concurrent users of the module are not disturbed.
 */
#include "sched_internal.h"

#include <linux/sched.h>
#include <linux/spinlock.h>
#include <drm/gpu_sched_deps_testing.h>

static DEFINE_SPINLOCK(gsd_fi_lock);
static struct task_struct *gsd_fi_task;
static unsigned int gsd_fi_nth;
static unsigned int gsd_fi_allocs;
static bool gsd_fi_fired;

/**
 * gsd_fault_inject_arm - fail one of the caller's next allocations
 * @nth: fail the nth allocation gpu-sched-deps makes for the calling task
 *	(1: the next one); 0 only counts
 */
void gsd_fault_inject_arm(unsigned int nth)
{
	spin_lock(&gsd_fi_lock);
	gsd_fi_task = current;
	gsd_fi_nth = nth;
	gsd_fi_allocs = 0;
	gsd_fi_fired = false;
	spin_unlock(&gsd_fi_lock);
}
EXPORT_SYMBOL_NS_GPL(gsd_fault_inject_arm, GPU_SCHED_DEPS);

/**
 * gsd_fault_inject_allocs - allocations made for the caller since arming
 *
 * Return: the number of allocations attempted, including a failed one.
 */
unsigned int gsd_fault_inject_allocs(void)
{
	unsigned int n;

	spin_lock(&gsd_fi_lock);
	n = gsd_fi_task == current ? gsd_fi_allocs : 0;
	spin_unlock(&gsd_fi_lock);
	return n;
}
EXPORT_SYMBOL_NS_GPL(gsd_fault_inject_allocs, GPU_SCHED_DEPS);

/**
 * gsd_fault_inject_fired - whether the armed failure was delivered
 *
 * Return: true once the nth allocation failed.
 */
bool gsd_fault_inject_fired(void)
{
	bool fired;

	spin_lock(&gsd_fi_lock);
	fired = gsd_fi_task == current && gsd_fi_fired;
	spin_unlock(&gsd_fi_lock);
	return fired;
}
EXPORT_SYMBOL_NS_GPL(gsd_fault_inject_fired, GPU_SCHED_DEPS);

bool gsd_fault_should_fail(void)
{
	bool fail = false;

	spin_lock(&gsd_fi_lock);
	if (gsd_fi_task == current) {
		gsd_fi_allocs++;
		if (gsd_fi_nth && gsd_fi_allocs == gsd_fi_nth) {
			gsd_fi_fired = true;
			fail = true;
		}
	}
	spin_unlock(&gsd_fi_lock);
	return fail;
}
