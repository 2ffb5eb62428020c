// SPDX-License-Identifier: GPL-2.0-only
/*
 * The life of a job: init, arm (fences, seqnos, ids), push, and cleanup
 * before arm, after arm, or from free_job.
 */
#include "gsd_tests.h"
#include "mock_sched.h"

static struct mock_entity *gsd_job_entity(struct kunit *test,
					  struct mock_sched **ms)
{
	*ms = mock_sched_create(test, 4, 0, MAX_SCHEDULE_TIMEOUT, NULL);
	return mock_entity_create(test, DRM_SCHED_PRIORITY_NORMAL, ms, 1);
}

/* An entity without a scheduler cannot take jobs. */
static void gsd_job_init_no_sched(struct kunit *test)
{
	struct mock_entity *me;
	struct drm_sched_job *job;

	me = mock_entity_create(test, DRM_SCHED_PRIORITY_NORMAL, NULL, 0);
	job = kunit_kzalloc(test, sizeof(*job), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, job);
	KUNIT_EXPECT_EQ(test, drm_sched_job_init(job, &me->base, NULL),
			-ENOENT);
}

/* Cleanup before arm frees the fences and releases the dependencies. */
static void gsd_job_cleanup_before_arm(struct kunit *test)
{
	struct mock_sched *ms;
	struct mock_entity *me = gsd_job_entity(test, &ms);
	struct mock_job *job = mock_job_create(test, me, 0);
	unsigned int i;

	KUNIT_EXPECT_NOT_NULL(test, job->base.s_fence);
	KUNIT_EXPECT_PTR_EQ(test, job->base.s_fence->owner, job);
	/* Six distinct contexts: more than fit in the job itself. */
	for (i = 0; i < 6; i++)
		KUNIT_ASSERT_EQ(test,
				drm_sched_job_add_dependency(&job->base,
						mock_fence_create(test)), 0);
	KUNIT_EXPECT_EQ(test, job->base.dependencies.count, 6);
	KUNIT_EXPECT_EQ(test, mock_fences_released(test), 0);

	mock_job_cleanup(job);
	KUNIT_EXPECT_NULL(test, job->base.s_fence);
	KUNIT_EXPECT_EQ(test, job->base.dependencies.count, 0);
	KUNIT_EXPECT_EQ(test, mock_fences_released(test), 6);

	/* A second cleanup is harmless. */
	mock_job_cleanup(job);
	KUNIT_EXPECT_EQ(test, mock_fences_released(test), 6);
}

/* Cleanup of an armed job that is never pushed: only our references to its
 * fences remain; its dependencies are released.
 */
static void gsd_job_cleanup_after_arm(struct kunit *test)
{
	struct mock_sched *ms;
	struct mock_entity *me = gsd_job_entity(test, &ms);
	struct mock_job *job = mock_job_create(test, me, 0);
	struct dma_fence *ext = mock_fence_create(test);

	KUNIT_ASSERT_EQ(test, drm_sched_job_add_dependency(&job->base, ext),
			0);
	mock_job_arm(job);
	KUNIT_EXPECT_EQ(test, kref_read(&job->finished->refcount), 2);
	mock_job_cleanup(job);
	KUNIT_EXPECT_NULL(test, job->base.s_fence);
	KUNIT_EXPECT_EQ(test, mock_fences_released(test), 1);
	/* The job's own reference is gone, ours remains. */
	KUNIT_EXPECT_EQ(test, kref_read(&job->finished->refcount), 1);
	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(job->finished));
}

/* After arm the fences exist; seqnos count per entity; ids per scheduler. */
static void gsd_job_arm_contract(struct kunit *test)
{
	struct mock_sched *ms;
	struct mock_entity *e1 = gsd_job_entity(test, &ms);
	struct mock_entity *e2 = mock_entity_create(test,
						    DRM_SCHED_PRIORITY_NORMAL,
						    &ms, 1);
	struct mock_job *a[3], *b[3];
	struct dma_fence *foreign;
	struct drm_sched_fence *sf;
	unsigned int i;

	for (i = 0; i < 3; i++) {
		a[i] = mock_job_create(test, e1, 5);
		b[i] = mock_job_create(test, e2, 5);
		/* Before arm nothing is published. */
		KUNIT_EXPECT_EQ(test,
				kref_read(&a[i]->base.s_fence->finished.refcount),
				0);
		mock_job_arm(a[i]);
		mock_job_arm(b[i]);
	}
	for (i = 0; i < 3; i++) {
		sf = to_drm_sched_fence(a[i]->finished);
		KUNIT_EXPECT_PTR_EQ(test, sf, a[i]->base.s_fence);
		KUNIT_EXPECT_PTR_EQ(test, to_drm_sched_fence(a[i]->scheduled),
				    sf);
		KUNIT_EXPECT_PTR_EQ(test, sf->sched, &ms->base);
		KUNIT_EXPECT_PTR_EQ(test, a[i]->base.sched, &ms->base);
		KUNIT_EXPECT_EQ(test, a[i]->base.s_priority,
				DRM_SCHED_PRIORITY_NORMAL);
		KUNIT_EXPECT_EQ(test, a[i]->scheduled->context,
				e1->base.fence_context);
		KUNIT_EXPECT_EQ(test, a[i]->finished->context,
				e1->base.fence_context + 1);
		KUNIT_EXPECT_EQ(test, b[i]->finished->context,
				e2->base.fence_context + 1);
		KUNIT_EXPECT_EQ(test, a[i]->scheduled->seqno,
				a[i]->finished->seqno);
		KUNIT_EXPECT_EQ(test, a[i]->finished->seqno,
				a[0]->finished->seqno + i);
		KUNIT_EXPECT_EQ(test, b[i]->finished->seqno,
				b[0]->finished->seqno + i);
		KUNIT_EXPECT_NE(test, a[i]->base.id, b[i]->base.id);
		if (i) {
			KUNIT_EXPECT_GT(test, a[i]->base.id, b[i - 1]->base.id);
			KUNIT_EXPECT_TRUE(test,
					  dma_fence_is_later(a[i]->finished,
							     a[i - 1]->finished));
		}
	}
	KUNIT_EXPECT_NE(test, e1->base.fence_context, e2->base.fence_context);
	foreign = mock_fence_create(test);
	KUNIT_EXPECT_NULL(test, to_drm_sched_fence(foreign));
	dma_fence_put(foreign);

	/* Pushed, they run in seqno order. */
	for (i = 0; i < 3; i++) {
		mock_job_push(a[i]);
		mock_job_push(b[i]);
	}
	for (i = 0; i < 3; i++) {
		KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(a[i]));
		KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(b[i]));
		if (i) {
			KUNIT_EXPECT_LT(test, a[i - 1]->run_seq, a[i]->run_seq);
			KUNIT_EXPECT_LT(test, b[i - 1]->run_seq, b[i]->run_seq);
		}
	}
	KUNIT_EXPECT_EQ(test, mock_violations(test), 0);
}

/* free_job cleans up: once per job, dependencies gone, fences dropped. */
static void gsd_job_cleanup_in_free_job(struct kunit *test)
{
	struct mock_sched *ms;
	struct mock_entity *me = gsd_job_entity(test, &ms);
	struct mock_job *jobs[10];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(jobs); i++) {
		struct dma_fence *ext = mock_fence_create(test);

		jobs[i] = mock_job_create(test, me, 10);
		KUNIT_ASSERT_EQ(test, mock_job_add_dep(jobs[i], ext), 0);
		mock_fence_signal(ext, 0);
		dma_fence_put(ext);
		mock_job_submit(jobs[i]);
	}
	for (i = 0; i < ARRAY_SIZE(jobs); i++) {
		KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(jobs[i]));
		KUNIT_EXPECT_EQ(test, atomic_read(&jobs[i]->free_count), 1);
		KUNIT_EXPECT_NULL(test, jobs[i]->base.s_fence);
		KUNIT_EXPECT_EQ(test, jobs[i]->base.dependencies.count, 0);
		KUNIT_EXPECT_TRUE(test, dma_fence_is_signaled(jobs[i]->finished));
	}
	KUNIT_EXPECT_EQ(test, mock_violations(test), 0);
}

static struct kunit_case gsd_job_cases[] = {
	KUNIT_CASE(gsd_job_init_no_sched),
	KUNIT_CASE(gsd_job_cleanup_before_arm),
	KUNIT_CASE(gsd_job_cleanup_after_arm),
	KUNIT_CASE(gsd_job_arm_contract),
	KUNIT_CASE(gsd_job_cleanup_in_free_job),
	{}
};

struct kunit_suite gsd_job_suite = {
	.name = "gpu_sched_deps_job",
	.init = mock_ctx_init,
	.exit = mock_ctx_exit,
	.test_cases = gsd_job_cases,
};
