// SPDX-License-Identifier: GPL-2.0-only
// files: v3d_gem.c
//
// v3d submission with the dependency API:
// - v3d_job_init() gains the queue, initialises the scheduler job right
//   away and hands the in-sync fence to drm_sched_job_add_dependency();
// - the implicit fences of the BOs are added under their reservation locks
//   with drm_sched_job_add_implicit_dependencies();
// - v3d_push_job() arms and pushes and cannot fail; a job of a chain
//   (bin -> render -> cache clean, csd -> cache clean) is made to wait for
//   its predecessor with v3d_job_add_chain_dep(), which cannot fail either,
//   so nothing can go wrong between the first arm and the last push;
// - the kref release cleans up the scheduler job of a job that was never
//   pushed (pushed jobs are cleaned up by free_job), so the error paths
//   stay as they are.

// The job's kref release: no dependency array to drain any more.
@free_kref@
identifier job, index, fence;
iterator name xa_for_each;
@@
 v3d_job_free(...)
 {
 ...
- unsigned long index;
- struct dma_fence *fence;
 ...
- xa_for_each(&job->deps, index, fence) {
-	dma_fence_put(fence);
- }
- xa_destroy(&job->deps);
+	if (job->base.s_fence)
+		drm_sched_job_cleanup(&job->base);
 ...
 }

@free_kref_doc@
identifier free_kref.job;
@@
+	/*
+	 * free_job cleaned up the scheduler job of a job that was pushed; a
+	 * job dropped before that still owns its scheduler state.
+	 */
	if (job->base.s_fence)
		drm_sched_job_cleanup(&job->base);

// v3d_job_init(): job_init first, then the in-sync dependency.
@job_init exists@
identifier file_priv, job, in_sync, in_fence, fail, ret;
expression DEV;
@@
 v3d_job_init(...,
	struct drm_file *file_priv,
	struct v3d_job *job, ...,
-	u32 in_sync
+	u32 in_sync, enum v3d_queue queue
 )
 {
+	struct v3d_file_priv *v3d_priv = file_priv->driver_priv;
 ...
-	xa_init_flags(&job->deps, XA_FLAGS_ALLOC);
+	ret = drm_sched_job_init(&job->base, &v3d_priv->sched_entity[queue],
+				 v3d_priv);
+	if (ret) {
+		pm_runtime_put_autosuspend(DEV);
+		return ret;
+	}
 ...
-	ret = drm_gem_fence_array_add(&job->deps, in_fence);
+	ret = drm_sched_job_add_dependency(&job->base, in_fence);
 ...
 fail:
-	xa_destroy(&job->deps);
+	drm_sched_job_cleanup(&job->base);
	pm_runtime_put_autosuspend(DEV);
 ...
 }

// Every caller passes the queue the job is later pushed to.
@push_queue@
identifier fn;
expression P, J, Q;
@@
 fn(...) { <... v3d_push_job(P, J, Q) ...> }

@init_queue@
identifier push_queue.fn;
expression push_queue.J, push_queue.Q;
expression V, F, FR, S;
@@
 fn(...) { <...
 v3d_job_init(V, F, J, FR, S
+	     , Q
 )
 ...> }

@no_init_without_queue@
expression V, F, J, FR, S;
@@
 v3d_job_init(V, F, J, FR, S)

// v3d_push_job(): arm and push; cannot fail.
@push_def@
identifier priv, job, queue, ret;
expression E, O;
@@
- int
+ void
  v3d_push_job(
-	struct v3d_file_priv *priv, struct v3d_job *job, enum v3d_queue queue
+	struct v3d_job *job
  )
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

@chain_helper@
identifier fn = v3d_push_job;
@@
 fn(...) {...}
+static void
+v3d_job_add_chain_dep(struct v3d_job *job, struct dma_fence *fence)
+{
+	if (drm_sched_job_add_dependency(&job->base, dma_fence_get(fence)))
+		dma_fence_wait(fence, false);
+}

@chain_helper_doc@
identifier fn = v3d_job_add_chain_dep;
@@
+/*
+ * Makes @job wait for @fence, the done fence of a job of the same submission
+ * that was pushed already.  This must not fail, as the earlier job runs
+ * anyway: should the dependency not fit (no memory), wait for the fence
+ * right here instead, which orders the two jobs just the same.
+ */
 fn(...) {...}

// Chained jobs: the dependency on the predecessor's done fence.
@chain_direct@
expression K, E;
identifier ret, L;
@@
(
- ret = drm_gem_fence_array_add(&K.deps, dma_fence_get(E.done_fence));
+ v3d_job_add_chain_dep(&K, E.done_fence);
|
- ret = drm_gem_fence_array_add(&K->deps, dma_fence_get(E.done_fence));
+ v3d_job_add_chain_dep(K, E.done_fence);
|
- ret = drm_gem_fence_array_add(&K.deps, dma_fence_get(E->done_fence));
+ v3d_job_add_chain_dep(&K, E->done_fence);
|
- ret = drm_gem_fence_array_add(&K->deps, dma_fence_get(E->done_fence));
+ v3d_job_add_chain_dep(K, E->done_fence);
)
- if (ret)
- 	goto L;

// 5.10+: the render -> cache clean step takes the fence into a local first.
@opt_chain_local@
expression K, E;
identifier ret, L, f;
@@
- struct dma_fence *f = dma_fence_get(E);
  ... when != f
(
- ret = drm_gem_fence_array_add(&K.deps, f);
+ v3d_job_add_chain_dep(&K, E);
|
- ret = drm_gem_fence_array_add(&K->deps, f);
+ v3d_job_add_chain_dep(K, E);
)
- if (ret)
- 	goto L;

@push_call@
expression P, J, Q;
identifier ret, L;
@@
- ret = v3d_push_job(P, J, Q);
- if (ret)
- 	goto L;
+ v3d_push_job(J);

// Implicit fences of the BOs, added while their reservations are locked.
@implicit@
expression J, O, W;
@@
- drm_gem_fence_array_add_implicit(&J->deps, O, W)
+ drm_sched_job_add_implicit_dependencies(&J->base, O, W)

// Nothing fails under sched_lock any more: drop the label that unlocked it
// (and, where only that label reached it, the reservation unlock after it).
@initialize:python@
@@
gotos = set()

@goto_used@
identifier L;
position p;
@@
 goto L@p;

@script:python@
L << goto_used.L;
p << goto_used.p;
@@
gotos.add((p[0].current_element, L))

@unreserve_label@
identifier L;
expression E;
position p;
@@
 L@p: mutex_unlock(&E->sched_lock);

@script:python@
L << unreserve_label.L;
p << unreserve_label.p;
@@
if (p[0].current_element, L) in gotos:
	cocci.include_match(False)

@unreserve_label_gone@
identifier unreserve_label.L;
expression unreserve_label.E;
position unreserve_label.p;
expression A, B, C;
identifier L2;
@@
(
- L@p:
- mutex_unlock(&E->sched_lock);
- drm_gem_unlock_reservations(A, B, C);
  L2:
|
- L@p:
- mutex_unlock(&E->sched_lock);
)

// Submit ioctls that used their v3d_file_priv only for the push.
@opt_unused_priv@
identifier fn, p;
expression E;
@@
 fn(...) {
 ...
- struct v3d_file_priv *p = E;
 ... when != p
 }

// csd: the job was freed twice when the clean job could not be allocated.
@opt_csd_double_free@
expression J;
@@
 v3d_job_put(&J->base);
- kfree(J);
