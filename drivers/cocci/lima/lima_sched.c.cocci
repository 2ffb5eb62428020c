// SPDX-License-Identifier: GPL-2.0-only
// files: lima_sched.c
//
// lima with the dependency API.  The scheduler job is initialised in
// lima_sched_task_init() as before; the submit adds the in-syncs and the
// implicit fences to it while the BO reservations are locked; then
// lima_sched_context_queue_task() arms and pushes.  Nothing can fail after
// arm, so the error path (lima_sched_task_fini() with
// drm_sched_job_cleanup()) only ever sees unarmed jobs.  lima has no lock
// of its own that spans arm and push; a small one makes the entity's seqno
// order its queue order also for concurrent submits.

@opt_task_init_xarray@
identifier task;
@@
- xa_init_flags(&task->deps, XA_FLAGS_ALLOC);

@opt_task_fini_xarray@
identifier task, index, fence;
iterator name xa_for_each;
@@
 lima_sched_task_fini(...)
 {
 ...
- struct dma_fence *fence;
- unsigned long index;
 ...
- xa_for_each(&task->deps, index, fence) {
-	dma_fence_put(fence);
- }
- xa_destroy(&task->deps);
 ...
 }

@queue_task@
identifier context, task, fence;
expression E;
@@
  struct dma_fence *lima_sched_context_queue_task(
-	struct lima_sched_context *context,
	struct lima_sched_task *task)
  {
- struct dma_fence *fence = dma_fence_get(&task->base.s_fence->finished);
+ struct dma_fence *fence;
+
+ mutex_lock(&lima_sched_queue_lock);
+ drm_sched_job_arm(&task->base);
+ fence = dma_fence_get(&task->base.s_fence->finished);
  ...
- drm_sched_entity_push_job(&task->base, E);
+ drm_sched_entity_push_job(&task->base);
+ mutex_unlock(&lima_sched_queue_lock);
  ...
  }

@queue_lock@
declarer name DEFINE_MUTEX;
@@
+/* Serialises drm_sched_job_arm() and drm_sched_entity_push_job(). */
+static DEFINE_MUTEX(lima_sched_queue_lock);
+
  struct dma_fence *lima_sched_context_queue_task(...) { ... }
