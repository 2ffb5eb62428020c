// SPDX-License-Identifier: GPL-2.0-only
/*
 * gsd_legacy: the scheduler backend and the fake hardware.
 *
 * The hardware runs the jobs of its ring in order, GSD_LEGACY_JOB_NS each,
 * completing them from a timer; a job submitted with
 * GSD_LEGACY_SUBMIT_HOLD stays at the head of the ring (and blocks the
 * ring) until gsd_legacy_hw_release() or the timeout handler ends it.
 */
#include <linux/slab.h>

#include "gsd_legacy_drv.h"

static const char *gsd_legacy_fence_driver_name(struct dma_fence *fence)
{
	return "gsd_legacy";
}

static const char *gsd_legacy_fence_timeline_name(struct dma_fence *fence)
{
	return "gsd_legacy-ring";
}

static const struct dma_fence_ops gsd_legacy_fence_ops = {
	.get_driver_name = gsd_legacy_fence_driver_name,
	.get_timeline_name = gsd_legacy_fence_timeline_name,
};

/* Called with hw_lock held: (re)start the completion timer if needed. */
void gsd_legacy_hw_kick(struct gsd_legacy_dev *ldev)
{
	lockdep_assert_held(&ldev->hw_lock);
	if (!list_empty(&ldev->ring))
		hrtimer_start(&ldev->timer, ns_to_ktime(GSD_LEGACY_JOB_NS),
			      HRTIMER_MODE_REL);
}

/* Called with hw_lock held: the job leaves the hardware. */
void gsd_legacy_hw_retire(struct gsd_legacy_job *job, int error)
{
	lockdep_assert_held(&job->ldev->hw_lock);
	list_del_init(&job->ring_link);
	if (error)
		dma_fence_set_error(job->hw_fence, error);
	dma_fence_signal_locked(job->hw_fence);
}

/* The completion interrupt: retire the jobs at the head of the ring. */
enum hrtimer_restart gsd_legacy_hw_irq(struct hrtimer *timer)
{
	struct gsd_legacy_dev *ldev =
		container_of(timer, struct gsd_legacy_dev, timer);
	struct gsd_legacy_job *job;
	unsigned long flags;

	spin_lock_irqsave(&ldev->hw_lock, flags);
	while ((job = list_first_entry_or_null(&ldev->ring,
					       struct gsd_legacy_job,
					       ring_link)) && !job->hold)
		gsd_legacy_hw_retire(job, 0);
	spin_unlock_irqrestore(&ldev->hw_lock, flags);
	return HRTIMER_NORESTART;
}

static struct dma_fence *
gsd_legacy_job_dependency(struct drm_sched_job *sched_job,
			  struct drm_sched_entity *s_entity)
{
	struct gsd_legacy_job *job = to_legacy_job(sched_job);

	if (!xa_empty(&job->deps))
		return xa_erase(&job->deps, job->last_dep++);

	return NULL;
}

static struct dma_fence *gsd_legacy_run_job(struct drm_sched_job *sched_job)
{
	struct gsd_legacy_job *job = to_legacy_job(sched_job);
	struct gsd_legacy_dev *ldev = job->ldev;
	struct dma_fence *fence = job->hw_fence;
	unsigned long flags;

	if (unlikely(job->base.s_fence->finished.error))
		return NULL;

	spin_lock_irqsave(&ldev->hw_lock, flags);
	dma_fence_init(fence, &gsd_legacy_fence_ops, &ldev->hw_lock,
		       ldev->fence_context, ++ldev->seqno);
	job->hw_fence_init = true;
	atomic_inc(&ldev->jobs_run);
	list_add_tail(&job->ring_link, &ldev->ring);
	if (ldev->dead)
		gsd_legacy_hw_retire(job, -ECANCELED);
	gsd_legacy_hw_kick(ldev);
	spin_unlock_irqrestore(&ldev->hw_lock, flags);

	return dma_fence_get(fence);
}

static enum drm_gpu_sched_stat
gsd_legacy_timedout_job(struct drm_sched_job *sched_job)
{
	struct gsd_legacy_job *job = to_legacy_job(sched_job);
	struct gsd_legacy_dev *ldev = job->ldev;
	unsigned long flags;

	atomic_inc(&ldev->timeouts);
	/* Reset the ring: the hung job ends with an error, the rest go on. */
	spin_lock_irqsave(&ldev->hw_lock, flags);
	if (!list_empty(&job->ring_link))
		gsd_legacy_hw_retire(job, -ETIMEDOUT);
	gsd_legacy_hw_kick(ldev);
	spin_unlock_irqrestore(&ldev->hw_lock, flags);

	return DRM_GPU_SCHED_STAT_NOMINAL;
}

static void gsd_legacy_free_job(struct drm_sched_job *sched_job)
{
	struct gsd_legacy_job *job = to_legacy_job(sched_job);

	drm_sched_job_cleanup(sched_job);
	gsd_legacy_job_free(job);
}

static const struct drm_sched_backend_ops gsd_legacy_sched_ops = {
	.dependency = gsd_legacy_job_dependency,
	.run_job = gsd_legacy_run_job,
	.timedout_job = gsd_legacy_timedout_job,
	.free_job = gsd_legacy_free_job,
};

int gsd_legacy_sched_init(struct gsd_legacy_dev *ldev, unsigned int hw_jobs,
			  long timeout)
{
	return drm_sched_init(&ldev->sched, &gsd_legacy_sched_ops, hw_jobs, 0,
			      timeout, NULL, NULL, "gsd_legacy");
}

int gsd_legacy_entity_init(struct gsd_legacy_ctx *ctx)
{
	struct drm_gpu_scheduler *sched = &ctx->ldev->sched;

	return drm_sched_entity_init(&ctx->entity, DRM_SCHED_PRIORITY_NORMAL,
				     &sched, 1, NULL);
}
