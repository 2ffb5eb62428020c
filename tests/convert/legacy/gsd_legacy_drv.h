/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * gsd_legacy: internal definitions.  Written against the scheduler API of
 * Linux 5.4 .. 5.15, the way the drivers of those kernels used it.
 */
#ifndef GSD_LEGACY_DRV_H
#define GSD_LEGACY_DRV_H

#include <linux/atomic.h>
#include <linux/dma-fence.h>
#include <linux/hrtimer.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/xarray.h>

#include <drm/gpu_scheduler.h>

#include "gsd_legacy.h"

/* How long the fake hardware takes for one job. */
#define GSD_LEGACY_JOB_NS	(50 * NSEC_PER_USEC)

/**
 * struct gsd_legacy_dev - one fake GPU with one ring
 * @sched: the ring's scheduler
 * @sched_lock: keeps job init and push of concurrent submits in order
 * @hw_lock: protects @ring, @seqno and @dead; lock of the hardware fences
 * @ring: jobs on the hardware; they complete in this order
 * @timer: the hardware's completion interrupt
 * @fence_context: context of the hardware fences
 * @seqno: last hardware fence number
 * @dead: the device is going away; new jobs are cancelled
 * @jobs_live: jobs allocated and not freed yet
 * @jobs_run: jobs handed to the hardware
 * @timeouts: calls of the timeout handler
 * @idle: woken when @jobs_live drops to zero
 */
struct gsd_legacy_dev {
	struct drm_gpu_scheduler sched;
	struct mutex sched_lock;	/* init and push in order */
	spinlock_t hw_lock;		/* ring and hardware fences */
	struct list_head ring;
	struct hrtimer timer;
	u64 fence_context;
	u64 seqno;
	bool dead;
	atomic_t jobs_live;
	atomic_t jobs_run;
	atomic_t timeouts;
	wait_queue_head_t idle;
};

/**
 * struct gsd_legacy_ctx - a submitting context
 * @ldev: its device
 * @entity: its scheduler entity
 */
struct gsd_legacy_ctx {
	struct gsd_legacy_dev *ldev;
	struct drm_sched_entity entity;
};

/**
 * struct gsd_legacy_job - one job
 * @base: the scheduler job
 * @ldev: the device
 * @deps: fences the job waits for, handed to the scheduler one at a time
 *	by the ->dependency op
 * @last_dep: index of the next fence in @deps
 * @hold: the hardware keeps the job until released
 * @hw_fence: the hardware fence, allocated at submit, set up by run_job
 * @hw_fence_init: @hw_fence was initialised
 * @ring_link: entry in the device's ring while on the hardware
 * @done_fence: the job's done fence
 */
struct gsd_legacy_job {
	struct drm_sched_job base;
	struct gsd_legacy_dev *ldev;
	struct xarray deps;
	unsigned long last_dep;
	bool hold;
	struct dma_fence *hw_fence;
	bool hw_fence_init;
	struct list_head ring_link;
	struct dma_fence *done_fence;
};

static inline struct gsd_legacy_job *
to_legacy_job(struct drm_sched_job *sched_job)
{
	return container_of(sched_job, struct gsd_legacy_job, base);
}

int gsd_legacy_sched_init(struct gsd_legacy_dev *ldev, unsigned int hw_jobs,
			  long timeout);
int gsd_legacy_entity_init(struct gsd_legacy_ctx *ctx);
void gsd_legacy_hw_kick(struct gsd_legacy_dev *ldev);
void gsd_legacy_hw_retire(struct gsd_legacy_job *job, int error);
enum hrtimer_restart gsd_legacy_hw_irq(struct hrtimer *timer);
void gsd_legacy_job_free(struct gsd_legacy_job *job);

#endif /* GSD_LEGACY_DRV_H */
