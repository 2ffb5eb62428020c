// SPDX-License-Identifier: GPL-2.0-only
// files: panfrost_job.h
// The job's own fence storage goes: the scheduler job tracks dependencies.
// The ioctl picks the job slot's entity for drm_sched_job_init(), so the
// slot lookup is no longer private to panfrost_job.c.

// 5.15: one xarray for explicit and implicit fences.
@opt_deps_field@
@@
 struct panfrost_job {
 ...
- struct xarray deps;
- unsigned long last_dep;
 ...
 };

// 5.4/5.10: an array of in-fences and one of implicit fences.
@opt_fence_arrays@
@@
 struct panfrost_job {
 ...
- struct dma_fence **in_fences;
- u32 in_fence_count;
 ...
- struct dma_fence **implicit_fences;
 ...
 };

@get_slot_proto@
identifier job;
@@
+ int panfrost_job_get_slot(struct panfrost_job *job);
  int panfrost_job_push(struct panfrost_job *job);
