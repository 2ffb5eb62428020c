// SPDX-License-Identifier: GPL-2.0-only
// files: lima_sched.h
// The task's own dependency array goes, and queueing a task no longer needs
// its context: the scheduler job knows its entity since drm_sched_job_init().

@opt_deps_field@
@@
 struct lima_sched_task {
 ...
- struct xarray deps;
- unsigned long last_dep;
 ...
 };

@queue_task_proto@
symbol lima_sched_context_queue_task;
identifier context, task;
@@
  struct dma_fence *lima_sched_context_queue_task(
-	struct lima_sched_context *context,
	struct lima_sched_task *task);
