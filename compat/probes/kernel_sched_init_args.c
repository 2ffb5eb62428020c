// SPDX-License-Identifier: GPL-2.0-only
/*
 * KERNEL_SCHED_INIT_ARGS: the kernel's own <drm/gpu_scheduler.h> declares
 * int drm_sched_init(sched, const struct drm_sched_init_args *) and the
 * struct has the members ops, credit_limit, hang_limit, timeout, timeout_wq,
 * score, name and dev.  Set both for Debian's 6.1.191+ backport and for the
 * upstream form, which additionally has submit_wq and num_rqs (see
 * KERNEL_SCHED_INIT_ARGS_SUBMIT_WQ).
 *
 * Describes the IN-TREE scheduler (gpu-sched.ko), for test and benchmark
 * code that drives it; gpu-sched-deps itself never includes this header.
 * Upstream: "drm/sched: Use struct for drm_sched_init() params" (Linux
 * 6.15); Debian 6.1.191 carries a backport with a smaller struct.
 * Fallback: the positional forms (KERNEL_SCHED_INIT_DEV,
 * KERNEL_SCHED_INIT_TIMEOUT_WQ).
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
		.credit_limit = 1,
		.hang_limit = 0,
		.timeout = 1,
		.timeout_wq = NULL,
		.score = NULL,
		.name = "gsd-probe",
		.dev = NULL,
	};

	return init(sched, &args);
}
