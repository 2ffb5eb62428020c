// SPDX-License-Identifier: GPL-2.0-only
/*
 * The scheduler: one kernel thread per hardware ring picks the next ready
 * entity (highest priority first, round robin within a priority), hands its
 * job to the driver, and frees finished jobs.  A delayed work item watches
 * the oldest job on the hardware and reports timeouts to the driver, which
 * recovers with stop / karma / resubmit / start.
 */
#include "sched_internal.h"

#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/slab.h>

#define CREATE_TRACE_POINTS
#include "gsd_trace.h"

void gsd_sched_wakeup(struct drm_gpu_scheduler *sched)
{
	wake_up_interruptible(&sched->wake_up_worker);
}

void gsd_rq_add_entity(struct drm_sched_rq *rq,
		       struct drm_sched_entity *entity)
{
	spin_lock(&rq->lock);
	if (list_empty(&entity->list)) {
		atomic_inc(rq->sched->score);
		list_add_tail(&entity->list, &rq->entities);
	}
	spin_unlock(&rq->lock);
}

void gsd_rq_remove_entity(struct drm_sched_rq *rq,
			  struct drm_sched_entity *entity)
{
	spin_lock(&rq->lock);
	if (!list_empty(&entity->list)) {
		atomic_dec(rq->sched->score);
		list_del_init(&entity->list);
	}
	if (rq->current_entity == entity)
		rq->current_entity = NULL;
	spin_unlock(&rq->lock);
}

static void gsd_rq_init(struct drm_gpu_scheduler *sched,
			struct drm_sched_rq *rq)
{
	spin_lock_init(&rq->lock);
	INIT_LIST_HEAD(&rq->entities);
	rq->current_entity = NULL;
	rq->sched = sched;
}

/* Round robin: the first ready entity after the one served last. */
static struct drm_sched_entity *gsd_rq_select_entity(struct drm_sched_rq *rq)
{
	struct drm_sched_entity *entity, *last;

	spin_lock(&rq->lock);
	last = rq->current_entity;
	if (last) {
		entity = last;
		list_for_each_entry_continue(entity, &rq->entities, list)
			if (gsd_entity_is_ready(entity))
				goto found;
	}
	list_for_each_entry(entity, &rq->entities, list) {
		if (gsd_entity_is_ready(entity))
			goto found;
		if (entity == last)
			break;
	}
	spin_unlock(&rq->lock);
	return NULL;

found:
	rq->current_entity = entity;
	/* drm_sched_entity_fini() waits for this before killing jobs. */
	reinit_completion(&entity->entity_idle);
	spin_unlock(&rq->lock);
	return entity;
}

static struct drm_sched_entity *
gsd_sched_select_entity(struct drm_gpu_scheduler *sched)
{
	struct drm_sched_entity *entity;
	int i;

	if (atomic_read(&sched->hw_rq_count) >= sched->hw_submission_limit)
		return NULL;

	for (i = DRM_SCHED_PRIORITY_COUNT - 1; i >= DRM_SCHED_PRIORITY_MIN; i--) {
		entity = gsd_rq_select_entity(&sched->sched_rq[i]);
		if (entity)
			return entity;
	}
	return NULL;
}

/* Called with job_list_lock held. */
static void gsd_sched_start_timeout(struct drm_gpu_scheduler *sched)
{
	if (sched->timeout != MAX_SCHEDULE_TIMEOUT && !sched->tdr_off &&
	    !list_empty(&sched->pending_list))
		queue_delayed_work(sched->timeout_wq, &sched->work_tdr,
				   sched->timeout);
}

/* The job is done on the hardware: signal it and let the thread free it. */
static void gsd_sched_job_done(struct drm_sched_job *job, int result)
{
	struct drm_sched_fence *s_fence = job->s_fence;
	struct drm_gpu_scheduler *sched = s_fence->sched;

	atomic_dec(&sched->hw_rq_count);
	atomic_dec(sched->score);
	trace_gsd_sched_process_job(s_fence);

	dma_fence_get(&s_fence->finished);
	gsd_fence_finished(s_fence, result);
	dma_fence_put(&s_fence->finished);
	gsd_sched_wakeup(sched);
}

static void gsd_sched_job_done_cb(struct dma_fence *f, struct dma_fence_cb *cb)
{
	struct drm_sched_job *job = container_of(cb, struct drm_sched_job, cb);

	gsd_sched_job_done(job, f->error);
}

/*
 * The oldest job on the hardware, if it is finished: take it off the
 * pending list and restart the timeout for the next one.
 */
static struct drm_sched_job *
gsd_sched_get_cleanup_job(struct drm_gpu_scheduler *sched)
{
	struct drm_sched_job *job;

	spin_lock(&sched->job_list_lock);
	job = list_first_entry_or_null(&sched->pending_list,
				       struct drm_sched_job, list);
	if (job && dma_fence_is_signaled(&job->s_fence->finished)) {
		list_del_init(&job->list);
		if (sched->timeout != MAX_SCHEDULE_TIMEOUT && !sched->tdr_off) {
			if (list_empty(&sched->pending_list))
				cancel_delayed_work(&sched->work_tdr);
			else
				mod_delayed_work(sched->timeout_wq,
						 &sched->work_tdr,
						 sched->timeout);
		}
	} else {
		job = NULL;
	}
	spin_unlock(&sched->job_list_lock);
	return job;
}

static void gsd_sched_run(struct drm_gpu_scheduler *sched,
			  struct drm_sched_entity *entity,
			  struct drm_sched_job *job)
{
	struct drm_sched_fence *s_fence = job->s_fence;
	struct dma_fence *fence;
	int r;

	atomic_inc(&sched->hw_rq_count);
	spin_lock(&sched->job_list_lock);
	list_add_tail(&job->list, &sched->pending_list);
	gsd_sched_start_timeout(sched);
	spin_unlock(&sched->job_list_lock);

	trace_gsd_run_job(job, entity);
	fence = sched->ops->run_job(job);
	complete_all(&entity->entity_idle);

	if (IS_ERR_OR_NULL(fence)) {
		gsd_fence_scheduled(s_fence, NULL);
		gsd_sched_job_done(job, IS_ERR(fence) ? PTR_ERR(fence) : 0);
		return;
	}

	gsd_fence_scheduled(s_fence, dma_fence_get(fence));
	r = dma_fence_add_callback(fence, &job->cb, gsd_sched_job_done_cb);
	if (r == -ENOENT)
		gsd_sched_job_done(job, fence->error);
	else if (r)
		pr_err("%s: cannot wait for hardware fence: %d\n",
		       sched->name, r);
	dma_fence_put(fence);
}

static bool gsd_sched_should_park_or_stop(void)
{
	return kthread_should_park() || kthread_should_stop();
}

static int gsd_sched_main(void *param)
{
	struct drm_gpu_scheduler *sched = param;

	gsd_sched_thread_set_fifo_low(current);

	while (!kthread_should_stop()) {
		struct drm_sched_entity *entity = NULL;
		struct drm_sched_job *cleanup = NULL;
		struct drm_sched_job *job;

		if (kthread_should_park()) {
			kthread_parkme();
			continue;
		}

		wait_event_interruptible(sched->wake_up_worker,
					 (cleanup = gsd_sched_get_cleanup_job(sched)) ||
					 (entity = gsd_sched_select_entity(sched)) ||
					 gsd_sched_should_park_or_stop());

		if (cleanup)
			sched->ops->free_job(cleanup);
		if (!entity)
			continue;

		job = gsd_entity_pop_job(entity);
		if (!job) {
			complete_all(&entity->entity_idle);
			continue;
		}
		gsd_sched_run(sched, entity, job);
		wake_up(&sched->job_scheduled);
	}
	return 0;
}

/*
 * Detach @job, on the pending list of the stopped @sched, from its hardware
 * fence; @counted: it is still counted in hw_rq_count.  Returns false if it
 * is done already.
 */
static bool gsd_sched_detach_job(struct drm_gpu_scheduler *sched,
				 struct drm_sched_job *job, bool counted)
{
	struct drm_sched_fence *s_fence = job->s_fence;
	struct dma_fence *parent = s_fence->parent;

	if (parent) {
		if (!dma_fence_remove_callback(parent, &job->cb)) {
			unsigned long flags;

			/* A done callback that started ends under this lock. */
			spin_lock_irqsave(parent->lock, flags);
			spin_unlock_irqrestore(parent->lock, flags);
			if (dma_fence_is_signaled(&s_fence->finished))
				return false;
			/* Never waited for: resubmitted, not started since. */
		}
		s_fence->parent = NULL;
		dma_fence_put(parent);
	} else if (dma_fence_is_signaled(&s_fence->finished)) {
		return false;
	}
	/* Otherwise detached by an earlier stop and not resubmitted since. */
	if (counted)
		atomic_dec(&sched->hw_rq_count);
	return true;
}

/*
 * The timeout handler returned.  Unless drm_sched_stop() took @job back (as
 * the bad job) or the driver cleaned it up (it keeps it), @job is still
 * ours: the driver found the GPU busy and did not reset it.  It goes back to
 * the head of the pending list, as upstream's
 * drm_sched_job_reinsert_on_false_timeout() does for
 * DRM_GPU_SCHED_STAT_NO_HANG (6.17), unless the driver put it back itself
 * (as v3d and etnaviv do since 6.1.139 and 6.1.103).  A scheduler stopped
 * meanwhile gets it detached from its hardware fence, like its other jobs.
 */
static void gsd_sched_timedout_done(struct drm_gpu_scheduler *sched,
				    struct drm_sched_job *job)
{
	bool free_it = false;

	spin_lock(&sched->job_list_lock);
	if (sched->tdr_job == job) {
		sched->tdr_job = NULL;
		job->in_timeout = false;
		/* A linked job: the driver re-inserted it itself. */
		if (list_empty(&job->list)) {
			if (!sched->stopped ||
			    gsd_sched_detach_job(sched, job, true))
				list_add(&job->list, &sched->pending_list);
			else
				free_it = true;
		}
	}
	if (sched->free_guilty) {
		/* drm_sched_stop() found the bad job done. */
		sched->free_guilty = false;
		free_it = true;
	}
	spin_unlock(&sched->job_list_lock);

	if (free_it) {
		dma_fence_wait(&job->s_fence->finished, false);
		sched->ops->free_job(job);
	}
	gsd_sched_wakeup(sched);
}

static void gsd_sched_job_timedout(struct work_struct *work)
{
	struct drm_gpu_scheduler *sched =
		container_of(work, struct drm_gpu_scheduler, work_tdr.work);
	enum drm_gpu_sched_stat status = DRM_GPU_SCHED_STAT_NOMINAL;
	struct drm_sched_job *job;

	/*
	 * The job leaves the pending list while the driver handles it (the
	 * contract since upstream 5.5, "drm/scheduler: Avoid accessing freed
	 * bad job"): neither this scheduler's thread nor a drm_sched_stop()
	 * from another scheduler's reset frees it under the handler.
	 */
	spin_lock(&sched->job_list_lock);
	if (sched->tdr_off) {
		spin_unlock(&sched->job_list_lock);
		return;
	}
	job = list_first_entry_or_null(&sched->pending_list,
				       struct drm_sched_job, list);
	if (job) {
		list_del_init(&job->list);
		sched->tdr_job = job;
		job->in_timeout = true;
	}
	spin_unlock(&sched->job_list_lock);

	if (job) {
		status = sched->ops->timedout_job(job);
		gsd_sched_timedout_done(sched, job);
	}

	if (status != DRM_GPU_SCHED_STAT_ENODEV) {
		spin_lock(&sched->job_list_lock);
		gsd_sched_start_timeout(sched);
		spin_unlock(&sched->job_list_lock);
	}
}

/**
 * drm_sched_init - set up a scheduler and start its thread
 * @sched: the scheduler
 * @ops: the driver's backend operations; @ops->run_job and @ops->free_job
 *	are required, and @ops->timedout_job unless @timeout is
 *	%MAX_SCHEDULE_TIMEOUT
 * @hw_submission: how many jobs may be on the hardware at once (>= 1)
 * @hang_limit: how often a job may hang before it is guilty
 * @timeout: timeout of a job on the hardware, in jiffies, or
 *	%MAX_SCHEDULE_TIMEOUT for none
 * @timeout_wq: workqueue of the timeout handler; NULL for system_wq
 * @score: load counter shared with other schedulers, or NULL for a private
 *	one
 * @name: name of the thread and of the fence timeline; must outlive the
 *	scheduler
 *
 * Return: 0, -EINVAL for invalid arguments, or the error of starting the
 * thread.
 */
int drm_sched_init(struct drm_gpu_scheduler *sched,
		   const struct drm_sched_backend_ops *ops,
		   u32 hw_submission, unsigned int hang_limit, long timeout,
		   struct workqueue_struct *timeout_wq, atomic_t *score,
		   const char *name)
{
	int i;

	if (!sched || !ops || !ops->run_job || !ops->free_job || !name ||
	    !hw_submission || timeout <= 0 ||
	    (!ops->timedout_job && timeout != MAX_SCHEDULE_TIMEOUT))
		return -EINVAL;

	memset(sched, 0, sizeof(*sched));
	sched->ops = ops;
	sched->hw_submission_limit = hw_submission;
	sched->name = name;
	sched->timeout = timeout;
	sched->timeout_wq = timeout_wq ? timeout_wq : system_wq;
	sched->hang_limit = hang_limit;
	sched->score = score ? score : &sched->_score;
	for (i = DRM_SCHED_PRIORITY_MIN; i < DRM_SCHED_PRIORITY_COUNT; i++)
		gsd_rq_init(sched, &sched->sched_rq[i]);
	init_waitqueue_head(&sched->wake_up_worker);
	init_waitqueue_head(&sched->job_scheduled);
	INIT_LIST_HEAD(&sched->pending_list);
	spin_lock_init(&sched->job_list_lock);
	atomic_set(&sched->hw_rq_count, 0);
	atomic64_set(&sched->job_id_count, 0);
	atomic_set(&sched->_score, 0);
	INIT_DELAYED_WORK(&sched->work_tdr, gsd_sched_job_timedout);

	sched->thread = kthread_run(gsd_sched_main, sched, "%s", name);
	if (IS_ERR(sched->thread)) {
		int ret = PTR_ERR(sched->thread);

		sched->thread = NULL;
		pr_err("%s: cannot start the scheduler thread: %d\n", name, ret);
		return ret;
	}
	sched->ready = true;
	return 0;
}
EXPORT_SYMBOL_NS_GPL(drm_sched_init, GPU_SCHED_DEPS);

static bool gsd_sched_kills_done(struct drm_gpu_scheduler *sched)
{
	bool done;

	spin_lock(&sched->job_list_lock);
	done = !sched->kill_count;
	spin_unlock(&sched->job_list_lock);
	return done;
}

/**
 * drm_sched_fini - stop a scheduler
 * @sched: the scheduler
 *
 * Stops the timeout handler and the thread, stops every entity still
 * attached (their teardown then does not wait for this scheduler), waits
 * until the jobs killed with their entities are released (each once its
 * dependencies signalled: they use the scheduler until then) and frees the
 * jobs that finished but were not freed yet.  Jobs still on the hardware
 * are left to the driver, with a warning: the scheduler no longer waits for
 * their hardware fences and their finished fences do not signal.
 */
void drm_sched_fini(struct drm_gpu_scheduler *sched)
{
	struct drm_sched_job *job, *tmp;
	unsigned int busy = 0;
	int i;

	spin_lock(&sched->job_list_lock);
	sched->tdr_off = true;
	spin_unlock(&sched->job_list_lock);
	/* A running handler may still stop and start the thread. */
	cancel_delayed_work_sync(&sched->work_tdr);

	if (sched->thread)
		kthread_stop(sched->thread);
	sched->thread = NULL;

	for (i = DRM_SCHED_PRIORITY_COUNT - 1; i >= DRM_SCHED_PRIORITY_MIN; i--) {
		struct drm_sched_rq *rq = &sched->sched_rq[i];
		struct drm_sched_entity *entity;

		spin_lock(&rq->lock);
		list_for_each_entry(entity, &rq->entities, list)
			WRITE_ONCE(entity->stopped, true);
		spin_unlock(&rq->lock);
	}
	wake_up_all(&sched->job_scheduled);

	while (!wait_event_timeout(sched->job_scheduled,
				   gsd_sched_kills_done(sched), 10 * HZ))
		pr_warn("%s: teardown waits for killed jobs' dependencies\n",
			sched->name);

	/* Queued by drm_sched_fault() before it saw tdr_off. */
	cancel_delayed_work_sync(&sched->work_tdr);

	list_for_each_entry_safe(job, tmp, &sched->pending_list, list) {
		struct dma_fence *parent = job->s_fence->parent;

		list_del_init(&job->list);
		if (parent) {
			unsigned long flags;

			/*
			 * No done callback may reach the scheduler later; one
			 * that already started runs under the fence's lock.
			 */
			if (dma_fence_remove_callback(parent, &job->cb)) {
				busy++;
				continue;
			}
			spin_lock_irqsave(parent->lock, flags);
			spin_unlock_irqrestore(parent->lock, flags);
		}
		if (!dma_fence_is_signaled(&job->s_fence->finished)) {
			busy++;
			continue;
		}
		sched->ops->free_job(job);
	}
	if (busy)
		pr_warn("%s: torn down with %u jobs still on the hardware\n",
			sched->name, busy);
	sched->ready = false;
}
EXPORT_SYMBOL_NS_GPL(drm_sched_fini, GPU_SCHED_DEPS);

/**
 * drm_sched_fault - report a hardware fault now
 * @sched: the scheduler
 *
 * Runs the timeout handler immediately instead of when the timeout expires.
 * May be called from interrupt context.
 */
void drm_sched_fault(struct drm_gpu_scheduler *sched)
{
	if (sched->timeout_wq && !READ_ONCE(sched->tdr_off))
		mod_delayed_work(sched->timeout_wq, &sched->work_tdr, 0);
}
EXPORT_SYMBOL_NS_GPL(drm_sched_fault, GPU_SCHED_DEPS);

/**
 * drm_sched_suspend_timeout - hold the timeout of the running job
 * @sched: the scheduler
 *
 * For hardware that preempts jobs: the timeout stops counting until
 * drm_sched_resume_timeout().
 *
 * Return: the time the job had left, in jiffies.
 */
unsigned long drm_sched_suspend_timeout(struct drm_gpu_scheduler *sched)
{
	unsigned long expires = sched->work_tdr.timer.expires;
	unsigned long now = jiffies;

	if (READ_ONCE(sched->tdr_off))
		return sched->timeout;

	/*
	 * Not MAX_SCHEDULE_TIMEOUT: jiffies + LONG_MAX, measured from a timer
	 * wheel clock that lags jiffies (NOHZ idle), wraps to the past and
	 * the timer fires on the next tick (seen on 5.4).
	 */
	if (mod_delayed_work(sched->timeout_wq, &sched->work_tdr,
			     MAX_JIFFY_OFFSET) &&
	    time_after(expires, now))
		return expires - now;
	return sched->timeout;
}
EXPORT_SYMBOL_NS_GPL(drm_sched_suspend_timeout, GPU_SCHED_DEPS);

/**
 * drm_sched_resume_timeout - let the timeout count again
 * @sched: the scheduler
 * @remaining: what drm_sched_suspend_timeout() returned
 */
void drm_sched_resume_timeout(struct drm_gpu_scheduler *sched,
			      unsigned long remaining)
{
	spin_lock(&sched->job_list_lock);
	if (list_empty(&sched->pending_list))
		cancel_delayed_work(&sched->work_tdr);
	else if (!sched->tdr_off)
		mod_delayed_work(sched->timeout_wq, &sched->work_tdr, remaining);
	spin_unlock(&sched->job_list_lock);
}
EXPORT_SYMBOL_NS_GPL(drm_sched_resume_timeout, GPU_SCHED_DEPS);

/**
 * drm_sched_stop - stop the scheduler for a reset
 * @sched: the scheduler
 * @bad: the job that caused the reset, or NULL
 *
 * Parks the thread and detaches every job on the hardware from its hardware
 * fence (dropping the fence), so that drm_sched_resubmit_jobs() can run them
 * again after the reset.  Jobs that had already finished are freed.  If @bad
 * is the job this scheduler's timeout handler took off the pending list, it
 * goes back there first (at the head); if it is done already, the timeout
 * handler frees it when the driver's handler returns.  A job another
 * scheduler's timeout handler is working on is not touched.
 */
void drm_sched_stop(struct drm_gpu_scheduler *sched, struct drm_sched_job *bad)
{
	struct drm_sched_job *job, *tmp;
	bool bad_from_tdr = false;
	bool again;

	/* Stopped twice: the jobs on the list are detached and uncounted. */
	spin_lock(&sched->job_list_lock);
	again = sched->stopped;
	spin_unlock(&sched->job_list_lock);
	if (!again)
		kthread_park(sched->thread);

	spin_lock(&sched->job_list_lock);
	sched->stopped = true;
	if (bad && bad == sched->tdr_job) {
		sched->tdr_job = NULL;
		bad->in_timeout = false;
		if (list_empty(&bad->list))
			list_add(&bad->list, &sched->pending_list);
		bad_from_tdr = true;
	}
	spin_unlock(&sched->job_list_lock);

	list_for_each_entry_safe_reverse(job, tmp, &sched->pending_list, list) {
		bool counted = !again || (job == bad && bad_from_tdr);

		if (gsd_sched_detach_job(sched, job, counted))
			continue;

		/* Already done: its done callback may still be running. */
		spin_lock(&sched->job_list_lock);
		list_del_init(&job->list);
		if (job == bad && bad_from_tdr)
			sched->free_guilty = true;
		spin_unlock(&sched->job_list_lock);
		dma_fence_wait(&job->s_fence->finished, false);
		if (job != bad || !bad_from_tdr)
			sched->ops->free_job(job);
	}
	cancel_delayed_work(&sched->work_tdr);
}
EXPORT_SYMBOL_NS_GPL(drm_sched_stop, GPU_SCHED_DEPS);

/**
 * drm_sched_start - restart a scheduler after a reset
 * @sched: the scheduler
 * @full_recovery: wait again for the jobs' hardware fences; a job without one
 *	(never resubmitted) finishes with -ECANCELED
 *
 * Counterpart of drm_sched_stop(): unparks the thread.
 */
void drm_sched_start(struct drm_gpu_scheduler *sched, bool full_recovery)
{
	struct drm_sched_job *job, *tmp;

	list_for_each_entry_safe(job, tmp, &sched->pending_list, list) {
		struct dma_fence *parent = job->s_fence->parent;
		int r;

		atomic_inc(&sched->hw_rq_count);
		if (!full_recovery)
			continue;

		if (!parent) {
			gsd_sched_job_done(job, -ECANCELED);
			continue;
		}
		r = dma_fence_add_callback(parent, &job->cb,
					   gsd_sched_job_done_cb);
		if (r == -ENOENT)
			gsd_sched_job_done(job, parent->error);
		else if (r)
			pr_err("%s: cannot wait for hardware fence: %d\n",
			       sched->name, r);
	}

	spin_lock(&sched->job_list_lock);
	sched->stopped = false;
	if (full_recovery)
		gsd_sched_start_timeout(sched);
	spin_unlock(&sched->job_list_lock);
	kthread_unpark(sched->thread);
}
EXPORT_SYMBOL_NS_GPL(drm_sched_start, GPU_SCHED_DEPS);

/**
 * drm_sched_resubmit_jobs_ext - run the jobs on the hardware again
 * @sched: the stopped scheduler
 * @max: resubmit at most this many jobs
 *
 * Calls &drm_sched_backend_ops.run_job again for the jobs drm_sched_stop()
 * detached, oldest first.  Jobs of the entity of a guilty job (karma above
 * the hang limit) get -ECANCELED on their finished fence.
 */
void drm_sched_resubmit_jobs_ext(struct drm_gpu_scheduler *sched, int max)
{
	struct drm_sched_job *job, *tmp;
	bool found_guilty = false;
	u64 guilty_context = 0;
	int i = 0;

	list_for_each_entry_safe(job, tmp, &sched->pending_list, list) {
		struct drm_sched_fence *s_fence = job->s_fence;
		struct dma_fence *fence, *old;

		if (i++ >= max)
			break;

		if (!found_guilty && atomic_read(&job->karma) > sched->hang_limit) {
			found_guilty = true;
			guilty_context = s_fence->scheduled.context;
		}
		if (found_guilty && s_fence->scheduled.context == guilty_context)
			dma_fence_set_error(&s_fence->finished, -ECANCELED);

		fence = sched->ops->run_job(job);
		old = s_fence->parent;
		if (IS_ERR_OR_NULL(fence)) {
			if (IS_ERR(fence))
				dma_fence_set_error(&s_fence->finished,
						    PTR_ERR(fence));
			s_fence->parent = NULL;
		} else {
			s_fence->parent = fence;
		}
		dma_fence_put(old);
	}
}
EXPORT_SYMBOL_NS_GPL(drm_sched_resubmit_jobs_ext, GPU_SCHED_DEPS);

/**
 * drm_sched_resubmit_jobs - run every detached job on the hardware again
 * @sched: the stopped scheduler
 *
 * drm_sched_resubmit_jobs_ext() without a limit.
 */
void drm_sched_resubmit_jobs(struct drm_gpu_scheduler *sched)
{
	drm_sched_resubmit_jobs_ext(sched, INT_MAX);
}
EXPORT_SYMBOL_NS_GPL(drm_sched_resubmit_jobs, GPU_SCHED_DEPS);

/**
 * drm_sched_increase_karma_ext - update a job's karma and its entity's guilt
 * @bad: the job that hung, may be NULL
 * @type: 1 to count a hang, 0 to reset the karma
 *
 * Also stores @type in the guilty flag of the job's entity.  Jobs of kernel
 * priority are left alone.
 */
void drm_sched_increase_karma_ext(struct drm_sched_job *bad, int type)
{
	struct drm_gpu_scheduler *sched;
	int i;

	/* Kernel jobs are always considered good. */
	if (!bad || bad->s_priority == DRM_SCHED_PRIORITY_KERNEL)
		return;

	if (type == 0)
		atomic_set(&bad->karma, 0);
	else if (type == 1)
		atomic_inc(&bad->karma);

	sched = bad->sched;
	for (i = DRM_SCHED_PRIORITY_MIN; i < DRM_SCHED_PRIORITY_KERNEL; i++) {
		struct drm_sched_rq *rq = &sched->sched_rq[i];
		struct drm_sched_entity *entity;
		bool found = false;

		spin_lock(&rq->lock);
		list_for_each_entry(entity, &rq->entities, list) {
			if (entity->fence_context !=
			    bad->s_fence->scheduled.context)
				continue;
			if (entity->guilty)
				atomic_set(entity->guilty, type);
			found = true;
			break;
		}
		spin_unlock(&rq->lock);
		if (found)
			return;
	}
}
EXPORT_SYMBOL_NS_GPL(drm_sched_increase_karma_ext, GPU_SCHED_DEPS);

/**
 * drm_sched_increase_karma - count a hang against a job
 * @bad: the job that hung
 */
void drm_sched_increase_karma(struct drm_sched_job *bad)
{
	drm_sched_increase_karma_ext(bad, 1);
}
EXPORT_SYMBOL_NS_GPL(drm_sched_increase_karma, GPU_SCHED_DEPS);

/**
 * drm_sched_reset_karma - forget a job's hangs
 * @bad: the job
 */
void drm_sched_reset_karma(struct drm_sched_job *bad)
{
	drm_sched_increase_karma_ext(bad, 0);
}
EXPORT_SYMBOL_NS_GPL(drm_sched_reset_karma, GPU_SCHED_DEPS);

/**
 * drm_sched_pick_best - the least loaded of a list of schedulers
 * @sched_list: the schedulers
 * @num_sched_list: number of entries
 *
 * Return: the ready scheduler with the lowest score, or NULL if none is
 * ready.
 */
struct drm_gpu_scheduler *
drm_sched_pick_best(struct drm_gpu_scheduler **sched_list,
		    unsigned int num_sched_list)
{
	struct drm_gpu_scheduler *best = NULL;
	unsigned int min_score = UINT_MAX;
	unsigned int i;

	for (i = 0; i < num_sched_list; i++) {
		struct drm_gpu_scheduler *sched = sched_list[i];
		unsigned int score;

		if (!sched->ready) {
			pr_warn("scheduler %s is not ready, skipping\n",
				sched->name);
			continue;
		}
		score = atomic_read(sched->score);
		if (score < min_score) {
			min_score = score;
			best = sched;
		}
	}
	return best;
}
EXPORT_SYMBOL_NS_GPL(drm_sched_pick_best, GPU_SCHED_DEPS);

/**
 * drm_sched_dependency_optimized - whether a dependency is cheap to wait for
 * @fence: the dependency
 * @entity: the entity of the job that would wait
 *
 * Return: true if @fence is unsignalled and belongs to @entity or to another
 * job on @entity's scheduler, so the wait only needs the job to be
 * scheduled.
 */
bool drm_sched_dependency_optimized(struct dma_fence *fence,
				    struct drm_sched_entity *entity)
{
	struct drm_sched_fence *s_fence;

	if (!fence || dma_fence_is_signaled(fence))
		return false;
	if (fence->context == entity->fence_context)
		return true;
	s_fence = to_drm_sched_fence(fence);
	return s_fence && entity->rq && s_fence->sched == entity->rq->sched;
}
EXPORT_SYMBOL_NS_GPL(drm_sched_dependency_optimized, GPU_SCHED_DEPS);
