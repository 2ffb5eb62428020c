// SPDX-License-Identifier: GPL-2.0-only
// files: lima_gem.c
//
// In-syncs and implicit fences go to the scheduler job.
// drm_sched_job_add_dependency() consumes the fence also when it fails, so
// the extra dma_fence_put() on that path goes (it was a double put).

@in_sync@
expression T, F;
identifier err;
@@
- err = drm_gem_fence_array_add(&T->deps, F);
+ err = drm_sched_job_add_dependency(&T->base, F);
- if (err) {
-	dma_fence_put(F);
-	return err;
- }
+ if (err)
+	return err;

@implicit@
expression T, O, W;
@@
- drm_gem_fence_array_add_implicit(&T->deps, O, W)
+ drm_sched_job_add_implicit_dependencies(&T->base, O, W)

@queue_call@
expression C, T;
@@
  lima_sched_context_queue_task(
-	C,
	T)
