// SPDX-License-Identifier: GPL-2.0-only
/*
 * Resets, kills and teardown as drivers drive them: who owns the timed-out
 * job (the 5.5+ contract), v3d's reset of every queue with one bad job while
 * the timeouts of several queues run concurrently on system_wq, killed jobs
 * depending on scheduled fences or on same-scheduler fences the dependency
 * callback handed out, drm_sched_fini() racing a timeout, leaving busy jobs
 * behind or outliving killed jobs, and a scheduler stopped twice.
 */
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/workqueue.h>

#include "gsd_tests.h"
#include "mock_sched.h"

static long gsd_reset_timeout(void)
{
	return max_t(long, HZ / 10, 1);
}

static bool gsd_reset_wait_entered(struct mock_sched *ms)
{
	return wait_for_completion_timeout(&ms->tdr_entered, MOCK_WAIT) != 0;
}

/* A gate for MOCK_TDR_ALL_QUEUES: the teardown opens it after the case. */
static struct completion *gsd_reset_gate(struct kunit *test)
{
	struct completion *gate = kunit_kzalloc(test, sizeof(*gate),
						GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, gate);
	init_completion(gate);
	return gate;
}

/* A scheduler whose freed jobs are poisoned: no case here reads them. */
static struct mock_sched *gsd_reset_sched(struct kunit *test, u32 hw_limit,
					  long timeout)
{
	struct mock_sched *ms = mock_sched_create(test, hw_limit, 0, timeout,
						  NULL);

	ms->poison_freed = true;
	return ms;
}

/*
 * The handler of upstream's drm_sched_basic_timeout (mock of 2025): it
 * completes the hardware fence itself, calls drm_sched_job_cleanup() and
 * returns without drm_sched_stop().  The job then belongs to the driver:
 * the scheduler neither touches nor frees it again.
 */
static void gsd_reset_driver_keeps_job(struct kunit *test)
{
	long timeout = gsd_reset_timeout();
	struct mock_sched *ms = gsd_reset_sched(test, 4, timeout);
	struct mock_entity *me = mock_entity_create(test,
						    DRM_SCHED_PRIORITY_NORMAL,
						    &ms, 1);
	struct mock_job *job = mock_job_create(test, me, 0);
	struct mock_job *next = mock_job_create(test, me, 0);

	ms->tdr_mode = MOCK_TDR_OWN;
	mock_job_submit(job);
	KUNIT_ASSERT_TRUE(test, mock_sched_wait_timedout(ms, 1));
	KUNIT_ASSERT_TRUE(test, mock_job_wait_finished(job));
	KUNIT_EXPECT_EQ(test, job->finished->error, -ETIMEDOUT);

	/* The scheduler goes on: the next job runs and is freed. */
	mock_job_submit(next);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_ran(next));
	KUNIT_EXPECT_EQ(test, mock_sched_advance(ms, 1), 1);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(next));

	/* Two more timeout periods: the driver's job stays the driver's. */
	msleep(jiffies_to_msecs(2 * timeout));
	KUNIT_EXPECT_EQ(test, atomic_read(&job->free_count), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&job->timedout), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&ms->timedout_calls), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&next->free_count), 1);
	KUNIT_EXPECT_EQ(test, mock_violations(test), 0);
}

/*
 * A handler that finds the GPU still busy returns without a reset: the job
 * goes back on the pending list, times out again, and is freed once when it
 * completes.
 */
static void gsd_reset_busy_job_kept(struct kunit *test)
{
	long timeout = gsd_reset_timeout();
	struct mock_sched *ms = gsd_reset_sched(test, 4, timeout);
	struct mock_entity *me = mock_entity_create(test,
						    DRM_SCHED_PRIORITY_NORMAL,
						    &ms, 1);
	struct mock_job *job = mock_job_create(test, me, 0);

	ms->tdr_mode = MOCK_TDR_NOP;
	mock_job_submit(job);
	KUNIT_ASSERT_TRUE(test, mock_sched_wait_timedout(ms, 2));
	KUNIT_EXPECT_EQ(test, atomic_read(&job->free_count), 0);
	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(job->finished));
	KUNIT_EXPECT_EQ(test, mock_sched_advance(ms, 1), 1);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(job));
	KUNIT_EXPECT_EQ(test, job->finished->error, 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&job->free_count), 1);
	KUNIT_EXPECT_EQ(test, mock_violations(test), 0);
}

/*
 * v3d and etnaviv of 6.1.y put the job back on the pending list themselves
 * when they skip the reset: the scheduler must not add it a second time.
 */
static void gsd_reset_driver_reinserts(struct kunit *test)
{
	long timeout = gsd_reset_timeout();
	struct mock_sched *ms = gsd_reset_sched(test, 4, timeout);
	struct mock_entity *me = mock_entity_create(test,
						    DRM_SCHED_PRIORITY_NORMAL,
						    &ms, 1);
	struct mock_job *job = mock_job_create(test, me, 0);
	struct mock_job *next = mock_job_create(test, me, 0);

	ms->tdr_mode = MOCK_TDR_READD;
	mock_job_submit(job);
	mock_job_submit(next);
	KUNIT_ASSERT_TRUE(test, mock_sched_wait_timedout(ms, 1));
	KUNIT_EXPECT_EQ(test, mock_sched_advance(ms, 2), 2);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(job));
	KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(next));
	KUNIT_EXPECT_EQ(test, atomic_read(&job->free_count), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&next->free_count), 1);
	KUNIT_EXPECT_EQ(test, mock_violations(test), 0);
}

/*
 * v3d (5.4-5.15): one scheduler per queue, timeouts on system_wq, and every
 * reset stops all queues with the one bad job.  Bin's handler has its job
 * JB and waits for the reset lock; meanwhile JB completes and render's
 * handler resets everything with its own bad job JR.  That reset must not
 * free JB under bin's handler, which then resets with JB: JB is freed once.
 */
static void gsd_reset_all_queues_one_bad(struct kunit *test)
{
	struct mock_sched *bin = gsd_reset_sched(test, 1, gsd_reset_timeout());
	struct mock_sched *render = gsd_reset_sched(test, 1, 60 * HZ);
	struct mock_entity *eb = mock_entity_create(test,
						    DRM_SCHED_PRIORITY_NORMAL,
						    &bin, 1);
	struct mock_entity *er = mock_entity_create(test,
						    DRM_SCHED_PRIORITY_NORMAL,
						    &render, 1);
	struct mock_job *jb = mock_job_create(test, eb, 0);
	struct mock_job *jr = mock_job_create(test, er, 0);
	struct completion *gate = gsd_reset_gate(test);

	bin->tdr_mode = MOCK_TDR_ALL_QUEUES;
	bin->tdr_gate = gate;
	render->tdr_mode = MOCK_TDR_ALL_QUEUES;

	mock_job_submit(jb);
	mock_job_submit(jr);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_ran(jr));
	KUNIT_ASSERT_TRUE(test, gsd_reset_wait_entered(bin));

	/* JB completes while its handler waits. */
	KUNIT_EXPECT_EQ(test, mock_sched_advance(bin, 1), 1);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_finished(jb));

	drm_sched_fault(&render->base);
	KUNIT_ASSERT_TRUE(test, mock_sched_wait_timedout(render, 1));
	KUNIT_EXPECT_EQ(test, atomic_read(&jb->free_count), 0);

	complete_all(gate);
	KUNIT_ASSERT_TRUE(test, mock_sched_wait_timedout(bin, 1));
	KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(jb));
	KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(jr));
	KUNIT_EXPECT_EQ(test, jb->finished->error, 0);
	KUNIT_EXPECT_EQ(test, jr->finished->error, -ECANCELED);
	KUNIT_EXPECT_EQ(test, atomic_read(&jb->free_count), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&jr->free_count), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&jr->timedout), 1);
	KUNIT_EXPECT_EQ(test, mock_violations(test), 0);
}

/*
 * A killed job depends on another job's scheduled fence, and that job is
 * gone: its finished fence was released (count 0) while the scheduled one
 * lives on in the dependency.  The kill path must not revive the finished
 * fence.
 */
static void gsd_reset_kill_scheduled_dep(struct kunit *test)
{
	struct mock_sched *ms = gsd_reset_sched(test, 4, MAX_SCHEDULE_TIMEOUT);
	struct mock_entity *e1 = mock_entity_create(test,
						    DRM_SCHED_PRIORITY_NORMAL,
						    &ms, 1);
	struct mock_entity *e2 = mock_entity_create(test,
						    DRM_SCHED_PRIORITY_NORMAL,
						    &ms, 1);
	struct mock_job *a = mock_job_create(test, e1, 0);
	struct mock_job *b = mock_job_create(test, e2, 0);
	struct drm_sched_fence *sf;

	mock_job_submit(a);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_ran(a));
	KUNIT_EXPECT_EQ(test, mock_sched_advance(ms, 1), 1);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(a));
	/* The entity's last_scheduled and our own were the last references. */
	mock_entity_destroy(e1);
	mock_job_drop_finished(a);
	sf = to_drm_sched_fence(a->scheduled);
	KUNIT_ASSERT_NOT_NULL(test, sf);
	KUNIT_ASSERT_EQ(test, kref_read(&sf->finished.refcount), 0);

	/* B is queued behind a stopped scheduler, then killed. */
	mock_sched_stop(ms, NULL);
	KUNIT_ASSERT_EQ(test, mock_job_add_dep(b, a->scheduled), 0);
	mock_job_submit(b);
	mock_entity_fini(e2);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(b));
	KUNIT_EXPECT_EQ(test, b->finished->error, -ESRCH);
	KUNIT_EXPECT_EQ(test, atomic_read(&b->run_count), 0);
	KUNIT_EXPECT_EQ(test, kref_read(&sf->finished.refcount), 0);
	mock_sched_start(ms, true);
	KUNIT_EXPECT_EQ(test, mock_violations(test), 0);
}

/*
 * The dependency callback hands out the finished fence of a job running on
 * the same scheduler (pipelined: only its scheduled fence is waited for),
 * then an external fence.  Killed while waiting for the latter, the job
 * must still wait for the first job to finish.
 */
static void gsd_reset_kill_waits_op_dep(struct kunit *test)
{
	struct mock_sched *ms = mock_sched_create_dep_op(test, 4);
	struct mock_entity *e1 = mock_entity_create(test,
						    DRM_SCHED_PRIORITY_NORMAL,
						    &ms, 1);
	struct mock_entity *e2 = mock_entity_create(test,
						    DRM_SCHED_PRIORITY_NORMAL,
						    &ms, 1);
	struct dma_fence *ext = mock_fence_create(test);
	struct mock_job *a = mock_job_create(test, e1, 0);
	struct mock_job *b = mock_job_create(test, e2, 0);

	ms->poison_freed = true;
	mock_job_submit(a);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_scheduled(a));

	b->op_dep = dma_fence_get(a->finished);
	b->op_dep2 = dma_fence_get(ext);
	mock_job_record_dep(b, a->finished);
	mock_job_submit(b);
	KUNIT_ASSERT_TRUE(test, mock_wait_atomic(&b->op_calls, 2));
	mock_entity_fini(e2);
	mock_fence_signal(ext, 0);
	dma_fence_put(ext);

	KUNIT_EXPECT_EQ(test, wait_for_completion_timeout(&b->freed, HZ / 5),
			0);
	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(b->finished));
	KUNIT_EXPECT_EQ(test, mock_sched_advance(ms, 1), 1);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(b));
	KUNIT_EXPECT_EQ(test, b->finished->error, -ESRCH);
	KUNIT_EXPECT_EQ(test, atomic_read(&b->run_count), 0);
	KUNIT_EXPECT_EQ(test, mock_violations(test), 0);
}

struct gsd_reset_fini_work {
	struct work_struct work;
	struct mock_sched *ms;
};

static void gsd_reset_fini_fn(struct work_struct *work)
{
	struct gsd_reset_fini_work *w =
		container_of(work, struct gsd_reset_fini_work, work);

	drm_sched_fini(&w->ms->base);
}

/*
 * drm_sched_fini() while the timeout handler runs: the handler still stops
 * and starts the scheduler (its thread must still be there), and the job
 * it resets is freed once.
 */
static void gsd_reset_fini_during_timeout(struct kunit *test)
{
	struct mock_sched *ms = gsd_reset_sched(test, 4, gsd_reset_timeout());
	struct mock_entity *me = mock_entity_create(test,
						    DRM_SCHED_PRIORITY_NORMAL,
						    &ms, 1);
	struct mock_job *job = mock_job_create(test, me, 0);
	struct gsd_reset_fini_work w = { .ms = ms };
	struct completion *gate = gsd_reset_gate(test);
	unsigned long end;

	ms->tdr_mode = MOCK_TDR_ALL_QUEUES;
	ms->tdr_gate = gate;
	mock_job_submit(job);
	KUNIT_ASSERT_TRUE(test, gsd_reset_wait_entered(ms));

	INIT_WORK_ONSTACK(&w.work, gsd_reset_fini_fn);
	queue_work(system_unbound_wq, &w.work);
	/* Let fini get as far as it goes before it waits for the handler. */
	end = jiffies + HZ / 2;
	while (READ_ONCE(ms->base.thread) && time_before(jiffies, end))
		usleep_range(1000, 2000);
	complete_all(gate);
	flush_work(&w.work);
	destroy_work_on_stack(&w.work);

	KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(job));
	KUNIT_EXPECT_EQ(test, job->finished->error, -ECANCELED);
	KUNIT_EXPECT_EQ(test, atomic_read(&job->free_count), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&ms->timedout_calls), 1);
	KUNIT_EXPECT_EQ(test, mock_violations(test), 0);
}

/*
 * drm_sched_fini() with a job still on the hardware leaves it to the
 * driver; when its hardware fence signals later, nothing may reach the
 * scheduler, which is gone by then.
 */
static void gsd_reset_fini_busy_job(struct kunit *test)
{
	struct mock_sched *ms = gsd_reset_sched(test, 4, MAX_SCHEDULE_TIMEOUT);
	struct mock_entity *me = mock_entity_create(test,
						    DRM_SCHED_PRIORITY_NORMAL,
						    &ms, 1);
	struct mock_job *job = mock_job_create(test, me, 0);

	mock_job_submit(job);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_ran(job));
	mock_entity_destroy(me);

	WRITE_ONCE(job->driver_owned, true);
	mock_sched_fini_gone(ms);
	KUNIT_EXPECT_EQ(test, mock_sched_hw_count(ms), 1);
	KUNIT_EXPECT_EQ(test, mock_sched_advance(ms, 1), 1);
	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(job->finished));
	KUNIT_EXPECT_EQ(test, atomic_read(&job->free_count), 0);

	/* What the driver does with the job it was left. */
	mock_job_cleanup(job);
	KUNIT_EXPECT_EQ(test, mock_violations(test), 0);
}

struct gsd_reset_gone_work {
	struct work_struct work;
	struct mock_sched *ms;
	struct completion done;
};

static void gsd_reset_gone_fn(struct work_struct *work)
{
	struct gsd_reset_gone_work *w =
		container_of(work, struct gsd_reset_gone_work, work);

	mock_sched_fini_gone(w->ms);
	complete_all(&w->done);
}

/*
 * A job killed with its entity waits for a fence that signals only after
 * drm_sched_fini() was called: fini waits for it (the released job still
 * uses the scheduler), so that nothing runs into the scheduler once fini
 * returned and the driver freed it.
 */
static void gsd_reset_fini_waits_killed(struct kunit *test)
{
	struct mock_sched *ms = gsd_reset_sched(test, 4, MAX_SCHEDULE_TIMEOUT);
	struct mock_entity *me = mock_entity_create(test,
						    DRM_SCHED_PRIORITY_NORMAL,
						    &ms, 1);
	struct dma_fence *ext = mock_fence_create(test);
	struct mock_job *job = mock_job_create(test, me, 0);
	struct gsd_reset_gone_work w = { .ms = ms };
	bool early;

	KUNIT_ASSERT_EQ(test, mock_job_add_dep(job, ext), 0);
	mock_job_submit(job);
	mock_entity_fini(me);

	init_completion(&w.done);
	INIT_WORK_ONSTACK(&w.work, gsd_reset_gone_fn);
	queue_work(system_unbound_wq, &w.work);
	early = wait_for_completion_timeout(&w.done, HZ / 5);
	mock_fence_signal(ext, 0);
	flush_work(&w.work);
	destroy_work_on_stack(&w.work);
	dma_fence_put(ext);

	KUNIT_EXPECT_FALSE(test, early);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(job));
	KUNIT_EXPECT_EQ(test, job->finished->error, -ESRCH);
	KUNIT_EXPECT_EQ(test, atomic_read(&job->free_count), 1);
	KUNIT_EXPECT_EQ(test, mock_violations(test), 0);
}

/*
 * stop, resubmit, stop again without a start (a reset that failed and is
 * retried): the second stop must not wait for jobs nobody waits for, and
 * the jobs run again after the final resubmit and start.
 */
static void gsd_reset_stop_twice(struct kunit *test)
{
	struct mock_sched *ms = gsd_reset_sched(test, 4, MAX_SCHEDULE_TIMEOUT);
	struct mock_entity *me = mock_entity_create(test,
						    DRM_SCHED_PRIORITY_NORMAL,
						    &ms, 1);
	struct mock_job *a = mock_job_create(test, me, 0);
	struct mock_job *b = mock_job_create(test, me, 0);

	mock_job_submit(a);
	mock_job_submit(b);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_ran(b));

	mock_sched_stop(ms, NULL);
	mock_sched_hw_reset(ms);
	drm_sched_resubmit_jobs(&ms->base);
	mock_sched_stop(ms, NULL);
	mock_sched_hw_reset(ms);
	drm_sched_resubmit_jobs(&ms->base);
	mock_sched_start(ms, true);

	KUNIT_EXPECT_EQ(test, atomic_read(&a->run_count), 3);
	KUNIT_EXPECT_EQ(test, atomic_read(&b->run_count), 3);
	KUNIT_EXPECT_EQ(test, atomic_read(&ms->base.hw_rq_count), 2);
	KUNIT_EXPECT_EQ(test, mock_sched_advance(ms, 2), 2);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(a));
	KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(b));
	KUNIT_EXPECT_EQ(test, a->finished->error, 0);
	KUNIT_EXPECT_EQ(test, b->finished->error, 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&ms->base.hw_rq_count), 0);
	KUNIT_EXPECT_EQ(test, mock_violations(test), 0);
}

static struct kunit_case gsd_reset_cases[] = {
	KUNIT_CASE(gsd_reset_driver_keeps_job),
	KUNIT_CASE(gsd_reset_busy_job_kept),
	KUNIT_CASE(gsd_reset_driver_reinserts),
	KUNIT_CASE(gsd_reset_all_queues_one_bad),
	KUNIT_CASE(gsd_reset_kill_scheduled_dep),
	KUNIT_CASE(gsd_reset_kill_waits_op_dep),
	KUNIT_CASE(gsd_reset_fini_busy_job),
	KUNIT_CASE(gsd_reset_fini_waits_killed),
	KUNIT_CASE(gsd_reset_fini_during_timeout),
	KUNIT_CASE(gsd_reset_stop_twice),
	{}
};

struct kunit_suite gsd_reset_suite = {
	.name = "gpu_sched_deps_reset",
	.init = mock_ctx_init,
	.exit = mock_ctx_exit,
	.test_cases = gsd_reset_cases,
};
