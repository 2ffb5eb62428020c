// SPDX-License-Identifier: GPL-2.0-only
/*
 * gsd_legacy: a small driver written the way the DRM drivers of Linux 5.4 ..
 * 5.15 used the GPU scheduler, for the CI test of the driver conversion
 * (drivers/README.md).  It drives a fake GPU (a ring completed by a timer)
 * and has no uAPI: tests call the functions of gsd_legacy.h.
 */
#include <linux/module.h>
#include <linux/slab.h>

#include "gsd_legacy_drv.h"

/**
 * gsd_legacy_dev_create - create a device
 * @hw_jobs: jobs the ring holds at once
 * @timeout: job timeout in jiffies, or MAX_SCHEDULE_TIMEOUT
 *
 * Return: the device, or an ERR_PTR().
 */
struct gsd_legacy_dev *gsd_legacy_dev_create(unsigned int hw_jobs,
					     long timeout)
{
	struct gsd_legacy_dev *ldev;
	int ret;

	ldev = kzalloc(sizeof(*ldev), GFP_KERNEL);
	if (!ldev)
		return ERR_PTR(-ENOMEM);
	mutex_init(&ldev->sched_lock);
	spin_lock_init(&ldev->hw_lock);
	INIT_LIST_HEAD(&ldev->ring);
	hrtimer_init(&ldev->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	ldev->timer.function = gsd_legacy_hw_irq;
	ldev->fence_context = dma_fence_context_alloc(1);
	init_waitqueue_head(&ldev->idle);

	ret = gsd_legacy_sched_init(ldev, hw_jobs, timeout);
	if (ret) {
		kfree(ldev);
		return ERR_PTR(ret);
	}
	return ldev;
}
EXPORT_SYMBOL_GPL(gsd_legacy_dev_create);

/**
 * gsd_legacy_dev_destroy - remove a device
 * @ldev: the device; its contexts are destroyed already
 *
 * The hardware cancels what it still runs, and jobs that reach it from now
 * on; the device goes once every job is freed.
 *
 * Return: 0, or the number of jobs that were not freed in time (the device
 * is then left allocated).
 */
unsigned int gsd_legacy_dev_destroy(struct gsd_legacy_dev *ldev)
{
	struct gsd_legacy_job *job;
	unsigned long flags;
	unsigned int left;

	spin_lock_irqsave(&ldev->hw_lock, flags);
	ldev->dead = true;
	while ((job = list_first_entry_or_null(&ldev->ring,
					       struct gsd_legacy_job,
					       ring_link)))
		gsd_legacy_hw_retire(job, -ECANCELED);
	spin_unlock_irqrestore(&ldev->hw_lock, flags);

	gsd_legacy_wait_idle(ldev, 10 * HZ);
	left = atomic_read(&ldev->jobs_live);
	if (left) {
		/* Left allocated: those jobs still point at it. */
		pr_warn("gsd_legacy: %u jobs left at teardown\n", left);
		return left;
	}
	drm_sched_fini(&ldev->sched);
	hrtimer_cancel(&ldev->timer);
	kfree(ldev);
	return 0;
}
EXPORT_SYMBOL_GPL(gsd_legacy_dev_destroy);

/**
 * gsd_legacy_ctx_create - create a submitting context
 * @ldev: its device
 *
 * Return: the context, or an ERR_PTR().
 */
struct gsd_legacy_ctx *gsd_legacy_ctx_create(struct gsd_legacy_dev *ldev)
{
	struct gsd_legacy_ctx *ctx;
	int ret;

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return ERR_PTR(-ENOMEM);
	ctx->ldev = ldev;
	ret = gsd_legacy_entity_init(ctx);
	if (ret) {
		kfree(ctx);
		return ERR_PTR(ret);
	}
	return ctx;
}
EXPORT_SYMBOL_GPL(gsd_legacy_ctx_create);

/**
 * gsd_legacy_ctx_destroy - destroy a context
 * @ctx: the context
 *
 * Jobs of @ctx that have not reached the hardware are dropped.
 */
void gsd_legacy_ctx_destroy(struct gsd_legacy_ctx *ctx)
{
	drm_sched_entity_destroy(&ctx->entity);
	kfree(ctx);
}
EXPORT_SYMBOL_GPL(gsd_legacy_ctx_destroy);

/**
 * gsd_legacy_hw_release - let the held jobs on the hardware complete
 * @ldev: the device
 */
void gsd_legacy_hw_release(struct gsd_legacy_dev *ldev)
{
	struct gsd_legacy_job *job;
	unsigned long flags;

	spin_lock_irqsave(&ldev->hw_lock, flags);
	list_for_each_entry(job, &ldev->ring, ring_link)
		job->hold = false;
	gsd_legacy_hw_kick(ldev);
	spin_unlock_irqrestore(&ldev->hw_lock, flags);
}
EXPORT_SYMBOL_GPL(gsd_legacy_hw_release);

/**
 * gsd_legacy_query - the counters of a device
 * @ldev: the device
 * @stats: filled in
 */
void gsd_legacy_query(struct gsd_legacy_dev *ldev,
		      struct gsd_legacy_stats *stats)
{
	stats->jobs_live = atomic_read(&ldev->jobs_live);
	stats->jobs_run = atomic_read(&ldev->jobs_run);
	stats->timeouts = atomic_read(&ldev->timeouts);
	stats->dependency_op = !!ldev->sched.ops->dependency;
}
EXPORT_SYMBOL_GPL(gsd_legacy_query);

/**
 * gsd_legacy_wait_idle - wait until every job of a device is freed
 * @ldev: the device
 * @timeout: bound of the wait, in jiffies
 *
 * Return: true if no job is left.
 */
bool gsd_legacy_wait_idle(struct gsd_legacy_dev *ldev, long timeout)
{
	return wait_event_timeout(ldev->idle,
				  !atomic_read(&ldev->jobs_live), timeout) > 0;
}
EXPORT_SYMBOL_GPL(gsd_legacy_wait_idle);

MODULE_DESCRIPTION("gsd_legacy: old-style test driver of the gpu-sched-deps driver conversion");
MODULE_LICENSE("GPL");
