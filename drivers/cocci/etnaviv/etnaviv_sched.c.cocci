// SPDX-License-Identifier: GPL-2.0-only
// files: etnaviv_sched.c
//
// etnaviv_sched_push_job(): the scheduler job was initialised by the ioctl.
// Under fence_lock the out-fence id is allocated first, while nothing is
// armed yet (a failure leaves an unarmed job for the ioctl to drop; a lookup
// of the id in between finds a fence without references and treats it as
// signalled, and nobody knows the id before the ioctl returns).  Then arm
// and push, with nothing that can fail in between.

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
+ ret = idr_alloc_cyclic(&submit->gpu->fence_idr,
+			&submit->sched_job.s_fence->finished, 0, INT_MAX,
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
  ...
- drm_sched_entity_push_job(&submit->sched_job, E);
+ drm_sched_entity_push_job(&submit->sched_job);
  ...
  }
