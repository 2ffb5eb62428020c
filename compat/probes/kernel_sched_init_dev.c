// SPDX-License-Identifier: GPL-2.0-only
/*
 * KERNEL_SCHED_INIT_DEV: the kernel's drm_sched_init() is the 9-argument
 * positional form (sched, ops, hw_submission, hang_limit, timeout,
 * timeout_wq, score, name, struct device *dev).
 *
 * Describes the IN-TREE scheduler, like KERNEL_SCHED_INIT_ARGS.
 * Upstream: "drm/sched: Add device pointer to drm_gpu_scheduler" (Linux
 * 6.0); replaced by a longer list in 6.7/6.8 and by the args struct in 6.15
 * (Debian 6.1.191).
 * Fallback: the 8-argument 5.15 form (KERNEL_SCHED_INIT_TIMEOUT_WQ).
 */
#include <drm/gpu_scheduler.h>

int gsd_probe(void);
int gsd_probe(void)
{
	int (*init)(struct drm_gpu_scheduler *,
		    const struct drm_sched_backend_ops *, u32, unsigned int,
		    long, struct workqueue_struct *, atomic_t *, const char *,
		    struct device *) = drm_sched_init;

	return !!init;
}
