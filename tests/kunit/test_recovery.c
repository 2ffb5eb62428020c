// SPDX-License-Identifier: GPL-2.0-only
/*
 * Timeouts and recovery: timedout_job, drm_sched_fault, suspended timeouts,
 * drm_sched_stop/resubmit/start, karma and guilty entities, and priorities
 * (which need a stopped scheduler to be observed).
 */
#include <linux/wait.h>

#include "gsd_tests.h"
#include "mock_sched.h"

static bool gsd_no_more_timeouts(struct mock_sched *ms, unsigned int n,
				 long wait)
{
	return !wait_event_timeout(ms->event,
				   atomic_read(&ms->timedout_calls) > n, wait);
}

/* A job that hangs gets exactly one timedout_job, which completes it. */
static void gsd_recovery_timeout_once(struct kunit *test)
{
	long timeout = max_t(long, HZ / 10, 1);
	struct mock_sched *ms = mock_sched_create(test, 4, 0, timeout, NULL);
	struct mock_entity *me = mock_entity_create(test,
						    DRM_SCHED_PRIORITY_NORMAL,
						    &ms, 1);
	struct mock_job *job = mock_job_create(test, me, 0);

	ms->tdr_mode = MOCK_TDR_COMPLETE;
	mock_job_submit(job);
	KUNIT_ASSERT_TRUE(test, mock_sched_wait_timedout(ms, 1));
	KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(job));
	KUNIT_EXPECT_EQ(test, job->finished->error, -ETIMEDOUT);
	/* Three more timeout periods: nothing else times out. */
	KUNIT_EXPECT_TRUE(test, gsd_no_more_timeouts(ms, 1, 3 * timeout));
	KUNIT_EXPECT_EQ(test, atomic_read(&job->timedout), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&job->free_count), 1);
	KUNIT_EXPECT_EQ(test, mock_violations(test), 0);
}

/* drm_sched_fault runs the handler now, not after the (long) timeout. */
static void gsd_recovery_fault(struct kunit *test)
{
	struct mock_sched *ms = mock_sched_create(test, 4, 0, 60 * HZ, NULL);
	struct mock_entity *me = mock_entity_create(test,
						    DRM_SCHED_PRIORITY_NORMAL,
						    &ms, 1);
	struct mock_job *job = mock_job_create(test, me, 0);

	ms->tdr_mode = MOCK_TDR_COMPLETE;
	mock_job_submit(job);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_ran(job));
	drm_sched_fault(&ms->base);
	KUNIT_ASSERT_TRUE(test, mock_sched_wait_timedout(ms, 1));
	KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(job));
	KUNIT_EXPECT_EQ(test, job->finished->error, -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, atomic_read(&ms->timedout_calls), 1);
}

/* A suspended timeout does not fire; resumed, it does. */
static void gsd_recovery_suspend_resume(struct kunit *test)
{
	long timeout = HZ;
	struct mock_sched *ms = mock_sched_create(test, 4, 0, timeout, NULL);
	struct mock_entity *me = mock_entity_create(test,
						    DRM_SCHED_PRIORITY_NORMAL,
						    &ms, 1);
	struct mock_job *job = mock_job_create(test, me, 0);
	unsigned long remaining;

	ms->tdr_mode = MOCK_TDR_COMPLETE;
	mock_job_submit(job);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_ran(job));
	remaining = drm_sched_suspend_timeout(&ms->base);
	if (atomic_read(&ms->timedout_calls))
		kunit_skip(test, "the machine is too slow: timed out before the suspend");

	KUNIT_EXPECT_GT(test, remaining, 0);
	KUNIT_EXPECT_LE(test, remaining, timeout);
	KUNIT_EXPECT_TRUE(test, gsd_no_more_timeouts(ms, 0, 2 * timeout));
	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(job->finished));

	drm_sched_resume_timeout(&ms->base, remaining);
	KUNIT_ASSERT_TRUE(test, mock_sched_wait_timedout(ms, 1));
	KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(job));
	KUNIT_EXPECT_EQ(test, job->finished->error, -ETIMEDOUT);
}

/*
 * A reset by hand: stop with the bad job, karma, reset, resubmit, start.
 * The bad job (karma above the hang limit of 0) is cancelled, its entity
 * is guilty, the others run again and complete normally.
 */
static void gsd_recovery_stop_resubmit_start(struct kunit *test)
{
	struct mock_sched *ms = mock_sched_create(test, 4, 0,
						  MAX_SCHEDULE_TIMEOUT, NULL);
	struct mock_entity *e1 = mock_entity_create(test,
						    DRM_SCHED_PRIORITY_NORMAL,
						    &ms, 1);
	struct mock_entity *e2 = mock_entity_create(test,
						    DRM_SCHED_PRIORITY_NORMAL,
						    &ms, 1);
	struct mock_job *a = mock_job_create(test, e1, 0);
	struct mock_job *b = mock_job_create(test, e2, 0);
	struct mock_job *c = mock_job_create(test, e2, 0);
	struct mock_job *d;

	mock_job_submit(a);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_ran(a));
	mock_job_submit(b);
	mock_job_submit(c);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_ran(c));

	mock_sched_recover(ms, &a->base);
	KUNIT_EXPECT_EQ(test, atomic_read(&a->base.karma), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&e1->guilty), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&e2->guilty), 0);

	KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(a));
	KUNIT_EXPECT_EQ(test, a->finished->error, -ECANCELED);
	KUNIT_EXPECT_EQ(test, atomic_read(&a->run_count), 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&a->skipped_runs), 1);

	KUNIT_EXPECT_EQ(test, atomic_read(&b->run_count), 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&c->run_count), 2);
	KUNIT_EXPECT_EQ(test, mock_sched_hw_count(ms), 2);
	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(b->finished));
	KUNIT_EXPECT_EQ(test, mock_sched_advance(ms, 2), 2);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(b));
	KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(c));
	KUNIT_EXPECT_EQ(test, b->finished->error, 0);
	KUNIT_EXPECT_EQ(test, c->finished->error, 0);

	/* Later jobs of the guilty entity are cancelled. */
	d = mock_job_create(test, e1, 0);
	mock_job_submit(d);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(d));
	KUNIT_EXPECT_EQ(test, d->finished->error, -ECANCELED);
	KUNIT_EXPECT_EQ(test, atomic_read(&d->skipped_runs), 1);

	KUNIT_EXPECT_EQ(test, atomic_read(&a->free_count), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&b->free_count), 1);
	KUNIT_EXPECT_EQ(test, mock_violations(test), 0);
}

/* Up to the hang limit a job is resubmitted; beyond it, cancelled. */
static void gsd_recovery_hang_limit(struct kunit *test)
{
	struct mock_sched *ms = mock_sched_create(test, 4, 1,
						  MAX_SCHEDULE_TIMEOUT, NULL);
	struct mock_entity *me = mock_entity_create(test,
						    DRM_SCHED_PRIORITY_NORMAL,
						    &ms, 1);
	struct mock_job *a = mock_job_create(test, me, 0);

	mock_job_submit(a);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_ran(a));

	mock_sched_recover(ms, &a->base);
	KUNIT_EXPECT_EQ(test, atomic_read(&a->base.karma), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&a->run_count), 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&a->skipped_runs), 0);
	KUNIT_EXPECT_EQ(test, mock_sched_hw_count(ms), 1);
	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(a->finished));

	mock_sched_recover(ms, &a->base);
	KUNIT_EXPECT_EQ(test, atomic_read(&a->base.karma), 2);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(a));
	KUNIT_EXPECT_EQ(test, a->finished->error, -ECANCELED);
	KUNIT_EXPECT_EQ(test, atomic_read(&a->skipped_runs), 1);
	KUNIT_EXPECT_EQ(test, mock_sched_hw_count(ms), 0);
}

/* The same recovery from the timeout handler, triggered by a fault. */
static void gsd_recovery_in_timeout_handler(struct kunit *test)
{
	struct mock_sched *ms = mock_sched_create(test, 4, 0, 60 * HZ, NULL);
	struct mock_entity *e1 = mock_entity_create(test,
						    DRM_SCHED_PRIORITY_NORMAL,
						    &ms, 1);
	struct mock_entity *e2 = mock_entity_create(test,
						    DRM_SCHED_PRIORITY_NORMAL,
						    &ms, 1);
	struct mock_job *a = mock_job_create(test, e1, 0);
	struct mock_job *b = mock_job_create(test, e2, 0);

	ms->tdr_mode = MOCK_TDR_RESET;
	mock_job_submit(a);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_ran(a));
	mock_job_submit(b);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_ran(b));

	drm_sched_fault(&ms->base);
	KUNIT_ASSERT_TRUE(test, mock_sched_wait_timedout(ms, 1));
	KUNIT_EXPECT_EQ(test, atomic_read(&a->timedout), 1);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(a));
	KUNIT_EXPECT_EQ(test, a->finished->error, -ECANCELED);
	KUNIT_EXPECT_EQ(test, atomic_read(&e1->guilty), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&b->run_count), 2);
	KUNIT_EXPECT_EQ(test, mock_sched_advance(ms, 1), 1);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(b));
	KUNIT_EXPECT_EQ(test, b->finished->error, 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&ms->timedout_calls), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&a->free_count), 1);
	KUNIT_EXPECT_EQ(test, mock_violations(test), 0);
}

/* resubmit_jobs_ext(max): only the first @max jobs run again; the others,
 * without a hardware fence, are cancelled at start.
 */
static void gsd_recovery_resubmit_max(struct kunit *test)
{
	struct mock_sched *ms = mock_sched_create(test, 4, 0,
						  MAX_SCHEDULE_TIMEOUT, NULL);
	struct mock_entity *me = mock_entity_create(test,
						    DRM_SCHED_PRIORITY_NORMAL,
						    &ms, 1);
	struct mock_job *jobs[3];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(jobs); i++) {
		jobs[i] = mock_job_create(test, me, 0);
		mock_job_submit(jobs[i]);
	}
	for (i = 0; i < ARRAY_SIZE(jobs); i++)
		KUNIT_ASSERT_TRUE(test, mock_job_wait_ran(jobs[i]));

	mock_sched_stop(ms, NULL);
	mock_sched_hw_reset(ms);
	drm_sched_resubmit_jobs_ext(&ms->base, 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&jobs[0]->run_count), 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&jobs[1]->run_count), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&jobs[2]->run_count), 1);
	mock_sched_start(ms, true);

	/* Jobs are freed in order: these two only finish for now. */
	for (i = 1; i < ARRAY_SIZE(jobs); i++) {
		KUNIT_ASSERT_TRUE(test, mock_job_wait_finished(jobs[i]));
		KUNIT_EXPECT_EQ(test, jobs[i]->finished->error, -ECANCELED);
	}
	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(jobs[0]->finished));
	KUNIT_EXPECT_EQ(test, mock_sched_advance(ms, 1), 1);
	for (i = 0; i < ARRAY_SIZE(jobs); i++)
		KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(jobs[i]));
	KUNIT_EXPECT_EQ(test, jobs[0]->finished->error, 0);
}

/* Karma: kernel jobs are never blamed; reset_karma clears the guilt. */
static void gsd_recovery_karma(struct kunit *test)
{
	struct mock_sched *ms = mock_sched_create(test, 4, 0,
						  MAX_SCHEDULE_TIMEOUT, NULL);
	struct mock_entity *ek = mock_entity_create(test,
						    DRM_SCHED_PRIORITY_KERNEL,
						    &ms, 1);
	struct mock_entity *en = mock_entity_create(test,
						    DRM_SCHED_PRIORITY_NORMAL,
						    &ms, 1);
	struct mock_job *k = mock_job_create(test, ek, 0);
	struct mock_job *n = mock_job_create(test, en, 0);

	mock_job_submit(k);
	mock_job_submit(n);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_ran(k));
	KUNIT_ASSERT_TRUE(test, mock_job_wait_ran(n));

	drm_sched_increase_karma(&k->base);
	KUNIT_EXPECT_EQ(test, atomic_read(&k->base.karma), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&ek->guilty), 0);

	drm_sched_increase_karma(&n->base);
	KUNIT_EXPECT_EQ(test, atomic_read(&n->base.karma), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&en->guilty), 1);
	KUNIT_EXPECT_TRUE(test, drm_sched_invalidate_job(&n->base, 1));
	KUNIT_EXPECT_FALSE(test, drm_sched_invalidate_job(NULL, 0));

	drm_sched_reset_karma(&n->base);
	KUNIT_EXPECT_EQ(test, atomic_read(&n->base.karma), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&en->guilty), 0);

	drm_sched_increase_karma_ext(&n->base, 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&n->base.karma), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&en->guilty), 1);

	KUNIT_EXPECT_EQ(test, mock_sched_advance(ms, 2), 2);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(k));
	KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(n));
}

/*
 * Priorities: with everything queued while the scheduler is stopped, a
 * higher run queue is always served first (one job on the hardware at a
 * time); within one, jobs keep their order.
 */
static void gsd_recovery_priorities(struct kunit *test)
{
	static const enum drm_sched_priority prio[] = {
		DRM_SCHED_PRIORITY_MIN, DRM_SCHED_PRIORITY_NORMAL,
		DRM_SCHED_PRIORITY_HIGH, DRM_SCHED_PRIORITY_KERNEL,
	};
	const unsigned int rounds = 3, np = ARRAY_SIZE(prio);
	struct mock_sched *ms = mock_sched_create(test, 1, 0,
						  MAX_SCHEDULE_TIMEOUT, NULL);
	struct mock_entity *me[4];
	struct mock_job *jobs[3][4];
	unsigned int r, p, r2, p2, bad = 0;

	for (p = 0; p < np; p++)
		me[p] = mock_entity_create(test, prio[p], &ms, 1);
	mock_sched_stop(ms, NULL);
	for (r = 0; r < rounds; r++) {
		for (p = 0; p < np; p++) {
			jobs[r][p] = mock_job_create(test, me[p], 10);
			mock_job_submit(jobs[r][p]);
		}
	}
	KUNIT_EXPECT_EQ(test, wait_for_completion_timeout(&jobs[0][0]->ran,
							  HZ / 20), 0);
	mock_sched_start(ms, true);

	for (r = 0; r < rounds; r++)
		for (p = 0; p < np; p++)
			KUNIT_ASSERT_TRUE(test,
					  mock_job_wait_freed(jobs[r][p]));
	for (r = 0; r < rounds; r++)
		for (p = 0; p < np; p++)
			for (r2 = 0; r2 < rounds; r2++)
				for (p2 = 0; p2 < np; p2++) {
					bool before = p > p2 ||
						      (p == p2 && r < r2);

					if (before &&
					    jobs[r][p]->run_seq >
					    jobs[r2][p2]->run_seq)
						bad++;
				}
	KUNIT_EXPECT_EQ(test, bad, 0);
	KUNIT_EXPECT_EQ(test, mock_violations(test), 0);
}

static struct kunit_case gsd_recovery_cases[] = {
	KUNIT_CASE(gsd_recovery_timeout_once),
	KUNIT_CASE(gsd_recovery_fault),
	KUNIT_CASE(gsd_recovery_suspend_resume),
	KUNIT_CASE(gsd_recovery_stop_resubmit_start),
	KUNIT_CASE(gsd_recovery_hang_limit),
	KUNIT_CASE(gsd_recovery_in_timeout_handler),
	KUNIT_CASE(gsd_recovery_resubmit_max),
	KUNIT_CASE(gsd_recovery_karma),
	KUNIT_CASE(gsd_recovery_priorities),
	{}
};

struct kunit_suite gsd_recovery_suite = {
	.name = "gpu_sched_deps_recovery",
	.init = mock_ctx_init,
	.exit = mock_ctx_exit,
	.test_cases = gsd_recovery_cases,
};
