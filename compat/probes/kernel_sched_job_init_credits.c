// SPDX-License-Identifier: GPL-2.0-only
/*
 * KERNEL_SCHED_JOB_INIT_CREDITS: the kernel's drm_sched_job_init() takes a
 * u32 credits argument after the entity: (job, entity, credits, owner), or
 * the later (job, entity, credits, owner, drm_client_id).  Check
 * KERNEL_SCHED_JOB_INIT_CLIENT_ID first to tell the two apart.
 *
 * Describes the IN-TREE scheduler, like KERNEL_SCHED_INIT_ARGS.
 * Upstream: "drm/sched: implement dynamic job-flow control" (Linux 6.8).
 * Fallback: the 3-argument (job, entity, owner) form.
 */
#include <linux/build_bug.h>
#include <drm/gpu_scheduler.h>

typedef int (*gsd_job_init_credits_fn)(struct drm_sched_job *,
				       struct drm_sched_entity *, u32, void *);
typedef int (*gsd_job_init_client_fn)(struct drm_sched_job *,
				      struct drm_sched_entity *, u32, void *,
				      u64);

static_assert(__same_type(&drm_sched_job_init, gsd_job_init_credits_fn) ||
	      __same_type(&drm_sched_job_init, gsd_job_init_client_fn),
	      "drm_sched_job_init() takes no credits argument");
