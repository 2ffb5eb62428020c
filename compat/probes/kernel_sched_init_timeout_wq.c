// SPDX-License-Identifier: GPL-2.0-only
/*
 * KERNEL_SCHED_INIT_TIMEOUT_WQ: the kernel's drm_sched_init() is the
 * 8-argument positional form (sched, ops, hw_submission, hang_limit,
 * timeout, struct workqueue_struct *timeout_wq, atomic_t *score, name).
 *
 * Describes the IN-TREE scheduler, like KERNEL_SCHED_INIT_ARGS.
 * Upstream: "drm/sched: Allow using a dedicated workqueue for the
 * timeout/fault tdr" (Linux 5.15); 6.0 appended a struct device * (see
 * KERNEL_SCHED_INIT_DEV).
 * Fallback: none probed; 5.4/5.10 have the 6-argument form without
 * timeout_wq and score.
 */
#include <drm/gpu_scheduler.h>

int gsd_probe(void);
int gsd_probe(void)
{
	int (*init)(struct drm_gpu_scheduler *,
		    const struct drm_sched_backend_ops *, u32, unsigned int,
		    long, struct workqueue_struct *, atomic_t *,
		    const char *) = drm_sched_init;

	return !!init;
}
