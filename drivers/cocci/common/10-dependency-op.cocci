// SPDX-License-Identifier: GPL-2.0-only
// The backend's ->dependency op goes away: dependencies are handed to the
// scheduler with drm_sched_job_add_dependency() before the job is pushed.
// Removes the op from every struct drm_sched_backend_ops and the function
// that implemented it.

@dep_op@
identifier ops, fn;
@@
 struct drm_sched_backend_ops ops = {
-	.dependency = fn,
 };

@dep_fn@
identifier dep_op.fn;
@@
- fn(...) { ... }
