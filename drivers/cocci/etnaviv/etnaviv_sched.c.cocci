// SPDX-License-Identifier: GPL-2.0-only
// files: etnaviv_sched.c
//
// etnaviv_sched_push_job(): the scheduler job was initialised by the ioctl.
// Under fence_lock the out-fence id is reserved first, while nothing is
// armed yet, with no fence behind it (a failure leaves an unarmed job for
// the ioctl to drop).  WAIT_FENCE looks ids up under RCU alone, and ids are
// sequential: until the job is armed, a lookup of the reserved id finds
// nothing, as for an id not allocated yet, never an unarmed fence.  Then
// arm, publish the armed finished fence under the reserved id (idr_replace
// cannot fail for it) and push, with nothing that can fail in between.

@push_def@
identifier entity, submit, ret, L;
expression O, E;
@@
  int etnaviv_sched_push_job(
-	struct drm_sched_entity *entity,
	struct etnaviv_gem_submit *submit)
  {
  ...
  mutex_lock(&submit->gpu->fence_lock);
- ret = drm_sched_job_init(&submit->sched_job, entity, O);
- if (ret)
- 	goto L;
- submit->out_fence = dma_fence_get(&submit->sched_job.s_fence->finished);
- submit->out_fence_id = idr_alloc_cyclic(&submit->gpu->fence_idr,
- 					  submit->out_fence, 0, INT_MAX, GFP_KERNEL);
- if (submit->out_fence_id < 0) {
- 	drm_sched_job_cleanup(&submit->sched_job);
- 	ret = -ENOMEM;
- 	goto L;
- }
+ ret = idr_alloc_cyclic(&submit->gpu->fence_idr, NULL, 0, INT_MAX,
+			GFP_KERNEL);
+ if (ret < 0) {
+	ret = -ENOMEM;
+	goto L;
+ }
+ submit->out_fence_id = ret;
+ ret = 0;
+
+ drm_sched_job_arm(&submit->sched_job);
+ submit->out_fence = dma_fence_get(&submit->sched_job.s_fence->finished);
+ idr_replace(&submit->gpu->fence_idr, submit->out_fence,
+	      submit->out_fence_id);
  ...
- drm_sched_entity_push_job(&submit->sched_job, E);
+ drm_sched_entity_push_job(&submit->sched_job);
  ...
  }
