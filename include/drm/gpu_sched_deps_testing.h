/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Test hooks of gpu-sched-deps, present only in test builds (`make tests`,
 * which compiles the scheduler with GSD_FAULT_INJECTION).
 */
#ifndef GPU_SCHED_DEPS_TESTING_H
#define GPU_SCHED_DEPS_TESTING_H

#include <linux/types.h>

#ifdef GSD_FAULT_INJECTION
/*
 * Make the @nth allocation that gpu-sched-deps performs on behalf of the
 * calling task fail (1: the next one).  0 disarms.  Also resets the
 * allocation counter.
 */
void gsd_fault_inject_arm(unsigned int nth);
/* Allocations gpu-sched-deps performed for the calling task since arming. */
unsigned int gsd_fault_inject_allocs(void);
/* Whether the armed failure has been delivered. */
bool gsd_fault_inject_fired(void);
#endif

#endif /* GPU_SCHED_DEPS_TESTING_H */
