// SPDX-License-Identifier: GPL-2.0-only
// files: panfrost_drv.c
//
// The submit ioctl initialises the scheduler job as soon as the job slot is
// known, before in-syncs are looked up; the in-sync fences go to
// drm_sched_job_add_dependency().

@opt_in_sync_xarray@
identifier job;
expression F;
@@
- drm_gem_fence_array_add(&job->deps, F)
+ drm_sched_job_add_dependency(&job->base, F)

// 5.4/5.10: the in-syncs went to an array of their own, and a failed
// lookup of a handle other than -EINVAL was ignored (the last lookup's
// status is returned); that stays so.
@opt_in_sync_arrays@
identifier job, ret, L, i, F, H;
expression P, FL, N;
@@
- job->in_fence_count = N;
+ u32 in_fence_count = N;
  ...
- if (!job->in_fence_count)
+ if (!in_fence_count)
  	return 0;
-
- job->in_fences = kvmalloc_array(...);
- if (!job->in_fences) {
- 	...
- }
  <...
- job->in_fence_count
+ in_fence_count
  ...>
  for (i = 0; i < 
- job->in_fence_count
+ in_fence_count
    ; i++) {
- 	ret = drm_syncobj_find_fence(F, H[i], P, FL, &job->in_fences[i]);
- 	if (ret == -EINVAL)
- 		goto L;
+ 	struct dma_fence *fence = NULL;
+ 	int err;
+
+ 	ret = drm_syncobj_find_fence(F, H[i], P, FL, &fence);
+ 	if (ret == -EINVAL)
+ 		goto L;
+ 	err = drm_sched_job_add_dependency(&job->base, fence);
+ 	if (err) {
+ 		ret = err;
+ 		goto L;
+ 	}
  }

@opt_lookup_bos_arrays@
identifier job;
@@
- job->implicit_fences = kvmalloc_array(...);
- if (!job->implicit_fences)
- 	return -ENOMEM;

@opt_ioctl_xarray exists@
identifier job;
@@
 panfrost_ioctl_submit(...)
 {
 ...
- xa_init_flags(&job->deps, XA_FLAGS_ALLOC);
 ...
 }

// Initialise the scheduler job as soon as the slot is known.
@ioctl_job_init exists@
identifier job, ret, L;
expression E;
@@
 job->file_priv = E;
+
+	ret = drm_sched_job_init(&job->base,
+				 &job->file_priv->sched_entity[panfrost_job_get_slot(job)],
+				 NULL);
+	if (ret)
+		goto L;
 ...
 ret = panfrost_copy_in_sync(...);
 if (ret)
 	goto L;
