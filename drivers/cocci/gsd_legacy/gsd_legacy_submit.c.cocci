// SPDX-License-Identifier: GPL-2.0-only
// files: gsd_legacy_submit.c
//
// gsd_legacy (the CI test driver, tests/convert/legacy) with the dependency
// API, the way v3d is converted:
// - the scheduler job is initialised as soon as the job exists, where its
//   fence array was set up;
// - in-fences and, under the reservation locks, the buffers' implicit
//   fences go to drm_sched_job_add_dependency() and
//   drm_sched_job_add_implicit_dependencies();
// - gsd_legacy_push_job() arms and pushes and cannot fail; the error label
//   that only its failure used goes;
// - gsd_legacy_job_free() cleans up the scheduler job of a job that was
//   never pushed (free_job cleaned up a pushed one already).

// Arm and push; the entity and owner of its job_init move to the submit.
@push_def@
identifier ctx, job, done, ret;
expression E, O;
@@
- int
+ void
  gsd_legacy_push_job(
-	struct gsd_legacy_ctx *ctx,
	struct gsd_legacy_job *job, struct dma_fence **done)
  {
- 	int ret;
-
- 	ret = drm_sched_job_init(&job->base, E, O);
- 	if (ret)
- 		return ret;
+	drm_sched_job_arm(&job->base);
 	...
- 	drm_sched_entity_push_job(&job->base, E);
+ 	drm_sched_entity_push_job(&job->base);
-
- 	return 0;
  }

@push_call@
identifier ret, L;
expression C, J, D;
@@
- ret = gsd_legacy_push_job(C, J, D);
- if (ret)
- 	goto L;
+ gsd_legacy_push_job(J, D);

// Nothing fails between job_init and push any more.
@push_label@
identifier push_call.L;
expression E;
@@
- L:
- mutex_unlock(&E->sched_lock);

// job_init where the fence array was set up.
@job_init@
identifier job;
expression push_def.E, push_def.O;
@@
 gsd_legacy_submit(...)
 {
 ...
- xa_init_flags(&job->deps, XA_FLAGS_ALLOC);
+ ret = drm_sched_job_init(&job->base, E, O);
+ if (ret) {
+	gsd_legacy_job_free(job);
+	return ret;
+ }
 ...
 }

@in_fences@
expression J, F;
@@
- drm_gem_fence_array_add(&J->deps, F)
+ drm_sched_job_add_dependency(&J->base, F)

@implicit@
expression J, O, W;
@@
- drm_gem_fence_array_add_implicit(&J->deps, O, W)
+ drm_sched_job_add_implicit_dependencies(&J->base, O, W)

// The job's release: no fence array to drain any more.
@free_deps@
identifier job, index, fence;
iterator name xa_for_each;
@@
 gsd_legacy_job_free(struct gsd_legacy_job *job)
 {
 ...
- struct dma_fence *fence;
- unsigned long index;
 ...
- xa_for_each(&job->deps, index, fence) {
- 	dma_fence_put(fence);
- }
- xa_destroy(&job->deps);
+	if (job->base.s_fence)
+		drm_sched_job_cleanup(&job->base);
 ...
 }

@no_fence_array_left@
expression J;
@@
 J->deps
