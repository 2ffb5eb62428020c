// SPDX-License-Identifier: GPL-2.0-only
/*
 * SCHED_SET_FIFO_LOW: sched_set_fifo_low(struct task_struct *) is declared.
 *
 * Upstream: "sched: Provide sched_set_fifo()" (Linux 5.9); the same series
 * removed the sched_setscheduler() exports.
 * Fallback: gsd_sched_thread_set_fifo_low() calls
 * sched_setscheduler(SCHED_FIFO, priority 1) when that is exported (see
 * sched_setscheduler_exported.c).
 */
#include <linux/sched.h>

int gsd_probe(void);
int gsd_probe(void)
{
	void (*fn)(struct task_struct *) = sched_set_fifo_low;

	return !!fn;
}
