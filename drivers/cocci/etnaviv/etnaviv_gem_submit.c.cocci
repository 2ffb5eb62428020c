// SPDX-License-Identifier: GPL-2.0-only
// files: etnaviv_gem_submit.c
//
// The submit ioctl initialises the scheduler job once the submit exists,
// hands it the in-fence and (under the BO reservation locks) the implicit
// fences, and pushes it.  The kref release cleans up the scheduler job of a
// submit that was never pushed; once pushed, free_job does that.

@ioctl_job_init exists@
identifier submit, ret, L;
expression E;
@@
  submit->ctx = E;
+ ret = drm_sched_job_init(&submit->sched_job,
+			   &ctx->sched_entity[args->pipe], submit->ctx);
+ if (ret)
+	goto L;
  ...
  ret = submit_lookup_objects(...);
  if (ret)
  	goto L;

@in_fence@
identifier submit, ret, L;
expression FD;
@@
- submit->in_fence = sync_file_get_fence(FD);
- if (!submit->in_fence) {
+ in_fence = sync_file_get_fence(FD);
+ if (!in_fence) {
  	ret = -EINVAL;
  	goto L;
  }
+ ret = drm_sched_job_add_dependency(&submit->sched_job, in_fence);
+ if (ret)
+	goto L;

@in_fence_decl@
identifier ctx;
@@
  etnaviv_ioctl_gem_submit(...)
  {
  struct etnaviv_file_private *ctx = ...;
+ struct dma_fence *in_fence;
  ...
  }

// Implicit fences: a writer waits for all fences of the BO, a reader for the
// exclusive one, as before.
@implicit@
identifier bo, robj, ret;
expression W;
@@
(
- if (W) {
- 	ret = dma_resv_get_fences(robj, &bo->excl, &bo->nr_shared, &bo->shared);
- 	if (ret)
- 		return ret;
- } else {
- 	bo->excl = dma_resv_get_excl_unlocked(robj);
- }
+ ret = drm_sched_job_add_implicit_dependencies(&submit->sched_job,
+						&bo->obj->base, W);
+ if (ret)
+	return ret;
|
- if (W) {
- 	ret = dma_resv_get_fences_rcu(robj, &bo->excl, &bo->nr_shared, &bo->shared);
- 	if (ret)
- 		return ret;
- } else {
- 	bo->excl = dma_resv_get_excl_rcu(robj);
- }
+ ret = drm_sched_job_add_implicit_dependencies(&submit->sched_job,
+						&bo->obj->base, W);
+ if (ret)
+	return ret;
)

@push_call@
expression E, S;
@@
  etnaviv_sched_push_job(
-	E,
	S)

// The kref release: no in-fence of its own; the scheduler job of a submit
// that never reached the scheduler.
@cleanup@
identifier submit;
@@
 submit_cleanup(...)
 {
 ...
- if (submit->in_fence)
- 	dma_fence_put(submit->in_fence);
+ if (submit->sched_job.s_fence)
+	drm_sched_job_cleanup(&submit->sched_job);
 ...
 }

@cleanup_doc@
identifier submit;
@@
+	/*
+	 * free_job cleaned up the scheduler job of a submit that was pushed;
+	 * one dropped before that still owns its scheduler state.
+	 */
	if (submit->sched_job.s_fence)
		drm_sched_job_cleanup(&submit->sched_job);
