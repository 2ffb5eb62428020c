// SPDX-License-Identifier: GPL-2.0-only
/*
 * SCHED_SETSCHEDULER_EXPORTED: sched_setscheduler() is declared with the
 * (task, policy, const struct sched_param *) prototype AND the kernel's
 * Module.symvers lists it as exported.
 *
 * Upstream: "sched: Remove sched_setscheduler*() EXPORTs" (Linux 5.9); up to
 * 5.8 it is exported.  Vendor trees deviate: the Rockchip 5.10 BSP still
 * exports it.
 * Fallback: none needed when SCHED_SET_FIFO_LOW is set; with neither,
 * gsd_compat.h stops the build with an #error.
 *
 * gsd-probe-export: sched_setscheduler
 */
#include <linux/sched.h>

int gsd_probe(void);
int gsd_probe(void)
{
	int (*fn)(struct task_struct *, int, const struct sched_param *) =
		sched_setscheduler;

	return !!fn;
}
