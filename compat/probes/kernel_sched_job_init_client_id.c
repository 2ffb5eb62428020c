// SPDX-License-Identifier: GPL-2.0-only
/*
 * KERNEL_SCHED_JOB_INIT_CLIENT_ID: the kernel's drm_sched_job_init() is
 * (job, entity, u32 credits, void *owner, u64 drm_client_id).
 *
 * Describes the IN-TREE scheduler, like KERNEL_SCHED_INIT_ARGS.
 * Upstream: "drm/sched: Store the drm client_id in drm_sched_fence"
 * (Linux 6.17); Debian's 6.12 kernels carry it as a backport.
 * Fallback: the 4-argument form (KERNEL_SCHED_JOB_INIT_CREDITS).
 */
#include <drm/gpu_scheduler.h>

int gsd_probe(void);
int gsd_probe(void)
{
	int (*init)(struct drm_sched_job *, struct drm_sched_entity *, u32,
		    void *, u64) = drm_sched_job_init;

	return !!init;
}
