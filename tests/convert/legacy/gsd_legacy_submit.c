// SPDX-License-Identifier: GPL-2.0-only
/*
 * gsd_legacy: job submission.
 *
 * The job collects what it must wait for in its own fence array: the
 * caller's in-fences and, under the reservation locks, the implicit fences
 * of its buffers.  The scheduler job is initialised (which arms it) and
 * pushed at the end, under sched_lock; the ->dependency op hands the
 * collected fences to the scheduler one by one.
 */
#include <linux/slab.h>

#include <drm/drm_gem.h>

#include <gsd_compat.h>

#include "gsd_legacy_drv.h"

/**
 * gsd_legacy_job_free - free a job and what it holds
 * @job: the job, no longer known to the hardware
 */
void gsd_legacy_job_free(struct gsd_legacy_job *job)
{
	struct gsd_legacy_dev *ldev = job->ldev;
	struct dma_fence *fence;
	unsigned long index;

	xa_for_each(&job->deps, index, fence) {
		dma_fence_put(fence);
	}
	xa_destroy(&job->deps);

	dma_fence_put(job->done_fence);
	if (job->hw_fence_init)
		dma_fence_put(job->hw_fence);
	else
		kfree(job->hw_fence);
	kfree(job);

	if (atomic_dec_and_test(&ldev->jobs_live))
		wake_up_all(&ldev->idle);
}

static struct gsd_legacy_job *
gsd_legacy_job_alloc(struct gsd_legacy_dev *ldev,
		     const struct gsd_legacy_submit *args)
{
	struct gsd_legacy_job *job;

	job = kzalloc(sizeof(*job), GFP_KERNEL);
	if (!job)
		return NULL;
	job->hw_fence = kzalloc(sizeof(*job->hw_fence), GFP_KERNEL);
	if (!job->hw_fence) {
		kfree(job);
		return NULL;
	}
	job->ldev = ldev;
	job->hold = args->flags & GSD_LEGACY_SUBMIT_HOLD;
	INIT_LIST_HEAD(&job->ring_link);
	atomic_inc(&ldev->jobs_live);
	return job;
}

/* Every buffer must resolve; a NULL entry is a handle that does not. */
static int gsd_legacy_lookup_bos(const struct gsd_legacy_submit *args)
{
	unsigned int i;

	for (i = 0; i < args->bo_count; i++) {
		if (!args->bos[i])
			return -ENOENT;
	}
	return 0;
}

static int gsd_legacy_push_job(struct gsd_legacy_ctx *ctx,
			       struct gsd_legacy_job *job,
			       struct dma_fence **done)
{
	int ret;

	ret = drm_sched_job_init(&job->base, &ctx->entity, ctx);
	if (ret)
		return ret;

	job->done_fence = dma_fence_get(&job->base.s_fence->finished);
	*done = dma_fence_get(job->done_fence);

	drm_sched_entity_push_job(&job->base, &ctx->entity);

	return 0;
}

/**
 * gsd_legacy_submit - queue a job
 * @ctx: the submitting context
 * @args: the job; @args->out_fence is set on success
 *
 * Return: 0, -EINVAL for too many fences or buffers, -ENOENT for a buffer
 * that does not resolve, -ENOMEM, or the error of locking the buffers.
 */
int gsd_legacy_submit(struct gsd_legacy_ctx *ctx,
		      struct gsd_legacy_submit *args)
{
	struct gsd_legacy_dev *ldev = ctx->ldev;
	struct drm_gem_object **bos = args->bos;
	struct ww_acquire_ctx acquire_ctx;
	struct gsd_legacy_job *job;
	struct dma_fence *done;
	unsigned int i;
	int ret;

	if (args->in_count > GSD_LEGACY_MAX_IN_FENCES ||
	    args->bo_count > GSD_LEGACY_MAX_BOS)
		return -EINVAL;

	job = gsd_legacy_job_alloc(ldev, args);
	if (!job)
		return -ENOMEM;
	xa_init_flags(&job->deps, XA_FLAGS_ALLOC);

	for (i = 0; i < args->in_count; i++) {
		ret = drm_gem_fence_array_add(&job->deps,
					      dma_fence_get(args->in_fences[i]));
		if (ret)
			goto fail;
	}

	ret = gsd_legacy_lookup_bos(args);
	if (ret)
		goto fail;

	ret = drm_gem_lock_reservations(bos, args->bo_count, &acquire_ctx);
	if (ret)
		goto fail;

	for (i = 0; i < args->bo_count; i++) {
		ret = gsd_resv_reserve(bos[i]->resv, 1);
		if (ret)
			goto fail_unlock;

		ret = drm_gem_fence_array_add_implicit(&job->deps, bos[i],
						       args->writes[i]);
		if (ret)
			goto fail_unlock;
	}

	mutex_lock(&ldev->sched_lock);
	ret = gsd_legacy_push_job(ctx, job, &done);
	if (ret)
		goto fail_unlock_sched;
	mutex_unlock(&ldev->sched_lock);

	/* The job may be gone already: only its done fence is ours. */
	for (i = 0; i < args->bo_count; i++)
		gsd_resv_add_fence(bos[i]->resv, done, args->writes[i]);
	args->out_fence = done;
	drm_gem_unlock_reservations(bos, args->bo_count, &acquire_ctx);

	return 0;

fail_unlock_sched:
	mutex_unlock(&ldev->sched_lock);
fail_unlock:
	drm_gem_unlock_reservations(bos, args->bo_count, &acquire_ctx);
fail:
	gsd_legacy_job_free(job);
	return ret;
}
EXPORT_SYMBOL_GPL(gsd_legacy_submit);
