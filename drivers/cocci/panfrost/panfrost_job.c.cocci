// SPDX-License-Identifier: GPL-2.0-only
// files: panfrost_job.c
//
// panfrost with the dependency API: the ioctl initialises the scheduler job
// (so the slot lookup becomes public); panfrost_job_push() adds the implicit
// fences while the BO reservations are locked, before anything is armed,
// then arms and pushes under sched_lock with nothing that can fail in
// between.  The kref release cleans up the scheduler job of a job that was
// never pushed (pushed ones are cleaned up by free_job).

@get_slot_public@
@@
- static
  int panfrost_job_get_slot(...) { ... }

// The implicit fences of every BO (panfrost only has write mode).
// 5.15: one xarray took them.
@opt_acquire_xarray@
identifier bos, count, xa, i;
expression W;
@@
  panfrost_acquire_object_fences(struct drm_gem_object **bos, int count,
-	struct xarray *xa
+	struct drm_sched_job *job
  )
  {
  <+...
- drm_gem_fence_array_add_implicit(xa, bos[i], W)
+ drm_sched_job_add_implicit_dependencies(job, bos[i], W)
  ...+>
  }

// 5.4/5.10: only the exclusive fence of each BO was waited for.  Every BO
// gets panfrost's fence as exclusive fence, i.e. is treated as written, so
// the converted driver waits for all fences (readers too), as 5.15 does
// after its implicit-sync fix: see drivers/README.md.
@opt_acquire_arrays@
identifier bos, count, fences, i;
expression E;
@@
- static void
+ static int
  panfrost_acquire_object_fences(struct drm_gem_object **bos, int count,
-	struct dma_fence **fences
+	struct drm_sched_job *job
  )
  {
  int i;
+ int ret;

  for (i = 0; i < count; i++)
- 	fences[i] = E;
+ 	{
+ 		ret = drm_sched_job_add_implicit_dependencies(job, bos[i], true);
+ 		if (ret)
+ 			return ret;
+ 	}
+ 	return 0;
  }

@opt_acquire_arrays_doc depends on opt_acquire_arrays@
identifier fn = panfrost_acquire_object_fences;
@@
+/* panfrost writes every BO it uses: the job waits for all their fences. */
 fn(...) {...}

@no_acquire_old@
identifier bos, count, fences;
@@
  panfrost_acquire_object_fences(struct drm_gem_object **bos, int count,
	struct dma_fence **fences)
  { ... }

// 5.15: implicit fences collected after job_init under sched_lock; now
// before arm, and arm replaces job_init.
@opt_push_xarray@
identifier job, ret, L, entity;
expression LOCK, A, B, C, O, X, Y;
@@
 panfrost_job_push(struct panfrost_job *job)
 {
 ...
 ret = drm_gem_lock_reservations(A, B, C);
 if (ret)
 	return ret;
+
+	ret = panfrost_acquire_object_fences(X, Y, &job->base);
+	if (ret)
+		goto L;
 
 mutex_lock(LOCK);
-
- ret = drm_sched_job_init(&job->base, entity, O);
- if (ret) {
- 	mutex_unlock(LOCK);
- 	goto L;
- }
+	drm_sched_job_arm(&job->base);
 
 job->render_done_fence = dma_fence_get(&job->base.s_fence->finished);
-
- ret = panfrost_acquire_object_fences(X, Y, &job->deps);
- if (ret) {
- 	mutex_unlock(LOCK);
- 	goto L;
- }
 ...
- drm_sched_entity_push_job(&job->base, entity);
+ drm_sched_entity_push_job(&job->base);
 ...
 }

// 5.4/5.10: job_init, then the exclusive fences collected, under
// sched_lock; now the implicit dependencies first, then arm.
@opt_push_arrays@
identifier job, ret, entity;
expression O, X, Y, F;
@@
 panfrost_job_push(struct panfrost_job *job)
 {
 ...
- ret = drm_sched_job_init(&job->base, entity, O);
+ ret = panfrost_acquire_object_fences(X, Y, &job->base);
  if (ret) {
  	...
  }
+
+	drm_sched_job_arm(&job->base);
  ...
- panfrost_acquire_object_fences(X, Y, F);
  ...
- drm_sched_entity_push_job(&job->base, entity);
+ drm_sched_entity_push_job(&job->base);
 ...
 }

@no_push_old@
expression J, E;
@@
  drm_sched_entity_push_job(J, E)

@opt_push_unused_entity@
identifier job, entity, slot;
expression E;
@@
 panfrost_job_push(struct panfrost_job *job)
 {
 ...
- int slot = panfrost_job_get_slot(job);
- struct drm_sched_entity *entity = E;
 ... when != slot
     when != entity
 }

// The job's kref release: no fence storage of its own any more.
@opt_cleanup_xarray@
identifier job, index, fence;
iterator name xa_for_each;
@@
 panfrost_job_cleanup(...)
 {
 ...
- struct dma_fence *fence;
- unsigned long index;
 ...
- xa_for_each(&job->deps, index, fence) {
-	dma_fence_put(fence);
- }
- xa_destroy(&job->deps);
+	if (job->base.s_fence)
+		drm_sched_job_cleanup(&job->base);
 ...
 }

@opt_cleanup_arrays@
identifier job, i;
@@
 panfrost_job_cleanup(...)
 {
 ...
- if (job->in_fences) {
- 	for (i = 0; i < job->in_fence_count; i++)
- 		dma_fence_put(job->in_fences[i]);
- 	kvfree(job->in_fences);
- }
- if (job->implicit_fences) {
- 	for (i = 0; i < job->bo_count; i++)
- 		dma_fence_put(job->implicit_fences[i]);
- 	kvfree(job->implicit_fences);
- }
+	if (job->base.s_fence)
+		drm_sched_job_cleanup(&job->base);
 ...
 }

@cleanup_doc@
identifier job;
@@
+	/*
+	 * free_job cleaned up the scheduler job of a job that was pushed; a
+	 * job dropped before that still owns its scheduler state.
+	 */
	if (job->base.s_fence)
		drm_sched_job_cleanup(&job->base);
