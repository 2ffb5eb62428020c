// SPDX-License-Identifier: GPL-2.0-only
/*
 * KERNEL_SCHED_INIT_ARGS_SUBMIT_WQ: the kernel's struct drm_sched_init_args
 * also has submit_wq and num_rqs (the upstream layout).  Callers must then
 * set num_rqs (normally DRM_SCHED_PRIORITY_COUNT).
 *
 * Describes the IN-TREE scheduler, like KERNEL_SCHED_INIT_ARGS.
 * Upstream: "drm/sched: Use struct for drm_sched_init() params" (Linux
 * 6.15); Debian's 6.12 kernels carry it as a backport.  Debian 6.1.191+ has
 * the struct without these two members.
 * Fallback: leave the two members out (KERNEL_SCHED_INIT_ARGS alone).
 */
#include <drm/gpu_scheduler.h>

int gsd_probe(struct drm_gpu_scheduler *sched,
	      const struct drm_sched_backend_ops *ops);
int gsd_probe(struct drm_gpu_scheduler *sched,
	      const struct drm_sched_backend_ops *ops)
{
	int (*init)(struct drm_gpu_scheduler *,
		    const struct drm_sched_init_args *) = drm_sched_init;
	const struct drm_sched_init_args args = {
		.ops = ops,
		.submit_wq = NULL,
		.num_rqs = DRM_SCHED_PRIORITY_COUNT,
		.credit_limit = 1,
		.timeout = 1,
		.name = "gsd-probe",
	};

	return init(sched, &args);
}
