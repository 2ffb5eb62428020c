// SPDX-License-Identifier: GPL-2.0-only
/*
 * Submission and ordering: one job, the FIFO order of an entity, chains of
 * dependent jobs across entities and schedulers, independent queues and the
 * hardware submission limit.
 */
#include <linux/wait.h>

#include "gsd_tests.h"
#include "mock_sched.h"

/* One job, completed by hand. */
static void gsd_submit_one(struct kunit *test)
{
	struct mock_sched *ms = mock_sched_create(test, 4, 0,
						  MAX_SCHEDULE_TIMEOUT, NULL);
	struct mock_entity *me = mock_entity_create(test,
						    DRM_SCHED_PRIORITY_NORMAL,
						    &ms, 1);
	struct mock_job *job = mock_job_create(test, me, 0);
	struct drm_sched_fence *sf;

	mock_job_submit(job);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_scheduled(job));
	KUNIT_EXPECT_EQ(test, atomic_read(&job->run_count), 1);
	KUNIT_EXPECT_PTR_EQ(test, job->base.sched, &ms->base);
	KUNIT_EXPECT_PTR_EQ(test, job->ran_on, ms);
	sf = to_drm_sched_fence(job->scheduled);
	KUNIT_ASSERT_NOT_NULL(test, sf);
	KUNIT_EXPECT_NOT_NULL(test, READ_ONCE(sf->parent));
	KUNIT_EXPECT_PTR_EQ(test, sf->sched, &ms->base);

	/* It runs until the hardware says otherwise. */
	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(job->finished));
	KUNIT_EXPECT_EQ(test, mock_sched_hw_count(ms), 1);

	KUNIT_EXPECT_EQ(test, mock_sched_advance(ms, 1), 1);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_finished(job));
	KUNIT_EXPECT_EQ(test, job->finished->error, 0);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(job));
	KUNIT_EXPECT_EQ(test, atomic_read(&job->free_count), 1);
	KUNIT_EXPECT_NULL(test, job->base.s_fence);
	KUNIT_EXPECT_EQ(test, atomic_read(&job->run_count), 1);
	KUNIT_EXPECT_EQ(test, mock_violations(test), 0);
}

/* Jobs of one entity run in push order, with consecutive seqnos. */
static void gsd_submit_entity_fifo(struct kunit *test)
{
	const unsigned int n = 64;
	struct mock_sched *ms = mock_sched_create(test, 4, 0,
						  MAX_SCHEDULE_TIMEOUT, NULL);
	struct mock_entity *me = mock_entity_create(test,
						    DRM_SCHED_PRIORITY_NORMAL,
						    &ms, 1);
	struct mock_job **jobs;
	unsigned int i;

	jobs = kunit_kcalloc(test, n, sizeof(*jobs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, jobs);
	mock_log_enable(test, n);

	for (i = 0; i < n; i++) {
		jobs[i] = mock_job_create(test, me, 20);
		mock_job_submit(jobs[i]);
	}
	for (i = 0; i < n; i++)
		KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(jobs[i]));

	KUNIT_ASSERT_EQ(test, mock_log_len(test), n);
	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_EQ(test, mock_log_at(test, i), jobs[i]->id);
		KUNIT_EXPECT_EQ(test, jobs[i]->finished->error, 0);
		KUNIT_EXPECT_EQ(test, jobs[i]->finished->seqno,
				jobs[0]->finished->seqno + i);
		KUNIT_EXPECT_EQ(test, atomic_read(&jobs[i]->free_count), 1);
	}
	KUNIT_EXPECT_EQ(test, mock_violations(test), 0);
}

/*
 * A chain over @nsched schedulers and @nent entities per scheduler: job i
 * depends on job i - 1 and lands on entity i % (nsched * nent).  Every job
 * depends on the one before, so they must run exactly in order.
 */
static void gsd_submit_chain(struct kunit *test, unsigned int nsched,
			     unsigned int nent, unsigned int n)
{
	struct mock_sched **ms;
	struct mock_entity **me;
	struct mock_job **jobs;
	unsigned int i;

	ms = kunit_kcalloc(test, nsched, sizeof(*ms), GFP_KERNEL);
	me = kunit_kcalloc(test, nsched * nent, sizeof(*me), GFP_KERNEL);
	jobs = kunit_kcalloc(test, n, sizeof(*jobs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ms);
	KUNIT_ASSERT_NOT_NULL(test, me);
	KUNIT_ASSERT_NOT_NULL(test, jobs);
	mock_log_enable(test, n);

	for (i = 0; i < nsched; i++)
		ms[i] = mock_sched_create(test, 4, 0, MAX_SCHEDULE_TIMEOUT,
					  NULL);
	for (i = 0; i < nsched * nent; i++)
		me[i] = mock_entity_create(test, DRM_SCHED_PRIORITY_NORMAL,
					   &ms[i % nsched], 1);

	for (i = 0; i < n; i++) {
		jobs[i] = mock_job_create(test, me[i % (nsched * nent)], 20);
		if (i)
			KUNIT_ASSERT_EQ(test,
					mock_job_add_dep(jobs[i],
							 jobs[i - 1]->finished),
					0);
		mock_job_submit(jobs[i]);
	}
	for (i = 0; i < n; i++)
		KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(jobs[i]));

	KUNIT_ASSERT_EQ(test, mock_log_len(test), n);
	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_EQ(test, mock_log_at(test, i), jobs[i]->id);
		KUNIT_EXPECT_EQ(test, jobs[i]->finished->error, 0);
	}
	KUNIT_EXPECT_EQ(test, mock_violations(test), 0);
}

static void gsd_submit_chain_entities(struct kunit *test)
{
	gsd_submit_chain(test, 1, 4, 100);
}

static void gsd_submit_chain_schedulers(struct kunit *test)
{
	gsd_submit_chain(test, 3, 1, 60);
}

static void gsd_submit_chain_mixed(struct kunit *test)
{
	gsd_submit_chain(test, 2, 3, 90);
}

/* Independent entities: each keeps its own order, all jobs complete. */
static void gsd_submit_independent_queues(struct kunit *test)
{
	const unsigned int nent = 4, per = 25;
	struct mock_sched *ms = mock_sched_create(test, 3, 0,
						  MAX_SCHEDULE_TIMEOUT, NULL);
	struct mock_entity *me[4];
	struct mock_job *jobs[4][25];
	unsigned int i, e;

	for (e = 0; e < nent; e++)
		me[e] = mock_entity_create(test, DRM_SCHED_PRIORITY_NORMAL,
					   &ms, 1);
	for (i = 0; i < per; i++) {
		for (e = 0; e < nent; e++) {
			jobs[e][i] = mock_job_create(test, me[e], 10);
			mock_job_submit(jobs[e][i]);
		}
	}
	for (e = 0; e < nent; e++)
		for (i = 0; i < per; i++)
			KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(jobs[e][i]));
	for (e = 0; e < nent; e++)
		for (i = 1; i < per; i++)
			KUNIT_EXPECT_LT(test, jobs[e][i - 1]->run_seq,
					jobs[e][i]->run_seq);
	KUNIT_EXPECT_EQ(test, mock_violations(test), 0);
}

/* A job waits for an external fence, then runs. */
static void gsd_submit_external_dependency(struct kunit *test)
{
	struct mock_sched *ms = mock_sched_create(test, 4, 0,
						  MAX_SCHEDULE_TIMEOUT, NULL);
	struct mock_entity *me = mock_entity_create(test,
						    DRM_SCHED_PRIORITY_NORMAL,
						    &ms, 1);
	struct mock_job *job = mock_job_create(test, me, 10);
	struct mock_job *next = mock_job_create(test, me, 10);
	struct dma_fence *ext = mock_fence_create(test);

	KUNIT_ASSERT_EQ(test, mock_job_add_dep(job, ext), 0);
	mock_job_submit(job);
	mock_job_submit(next);

	/* Give it every chance to run early (checked in run_job too). */
	KUNIT_EXPECT_EQ(test, wait_for_completion_timeout(&job->ran, HZ / 10),
			0);
	KUNIT_EXPECT_FALSE(test, completion_done(&next->ran));

	mock_fence_signal(ext, 0);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(job));
	KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(next));
	KUNIT_EXPECT_LT(test, job->run_seq, next->run_seq);
	KUNIT_EXPECT_EQ(test, mock_violations(test), 0);

	/* The job's reference is gone: ours and the one recorded remain. */
	KUNIT_EXPECT_EQ(test, kref_read(&ext->refcount), 2);
	dma_fence_put(ext);
}

static bool gsd_runs_beyond(struct mock_sched *ms, unsigned int n)
{
	return wait_event_timeout(ms->event, atomic_read(&ms->runs) > n,
				  HZ / 10) != 0;
}

/* Never more than hw_submission jobs on the hardware. */
static void gsd_submit_hw_limit(struct kunit *test)
{
	const unsigned int limit = 2, n = 6;
	struct mock_sched *ms = mock_sched_create(test, limit, 0,
						  MAX_SCHEDULE_TIMEOUT, NULL);
	struct mock_entity *e1 = mock_entity_create(test,
						    DRM_SCHED_PRIORITY_NORMAL,
						    &ms, 1);
	struct mock_entity *e2 = mock_entity_create(test,
						    DRM_SCHED_PRIORITY_NORMAL,
						    &ms, 1);
	struct mock_job *jobs[6];
	unsigned int i;

	for (i = 0; i < n; i++) {
		jobs[i] = mock_job_create(test, i & 1 ? e2 : e1, 0);
		mock_job_submit(jobs[i]);
	}

	for (i = limit; i <= n; i++) {
		KUNIT_ASSERT_TRUE(test, mock_sched_wait_runs(ms, i));
		/* The next one must wait for a free slot. */
		if (i < n)
			KUNIT_EXPECT_FALSE(test, gsd_runs_beyond(ms, i));
		KUNIT_EXPECT_EQ(test, mock_sched_hw_count(ms), limit);
		KUNIT_EXPECT_EQ(test, mock_sched_advance(ms, 1), 1);
	}
	KUNIT_EXPECT_EQ(test, mock_sched_advance(ms, 1), 1);
	for (i = 0; i < n; i++)
		KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(jobs[i]));
	KUNIT_EXPECT_EQ(test, atomic_read(&ms->max_in_flight), limit);
	KUNIT_EXPECT_EQ(test, mock_violations(test), 0);
}

static struct kunit_case gsd_submit_cases[] = {
	KUNIT_CASE(gsd_submit_one),
	KUNIT_CASE(gsd_submit_entity_fifo),
	KUNIT_CASE(gsd_submit_chain_entities),
	KUNIT_CASE(gsd_submit_chain_schedulers),
	KUNIT_CASE(gsd_submit_chain_mixed),
	KUNIT_CASE(gsd_submit_independent_queues),
	KUNIT_CASE(gsd_submit_external_dependency),
	KUNIT_CASE(gsd_submit_hw_limit),
	{}
};

struct kunit_suite gsd_submit_suite = {
	.name = "gpu_sched_deps_submit",
	.init = mock_ctx_init,
	.exit = mock_ctx_exit,
	.test_cases = gsd_submit_cases,
};
