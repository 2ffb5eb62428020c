// SPDX-License-Identifier: GPL-2.0-only
/*
 * Mock backend for the gpu-sched-deps KUnit suites; see mock_sched.h.
 *
 * The "hardware" of a mock scheduler is a list of hardware fences, oldest
 * first.  A job with a duration finishes at max(now, previous finish) plus
 * its duration, like jobs on one ring; one hrtimer per scheduler, armed for
 * the oldest job, completes every job that is due.  A job without a
 * duration blocks the ring until the test advances the timeline.
 *
 * All memory of jobs, entities and schedulers is owned by the case (KUnit
 * allocations); free_job only drops references.  Hardware and counting
 * fences are separate allocations freed on their last reference, so that a
 * reference kept too long cannot reach freed case memory.
 */
#include <linux/delay.h>
#include <linux/dma-resv.h>
#include <linux/jiffies.h>
#include <linux/kref.h>
#include <linux/poison.h>
#include <linux/slab.h>

#include <drm/drm_gem.h>

#include "mock_sched.h"

#define mock_violation(ctx, fmt, ...)					\
	do {								\
		atomic_inc(&(ctx)->violations);				\
		printk(KERN_ERR KUNIT_SUBTEST_INDENT			\
		       "# gsd-mock: violation: " fmt "\n", ##__VA_ARGS__); \
	} while (0)

struct mock_fence_pool {
	struct kref ref;
	spinlock_t lock;		/* protects @live */
	struct list_head live;		/* unreleased counting fences */
	atomic_t created;
	atomic_t released;
};

struct mock_cfence {
	struct dma_fence base;
	spinlock_t lock;
	struct mock_fence_pool *pool;
	struct list_head link;
};

struct mock_hw_fence {
	struct dma_fence base;
	struct mock_job *job;
	struct list_head link;
	ktime_t finish_at;
	bool timed;
};

struct mock_gem {
	struct drm_gem_object base;
	struct dma_resv resv;
	struct list_head link;
};

/* The gems of a case, kept apart from the scheduler objects. */
struct mock_gem_list {
	spinlock_t lock;
	struct list_head gems;
};

static bool mock_signaled(struct dma_fence *f)
{
	return test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, &f->flags);
}

static struct mock_ctx *mock_ctx(struct kunit *test)
{
	return test->priv;
}

/* ------------------------------------------------------------------------
 * Counting fences
 */

static void mock_pool_free(struct kref *ref)
{
	kfree(container_of(ref, struct mock_fence_pool, ref));
}

static const char *mock_cfence_driver_name(struct dma_fence *f)
{
	return "gsd-mock";
}

static const char *mock_cfence_timeline_name(struct dma_fence *f)
{
	return "gsd-mock-counting";
}

static void mock_cfence_release(struct dma_fence *f)
{
	struct mock_cfence *cf = container_of(f, struct mock_cfence, base);
	struct mock_fence_pool *pool = cf->pool;
	unsigned long flags;

	spin_lock_irqsave(&pool->lock, flags);
	list_del(&cf->link);
	spin_unlock_irqrestore(&pool->lock, flags);
	atomic_inc(&pool->released);
	kref_put(&pool->ref, mock_pool_free);
	dma_fence_free(f);
}

static const struct dma_fence_ops mock_cfence_ops = {
	.get_driver_name = mock_cfence_driver_name,
	.get_timeline_name = mock_cfence_timeline_name,
	.release = mock_cfence_release,
};

bool mock_fence_is_counting(struct dma_fence *f)
{
	return f->ops == &mock_cfence_ops;
}

struct dma_fence *mock_fence_create_ctx(struct kunit *test, u64 context,
					u64 seqno)
{
	struct mock_fence_pool *pool = mock_ctx(test)->pool;
	struct mock_cfence *cf;
	unsigned long flags;

	cf = kzalloc(sizeof(*cf), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, cf);
	spin_lock_init(&cf->lock);
	dma_fence_init(&cf->base, &mock_cfence_ops, &cf->lock, context, seqno);
	cf->pool = pool;
	kref_get(&pool->ref);
	spin_lock_irqsave(&pool->lock, flags);
	list_add_tail(&cf->link, &pool->live);
	spin_unlock_irqrestore(&pool->lock, flags);
	atomic_inc(&pool->created);
	return &cf->base;
}

struct dma_fence *mock_fence_create(struct kunit *test)
{
	return mock_fence_create_ctx(test, dma_fence_context_alloc(1), 1);
}

void mock_fence_signal(struct dma_fence *f, int error)
{
	if (error)
		dma_fence_set_error(f, error);
	dma_fence_signal(f);
}

unsigned int mock_fences_created(struct kunit *test)
{
	return atomic_read(&mock_ctx(test)->pool->created);
}

unsigned int mock_fences_released(struct kunit *test)
{
	return atomic_read(&mock_ctx(test)->pool->released);
}

bool mock_fences_wait_released(struct kunit *test)
{
	struct mock_fence_pool *pool = mock_ctx(test)->pool;
	unsigned long end = jiffies + MOCK_WAIT;

	while (atomic_read(&pool->released) != atomic_read(&pool->created)) {
		if (time_after(jiffies, end))
			return false;
		msleep(1);
	}
	return true;
}

/* Signal every counting fence still alive, so nothing waits for them. */
static void mock_pool_signal_all(struct mock_fence_pool *pool)
{
	for (;;) {
		struct dma_fence *todo = NULL;
		struct mock_cfence *cf;
		unsigned long flags;

		spin_lock_irqsave(&pool->lock, flags);
		list_for_each_entry(cf, &pool->live, link) {
			if (!mock_signaled(&cf->base) &&
			    kref_get_unless_zero(&cf->base.refcount)) {
				todo = &cf->base;
				break;
			}
		}
		spin_unlock_irqrestore(&pool->lock, flags);
		if (!todo)
			return;
		dma_fence_signal(todo);
		dma_fence_put(todo);
	}
}

bool mock_wait_atomic(atomic_t *v, int n)
{
	unsigned long end = jiffies + MOCK_WAIT;

	while (atomic_read(v) < n) {
		if (time_after(jiffies, end))
			return false;
		msleep(1);
	}
	return true;
}

unsigned int mock_violations(struct kunit *test)
{
	return atomic_read(&mock_ctx(test)->violations);
}

/* ------------------------------------------------------------------------
 * Hardware
 */

static const char *mock_hw_driver_name(struct dma_fence *f)
{
	return "gsd-mock";
}

static const char *mock_hw_timeline_name(struct dma_fence *f)
{
	return "gsd-mock-hw";
}

static const struct dma_fence_ops mock_hw_fence_ops = {
	.get_driver_name = mock_hw_driver_name,
	.get_timeline_name = mock_hw_timeline_name,
};

/* Called with ms->lock held: aim the timer at the oldest job, if timed. */
static void mock_kick_timer_locked(struct mock_sched *ms)
{
	struct mock_hw_fence *hwf;

	hwf = list_first_entry_or_null(&ms->hw_list, struct mock_hw_fence,
				       link);
	if (hwf && hwf->timed)
		hrtimer_start(&ms->timer, hwf->finish_at, HRTIMER_MODE_ABS);
}

/* Signal the hardware fences on @done, oldest first. */
static void mock_complete_list(struct mock_sched *ms, struct list_head *done,
			       int error, bool notify)
{
	struct mock_hw_fence *hwf, *tmp;

	list_for_each_entry_safe(hwf, tmp, done, link) {
		struct mock_job *job = hwf->job;

		list_del_init(&hwf->link);
		atomic_dec(&ms->in_flight);
		if (error)
			dma_fence_set_error(&hwf->base, error);
		dma_fence_signal(&hwf->base);
		if (notify)
			complete_all(&job->hw_done);
		dma_fence_put(&hwf->base);
	}
}

static enum hrtimer_restart mock_timer_fn(struct hrtimer *timer)
{
	struct mock_sched *ms = container_of(timer, struct mock_sched, timer);
	struct mock_hw_fence *hwf;
	ktime_t now = ktime_get();
	unsigned long flags;
	LIST_HEAD(done);

	spin_lock_irqsave(&ms->lock, flags);
	while ((hwf = list_first_entry_or_null(&ms->hw_list,
					       struct mock_hw_fence, link))) {
		if (!hwf->timed || ktime_after(hwf->finish_at, now))
			break;
		list_move_tail(&hwf->link, &done);
	}
	mock_kick_timer_locked(ms);
	spin_unlock_irqrestore(&ms->lock, flags);

	mock_complete_list(ms, &done, 0, true);
	return HRTIMER_NORESTART;
}

unsigned int mock_sched_advance(struct mock_sched *ms, unsigned int n)
{
	struct mock_hw_fence *hwf;
	unsigned int count = 0;
	unsigned long flags;
	LIST_HEAD(done);

	spin_lock_irqsave(&ms->lock, flags);
	while (count < n &&
	       (hwf = list_first_entry_or_null(&ms->hw_list,
					       struct mock_hw_fence, link))) {
		list_move_tail(&hwf->link, &done);
		count++;
	}
	mock_kick_timer_locked(ms);
	spin_unlock_irqrestore(&ms->lock, flags);

	mock_complete_list(ms, &done, 0, true);
	return count;
}

unsigned int mock_sched_hw_count(struct mock_sched *ms)
{
	struct mock_hw_fence *hwf;
	unsigned int n = 0;
	unsigned long flags;

	spin_lock_irqsave(&ms->lock, flags);
	list_for_each_entry(hwf, &ms->hw_list, link)
		n++;
	spin_unlock_irqrestore(&ms->lock, flags);
	return n;
}

/* Complete the current run of @job, wherever it is on the hardware. */
static void mock_hw_complete_job(struct mock_sched *ms, struct mock_job *job,
				 int error)
{
	struct mock_hw_fence *hwf, *tmp;
	unsigned long flags;
	LIST_HEAD(done);

	spin_lock_irqsave(&ms->lock, flags);
	list_for_each_entry_safe(hwf, tmp, &ms->hw_list, link)
		if (hwf->job == job)
			list_move_tail(&hwf->link, &done);
	mock_kick_timer_locked(ms);
	spin_unlock_irqrestore(&ms->lock, flags);

	mock_complete_list(ms, &done, error, true);
}

/* A hardware reset: whatever ran is lost (its fences signal with -EIO). */
void mock_sched_hw_reset(struct mock_sched *ms)
{
	unsigned long flags;
	LIST_HEAD(done);

	spin_lock_irqsave(&ms->lock, flags);
	list_splice_init(&ms->hw_list, &done);
	spin_unlock_irqrestore(&ms->lock, flags);
	hrtimer_cancel(&ms->timer);

	mock_complete_list(ms, &done, -EIO, false);
}

/* ------------------------------------------------------------------------
 * Backend operations
 */

static bool mock_dep_satisfied(struct dma_fence *f, struct mock_sched *ms)
{
	struct drm_sched_fence *sf;

	if (mock_signaled(f))
		return true;
	/* One ring runs in order: a job of this scheduler need only be
	 * scheduled.
	 */
	sf = to_drm_sched_fence(f);
	return sf && f == &sf->finished && sf->sched == &ms->base &&
	       mock_signaled(&sf->scheduled);
}

static void mock_note_max(atomic_t *max, int v)
{
	int cur = atomic_read(max);

	while (v > cur) {
		int old = atomic_cmpxchg(max, cur, v);

		if (old == cur)
			break;
		cur = old;
	}
}

/* Last step of run_job: whoever waits for the run sees its effects. */
static void mock_run_done(struct mock_sched *ms, struct mock_job *job)
{
	complete_all(&job->ran);
	atomic_inc(&ms->runs);
	wake_up_all(&ms->event);
}

static struct dma_fence *mock_run_job(struct drm_sched_job *sj)
{
	struct mock_job *job = to_mock_job(sj);
	struct mock_sched *ms = to_mock_sched(sj->sched);
	struct mock_ctx *ctx = job->ctx;
	struct mock_hw_fence *hwf;
	unsigned long flags;
	unsigned int i, run;

	run = atomic_inc_return(&job->run_count);
	WRITE_ONCE(job->ran_on, ms);

	if (run == 1) {
		for (i = 0; i < job->ndeps; i++)
			if (!mock_dep_satisfied(job->deps[i], ms))
				mock_violation(ctx, "job %u runs before its dependency #%u (context %llu seqno %llu) is satisfied",
					       job->id, i, job->deps[i]->context,
					       (u64)job->deps[i]->seqno);
		if (mock_signaled(&sj->s_fence->scheduled))
			mock_violation(ctx, "job %u: scheduled signalled before run_job",
				       job->id);

		spin_lock_irqsave(&ctx->log_lock, flags);
		job->run_seq = atomic_inc_return(&ctx->run_clock);
		if (ctx->log_len < ctx->log_cap)
			ctx->log[ctx->log_len++] = job->id;
		spin_unlock_irqrestore(&ctx->log_lock, flags);
	}

	/* What drivers do for cancelled (guilty, killed) jobs. */
	if (sj->s_fence->finished.error) {
		atomic_inc(&job->skipped_runs);
		mock_run_done(ms, job);
		return NULL;
	}

	hwf = run <= MOCK_MAX_RUNS ? job->hw_prealloc[run - 1] : NULL;
	if (hwf)
		job->hw_prealloc[run - 1] = NULL;
	else
		hwf = kzalloc(sizeof(*hwf), GFP_NOWAIT | __GFP_NOWARN);
	if (!hwf) {
		mock_run_done(ms, job);
		return ERR_PTR(-ENOMEM);
	}
	hwf->job = job;
	INIT_LIST_HEAD(&hwf->link);

	spin_lock_irqsave(&ms->lock, flags);
	dma_fence_init(&hwf->base, &mock_hw_fence_ops, &ms->fence_lock,
		       ms->hw_context, ++ms->hw_seqno);
	if (job->duration_us || READ_ONCE(ms->draining)) {
		ktime_t now = ktime_get();
		ktime_t start = ktime_after(ms->last_finish, now) ?
				ms->last_finish : now;

		hwf->timed = true;
		hwf->finish_at = ktime_add_us(start, job->duration_us);
		ms->last_finish = hwf->finish_at;
	}
	dma_fence_get(&hwf->base);	/* the hardware list's reference */
	list_add_tail(&hwf->link, &ms->hw_list);
	mock_note_max(&ms->max_in_flight, atomic_inc_return(&ms->in_flight));
	if (list_is_first(&hwf->link, &ms->hw_list))
		mock_kick_timer_locked(ms);
	spin_unlock_irqrestore(&ms->lock, flags);

	if (run == 1)
		WRITE_ONCE(job->returned_fence, true);
	mock_run_done(ms, job);
	return &hwf->base;
}

void mock_sched_stop(struct mock_sched *ms, struct drm_sched_job *bad)
{
	drm_sched_stop(&ms->base, bad);
	WRITE_ONCE(ms->stopped, true);
}

void mock_sched_start(struct mock_sched *ms, bool full_recovery)
{
	WRITE_ONCE(ms->stopped, false);
	drm_sched_start(&ms->base, full_recovery);
}

void mock_sched_recover(struct mock_sched *ms, struct drm_sched_job *bad)
{
	mock_sched_stop(ms, bad);
	if (bad)
		drm_sched_increase_karma(bad);
	mock_sched_hw_reset(ms);
	drm_sched_resubmit_jobs(&ms->base);
	mock_sched_start(ms, true);
}

void mock_reset_all_queues(struct mock_ctx *ctx, struct drm_sched_job *bad)
{
	struct mock_sched *ms;

	mutex_lock(&ctx->reset_lock);
	list_for_each_entry(ms, &ctx->scheds, link)
		if (!ms->gone)
			mock_sched_stop(ms, bad);
	if (bad)
		drm_sched_increase_karma(bad);
	list_for_each_entry(ms, &ctx->scheds, link)
		if (!ms->gone)
			mock_sched_hw_reset(ms);
	list_for_each_entry(ms, &ctx->scheds, link)
		if (!ms->gone)
			drm_sched_resubmit_jobs(&ms->base);
	list_for_each_entry(ms, &ctx->scheds, link)
		if (!ms->gone)
			mock_sched_start(ms, true);
	mutex_unlock(&ctx->reset_lock);
}

void mock_sched_fini_gone(struct mock_sched *ms)
{
	drm_sched_fini(&ms->base);
	WRITE_ONCE(ms->gone, true);
	memset(&ms->base, POISON_FREE, sizeof(ms->base));
}

static enum drm_gpu_sched_stat mock_timedout_job(struct drm_sched_job *sj)
{
	struct mock_job *job = to_mock_job(sj);
	struct mock_sched *ms = to_mock_sched(sj->sched);
	struct drm_gpu_scheduler *sched = sj->sched;

	atomic_inc(&job->timedout);
	complete_all(&ms->tdr_entered);
	switch (READ_ONCE(ms->tdr_mode)) {
	case MOCK_TDR_COMPLETE:
		mock_hw_complete_job(ms, job, -ETIMEDOUT);
		break;
	case MOCK_TDR_RESET:
		mock_sched_recover(ms, sj);
		break;
	case MOCK_TDR_OWN:
		/* As upstream's mock does since 2025 ("a role model"). */
		mock_hw_complete_job(ms, job, -ETIMEDOUT);
		WRITE_ONCE(job->driver_owned, true);
		drm_sched_job_cleanup(sj);
		job->cleaned = true;
		break;
	case MOCK_TDR_READD:
		/* v3d's "made progress" return since 6.1.139. */
		spin_lock(&sched->job_list_lock);
		list_add(&sj->list, &sched->pending_list);
		spin_unlock(&sched->job_list_lock);
		break;
	case MOCK_TDR_ALL_QUEUES:
		if (ms->tdr_gate)
			wait_for_completion(ms->tdr_gate);
		mock_reset_all_queues(job->ctx, sj);
		break;
	case MOCK_TDR_NOP:
		break;
	}
	atomic_inc(&ms->timedout_calls);
	wake_up_all(&ms->event);
	return DRM_GPU_SCHED_STAT_NOMINAL;
}

static void mock_free_job(struct drm_sched_job *sj)
{
	struct mock_job *job = to_mock_job(sj);
	struct mock_sched *ms = to_mock_sched(sj->sched);

	if (atomic_inc_return(&job->free_count) > 1)
		mock_violation(job->ctx, "job %u freed twice", job->id);
	/* Drivers sleep in free_job: it must run in process context. */
	if (!in_task())
		mock_violation(job->ctx, "job %u freed in interrupt context",
			       job->id);
	drm_sched_job_cleanup(sj);
	job->cleaned = true;
	if (READ_ONCE(ms->poison_freed))
		memset(sj, POISON_FREE, sizeof(*sj));
	complete_all(&job->freed);
}

/* Hands out the job's op_dep, then op_dep2, after the added dependencies. */
static struct dma_fence *mock_dependency(struct drm_sched_job *sj,
					 struct drm_sched_entity *entity)
{
	struct mock_job *job = to_mock_job(sj);
	struct mock_sched *ms = to_mock_sched(sj->sched);
	struct dma_fence *f;
	unsigned int i;

	atomic_inc(&job->op_calls);
	for (i = 0; i < job->ndeps; i++)
		if (!mock_dep_satisfied(job->deps[i], ms))
			mock_violation(job->ctx, "job %u: dependency callback called before dependency #%u is satisfied",
				       job->id, i);
	f = xchg(&job->op_dep, NULL);
	return f ? f : xchg(&job->op_dep2, NULL);
}

static const struct drm_sched_backend_ops mock_sched_ops = {
	.run_job = mock_run_job,
	.timedout_job = mock_timedout_job,
	.free_job = mock_free_job,
};

static const struct drm_sched_backend_ops mock_sched_ops_dep = {
	.dependency = mock_dependency,
	.run_job = mock_run_job,
	.timedout_job = mock_timedout_job,
	.free_job = mock_free_job,
};

/* ------------------------------------------------------------------------
 * Schedulers, entities, jobs
 */

static struct mock_sched *
__mock_sched_create(struct kunit *test, const struct drm_sched_backend_ops *ops,
		    u32 hw_limit, unsigned int hang_limit, long timeout,
		    atomic_t *score)
{
	struct mock_ctx *ctx = mock_ctx(test);
	struct mock_sched *ms;
	int ret;

	ms = kunit_kzalloc(test, sizeof(*ms), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ms);
	ms->ctx = ctx;
	spin_lock_init(&ms->lock);
	spin_lock_init(&ms->fence_lock);
	INIT_LIST_HEAD(&ms->hw_list);
	ms->hw_context = dma_fence_context_alloc(1);
	gsd_hrtimer_setup(&ms->timer, mock_timer_fn, CLOCK_MONOTONIC,
			  HRTIMER_MODE_ABS);
	init_waitqueue_head(&ms->event);
	init_completion(&ms->tdr_entered);

	spin_lock(&ctx->lock);
	snprintf(ms->name, sizeof(ms->name), "gsd-mock-%u",
		 ctx->next_sched_id++);
	spin_unlock(&ctx->lock);

	ret = drm_sched_init(&ms->base, ops, hw_limit, hang_limit, timeout,
			     NULL, score, ms->name);
	KUNIT_ASSERT_EQ(test, ret, 0);

	spin_lock(&ctx->lock);
	list_add_tail(&ms->link, &ctx->scheds);
	spin_unlock(&ctx->lock);
	return ms;
}

struct mock_sched *mock_sched_create(struct kunit *test, u32 hw_limit,
				     unsigned int hang_limit, long timeout,
				     atomic_t *score)
{
	return __mock_sched_create(test, &mock_sched_ops, hw_limit, hang_limit,
				   timeout, score);
}

struct mock_sched *mock_sched_create_dep_op(struct kunit *test, u32 hw_limit)
{
	return __mock_sched_create(test, &mock_sched_ops_dep, hw_limit, 0,
				   MAX_SCHEDULE_TIMEOUT, NULL);
}

void mock_sched_advance_irq(struct mock_sched *ms)
{
	struct mock_hw_fence *hwf;
	ktime_t now = ktime_get();
	unsigned long flags;

	spin_lock_irqsave(&ms->lock, flags);
	list_for_each_entry(hwf, &ms->hw_list, link) {
		hwf->timed = true;
		hwf->finish_at = now;
	}
	mock_kick_timer_locked(ms);
	spin_unlock_irqrestore(&ms->lock, flags);
}

bool mock_sched_wait_timedout(struct mock_sched *ms, unsigned int n)
{
	return wait_event_timeout(ms->event,
				  atomic_read(&ms->timedout_calls) >= n,
				  MOCK_WAIT) != 0;
}

bool mock_sched_wait_runs(struct mock_sched *ms, unsigned int n)
{
	return wait_event_timeout(ms->event, atomic_read(&ms->runs) >= n,
				  MOCK_WAIT) != 0;
}

struct mock_entity *mock_entity_create(struct kunit *test,
				       enum drm_sched_priority prio,
				       struct mock_sched **scheds,
				       unsigned int n)
{
	struct mock_ctx *ctx = mock_ctx(test);
	struct mock_entity *me;
	unsigned int i;
	int ret;

	me = kunit_kzalloc(test, sizeof(*me), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, me);
	me->sched_list = kunit_kcalloc(test, n ? n : 1,
				       sizeof(*me->sched_list), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, me->sched_list);
	for (i = 0; i < n; i++)
		me->sched_list[i] = &scheds[i]->base;

	ret = drm_sched_entity_init(&me->base, prio, me->sched_list, n,
				    &me->guilty);
	KUNIT_ASSERT_EQ(test, ret, 0);
	me->live = true;

	spin_lock(&ctx->lock);
	list_add_tail(&me->link, &ctx->entities);
	spin_unlock(&ctx->lock);
	return me;
}

void mock_entity_destroy(struct mock_entity *me)
{
	if (!me->live)
		return;
	me->live = false;
	drm_sched_entity_destroy(&me->base);
}

long mock_entity_flush(struct mock_entity *me, long timeout)
{
	return drm_sched_entity_flush(&me->base, timeout);
}

void mock_entity_fini(struct mock_entity *me)
{
	me->live = false;
	drm_sched_entity_fini(&me->base);
}

struct mock_job *mock_job_try_create(struct kunit *test,
				     struct mock_entity *me,
				     unsigned int duration_us)
{
	struct mock_ctx *ctx = mock_ctx(test);
	struct mock_job *job;
	unsigned int i;

	job = kunit_kzalloc(test, sizeof(*job), GFP_KERNEL);
	if (!job)
		return NULL;
	for (i = 0; i < MOCK_MAX_RUNS; i++) {
		job->hw_prealloc[i] = kzalloc(sizeof(struct mock_hw_fence),
					      GFP_KERNEL);
		if (!job->hw_prealloc[i])
			goto fail;
	}
	job->ctx = ctx;
	job->entity = me;
	job->duration_us = duration_us;
	init_completion(&job->ran);
	init_completion(&job->hw_done);
	init_completion(&job->freed);

	if (drm_sched_job_init(&job->base, &me->base, job))
		goto fail;
	job->inited = true;

	spin_lock(&ctx->lock);
	job->id = ctx->next_job_id++;
	list_add_tail(&job->link, &ctx->jobs);
	spin_unlock(&ctx->lock);
	return job;

fail:
	for (i = 0; i < MOCK_MAX_RUNS; i++)
		kfree(job->hw_prealloc[i]);
	return NULL;
}

struct mock_job *mock_job_create(struct kunit *test, struct mock_entity *me,
				 unsigned int duration_us)
{
	struct mock_job *job = mock_job_try_create(test, me, duration_us);

	KUNIT_ASSERT_NOT_NULL(test, job);
	return job;
}

void mock_job_record_dep(struct mock_job *job, struct dma_fence *fence)
{
	struct kunit *test = job->ctx->test;

	KUNIT_EXPECT_LT(test, job->ndeps, MOCK_MAX_DEPS);
	if (job->ndeps < MOCK_MAX_DEPS)
		job->deps[job->ndeps++] = dma_fence_get(fence);
}

int mock_job_add_dep(struct mock_job *job, struct dma_fence *fence)
{
	mock_job_record_dep(job, fence);
	return drm_sched_job_add_dependency(&job->base, dma_fence_get(fence));
}

void mock_job_arm(struct mock_job *job)
{
	drm_sched_job_arm(&job->base);
	job->scheduled = dma_fence_get(&job->base.s_fence->scheduled);
	job->finished = dma_fence_get(&job->base.s_fence->finished);
	job->armed = true;
}

static void mock_scheduled_cb(struct dma_fence *f, struct dma_fence_cb *cb)
{
	struct mock_job *job = container_of(cb, struct mock_job, scheduled_cb);
	struct drm_sched_fence *sf = to_drm_sched_fence(f);

	if (atomic_read(&job->run_count) && READ_ONCE(job->returned_fence) &&
	    !READ_ONCE(sf->parent))
		mock_violation(job->ctx, "job %u: scheduled signalled before its hardware fence was recorded",
			       job->id);
}

static void mock_finished_cb(struct dma_fence *f, struct dma_fence_cb *cb)
{
	struct mock_job *job = container_of(cb, struct mock_job, finished_cb);
	unsigned int i;

	/* A job that never ran was killed: it must have waited all the
	 * same, for its dependencies' finished fences.
	 */
	if (atomic_read(&job->run_count))
		return;
	for (i = 0; i < job->ndeps; i++)
		if (!mock_signaled(job->deps[i]))
			mock_violation(job->ctx, "killed job %u finished before its dependency #%u",
				       job->id, i);
}

void mock_job_push(struct mock_job *job)
{
	/* Our callbacks go first: they see the state before the scheduler's
	 * own callbacks run.
	 */
	dma_fence_add_callback(job->scheduled, &job->scheduled_cb,
			       mock_scheduled_cb);
	dma_fence_add_callback(job->finished, &job->finished_cb,
			       mock_finished_cb);
	job->pushed = true;
	drm_sched_entity_push_job(&job->base);
}

void mock_job_submit(struct mock_job *job)
{
	mock_job_arm(job);
	mock_job_push(job);
}

void mock_job_cleanup(struct mock_job *job)
{
	drm_sched_job_cleanup(&job->base);
	job->cleaned = true;
}

void mock_job_drop_finished(struct mock_job *job)
{
	if (!job->finished)
		return;
	if (job->pushed)
		dma_fence_remove_callback(job->finished, &job->finished_cb);
	dma_fence_put(job->finished);
	job->finished = NULL;
}

bool mock_job_wait_ran(struct mock_job *job)
{
	return wait_for_completion_timeout(&job->ran, MOCK_WAIT) != 0;
}

bool mock_job_wait_scheduled(struct mock_job *job)
{
	return job->scheduled &&
	       dma_fence_wait_timeout(job->scheduled, false, MOCK_WAIT) > 0;
}

bool mock_job_wait_finished(struct mock_job *job)
{
	return job->finished &&
	       dma_fence_wait_timeout(job->finished, false, MOCK_WAIT) > 0;
}

bool mock_job_wait_freed(struct mock_job *job)
{
	return wait_for_completion_timeout(&job->freed, MOCK_WAIT) != 0;
}

/* ------------------------------------------------------------------------
 * Reservation objects
 */

static struct mock_gem_list *mock_gems(struct kunit *test);

struct drm_gem_object *mock_gem_create(struct kunit *test)
{
	struct mock_gem_list *gl = mock_gems(test);
	struct mock_gem *g;

	g = kunit_kzalloc(test, sizeof(*g), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, g);
	dma_resv_init(&g->resv);
	g->base.resv = &g->resv;
	spin_lock(&gl->lock);
	list_add_tail(&g->link, &gl->gems);
	spin_unlock(&gl->lock);
	return &g->base;
}

void mock_gem_lock(struct drm_gem_object *obj)
{
	dma_resv_lock(obj->resv, NULL);
}

void mock_gem_unlock(struct drm_gem_object *obj)
{
	dma_resv_unlock(obj->resv);
}

void mock_gem_add_fence(struct kunit *test, struct drm_gem_object *obj,
			struct dma_fence *fence, bool write)
{
	int ret;

	mock_gem_lock(obj);
	ret = gsd_resv_reserve(obj->resv, 1);
	if (!ret)
		gsd_resv_add_fence(obj->resv, fence, write);
	mock_gem_unlock(obj);
	KUNIT_ASSERT_EQ(test, ret, 0);
}

/* ------------------------------------------------------------------------
 * The context of a case
 */

struct mock_ctx_full {
	struct mock_ctx ctx;
	struct mock_gem_list gems;
};

static struct mock_gem_list *mock_gems(struct kunit *test)
{
	return &container_of(mock_ctx(test), struct mock_ctx_full, ctx)->gems;
}

int mock_ctx_init(struct kunit *test)
{
	struct mock_ctx_full *full;
	struct mock_ctx *ctx;

	full = kunit_kzalloc(test, sizeof(*full), GFP_KERNEL);
	if (!full)
		return -ENOMEM;
	ctx = &full->ctx;
	ctx->pool = kzalloc(sizeof(*ctx->pool), GFP_KERNEL);
	if (!ctx->pool)
		return -ENOMEM;
	kref_init(&ctx->pool->ref);
	spin_lock_init(&ctx->pool->lock);
	INIT_LIST_HEAD(&ctx->pool->live);

	ctx->test = test;
	spin_lock_init(&ctx->lock);
	spin_lock_init(&ctx->log_lock);
	INIT_LIST_HEAD(&ctx->scheds);
	INIT_LIST_HEAD(&ctx->entities);
	INIT_LIST_HEAD(&ctx->jobs);
	mutex_init(&ctx->reset_lock);
	spin_lock_init(&full->gems.lock);
	INIT_LIST_HEAD(&full->gems.gems);
	test->priv = ctx;
	return 0;
}

void mock_log_enable(struct kunit *test, unsigned int cap)
{
	struct mock_ctx *ctx = mock_ctx(test);
	unsigned int *log;

	log = kunit_kcalloc(test, cap, sizeof(*log), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, log);
	spin_lock_irq(&ctx->log_lock);
	ctx->log = log;
	ctx->log_len = 0;
	ctx->log_cap = cap;
	spin_unlock_irq(&ctx->log_lock);
}

unsigned int mock_log_len(struct kunit *test)
{
	return READ_ONCE(mock_ctx(test)->log_len);
}

unsigned int mock_log_at(struct kunit *test, unsigned int i)
{
	struct mock_ctx *ctx = mock_ctx(test);

	return i < READ_ONCE(ctx->log_len) ? ctx->log[i] : UINT_MAX;
}

bool mock_job_holds_dep(struct mock_job *job, struct dma_fence *f)
{
	const struct drm_sched_job_deps *deps = &job->base.dependencies;
	unsigned int i;

	for (i = 0; i < deps->size; i++)
		if (deps->slots[i] == f)
			return true;
	return false;
}

/* Push every pushed job through to free_job, completing all hardware. */
static void mock_ctx_drain(struct kunit *test, struct mock_ctx *ctx)
{
	unsigned long end = jiffies + MOCK_WAIT;
	struct mock_sched *ms;
	struct mock_job *job;

	list_for_each_entry(job, &ctx->jobs, link) {
		if (!job->pushed || READ_ONCE(job->driver_owned))
			continue;
		while (!wait_for_completion_timeout(&job->freed, HZ / 50)) {
			list_for_each_entry(ms, &ctx->scheds, link)
				mock_sched_advance(ms, UINT_MAX);
			if (time_after(jiffies, end)) {
				KUNIT_FAIL(test, "teardown: job %u was never freed",
					   job->id);
				break;
			}
		}
	}
}

void mock_ctx_exit(struct kunit *test)
{
	struct mock_ctx *ctx = mock_ctx(test);
	struct mock_gem *g, *gtmp;
	struct mock_entity *me;
	struct mock_sched *ms;
	struct mock_job *job;
	unsigned int i;

	if (!ctx || !ctx->pool)
		return;

	/* Nothing may wait for a test's fence any more. */
	mock_pool_signal_all(ctx->pool);

	/* From now on every job completes by itself, at once. */
	list_for_each_entry(ms, &ctx->scheds, link) {
		WRITE_ONCE(ms->draining, true);
		if (ms->tdr_gate)
			complete_all(ms->tdr_gate);
		if (ms->gone)
			continue;
		if (READ_ONCE(ms->stopped))
			mock_sched_start(ms, true);
		mock_sched_advance(ms, UINT_MAX);
	}

	/* Entities still alive are torn down; their queued jobs are killed. */
	list_for_each_entry_reverse(me, &ctx->entities, link)
		mock_entity_destroy(me);

	mock_ctx_drain(test, ctx);

	list_for_each_entry(ms, &ctx->scheds, link) {
		if (!ms->gone)
			drm_sched_fini(&ms->base);
		hrtimer_cancel(&ms->timer);
		/* What fini left on the hardware is lost. */
		mock_sched_hw_reset(ms);
	}

	list_for_each_entry(job, &ctx->jobs, link) {
		if (job->inited && !job->pushed && !job->cleaned)
			drm_sched_job_cleanup(&job->base);
		if (job->pushed) {
			dma_fence_remove_callback(job->scheduled,
						  &job->scheduled_cb);
			if (job->finished)
				dma_fence_remove_callback(job->finished,
							  &job->finished_cb);
		}
		dma_fence_put(job->scheduled);
		dma_fence_put(job->finished);
		for (i = 0; i < job->ndeps; i++)
			dma_fence_put(job->deps[i]);
		for (i = 0; i < MOCK_MAX_RUNS; i++)
			kfree(job->hw_prealloc[i]);
		dma_fence_put(job->op_dep);
		dma_fence_put(job->op_dep2);
	}

	list_for_each_entry_safe(g, gtmp, &mock_gems(test)->gems, link)
		dma_resv_fini(&g->resv);

	kref_put(&ctx->pool->ref, mock_pool_free);
	ctx->pool = NULL;
}
