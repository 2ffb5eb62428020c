// SPDX-License-Identifier: GPL-2.0-only
/*
 * Entities: flush and teardown with jobs still queued (killed jobs, their
 * dependencies, who still runs), priorities, moving between schedulers and
 * drm_sched_pick_best().
 */
#include <linux/completion.h>

#include "gsd_tests.h"
#include "mock_sched.h"

static struct mock_sched *gsd_entity_sched(struct kunit *test)
{
	return mock_sched_create(test, 4, 0, MAX_SCHEDULE_TIMEOUT, NULL);
}

static struct mock_entity *gsd_entity_on(struct kunit *test,
					 struct mock_sched *ms)
{
	return mock_entity_create(test, DRM_SCHED_PRIORITY_NORMAL, &ms, 1);
}

/*
 * Teardown with jobs waiting for an external fence: it returns at once; the
 * jobs never run; they finish with -ESRCH only after the fence signalled,
 * and every dependency reference is dropped then.
 */
static void gsd_entity_destroy_pending_external(struct kunit *test)
{
	struct mock_sched *ms = gsd_entity_sched(test);
	struct mock_entity *me = gsd_entity_on(test, ms);
	struct dma_fence *ext = mock_fence_create(test);
	struct mock_job *jobs[3];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(jobs); i++) {
		jobs[i] = mock_job_create(test, me, 5);
		KUNIT_ASSERT_EQ(test, mock_job_add_dep(jobs[i], ext), 0);
		mock_job_submit(jobs[i]);
	}
	KUNIT_EXPECT_EQ(test, mock_entity_flush(me, HZ / 20), 0);
	mock_entity_fini(me);

	KUNIT_EXPECT_EQ(test,
			wait_for_completion_timeout(&jobs[0]->freed, HZ / 20),
			0);
	for (i = 0; i < ARRAY_SIZE(jobs); i++)
		KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(jobs[i]->finished));

	mock_fence_signal(ext, 0);
	for (i = 0; i < ARRAY_SIZE(jobs); i++) {
		KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(jobs[i]));
		KUNIT_EXPECT_EQ(test, jobs[i]->finished->error, -ESRCH);
		KUNIT_EXPECT_TRUE(test, dma_fence_is_signaled(jobs[i]->scheduled));
		KUNIT_EXPECT_EQ(test, atomic_read(&jobs[i]->run_count), 0);
		KUNIT_EXPECT_EQ(test, atomic_read(&jobs[i]->free_count), 1);
	}
	/* Only our own reference and those mock_job_add_dep() recorded. */
	KUNIT_EXPECT_EQ(test, kref_read(&ext->refcount), 1 + ARRAY_SIZE(jobs));
	/* The torn-down entity keeps no job's fence. */
	for (i = 0; i < ARRAY_SIZE(jobs); i++)
		KUNIT_EXPECT_EQ(test, kref_read(&jobs[i]->finished->refcount),
				1);
	KUNIT_EXPECT_EQ(test, mock_violations(test), 0);
	dma_fence_put(ext);
}

/*
 * A killed job depending on a job of its own scheduler waits for that job's
 * finished fence, not merely its scheduled one: here the dependency was
 * already consumed (pipelined) when the callback handed out another fence.
 */
static void gsd_entity_kill_waits_same_sched_finished(struct kunit *test)
{
	struct mock_sched *ms = mock_sched_create_dep_op(test, 4);
	struct mock_entity *e1 = gsd_entity_on(test, ms);
	struct mock_entity *e2 = gsd_entity_on(test, ms);
	struct mock_job *a = mock_job_create(test, e1, 0);
	struct mock_job *b = mock_job_create(test, e2, 0);
	struct dma_fence *ext = mock_fence_create(test);

	mock_job_arm(a);
	KUNIT_ASSERT_EQ(test, mock_job_add_dep(b, a->finished), 0);
	b->op_dep = dma_fence_get(ext);
	mock_job_push(a);
	mock_job_submit(b);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_ran(a));
	KUNIT_ASSERT_TRUE(test, mock_wait_atomic(&b->op_calls, 1));

	KUNIT_EXPECT_EQ(test, mock_entity_flush(e2, HZ / 50), 0);
	mock_entity_fini(e2);
	mock_fence_signal(ext, 0);
	/* a still runs: b must not be released yet. */
	KUNIT_EXPECT_EQ(test, wait_for_completion_timeout(&b->freed, HZ / 10),
			0);
	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(b->finished));

	KUNIT_EXPECT_EQ(test, mock_sched_advance(ms, 1), 1);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(b));
	KUNIT_EXPECT_EQ(test, b->finished->error, -ESRCH);
	KUNIT_EXPECT_EQ(test, atomic_read(&b->run_count), 0);
	KUNIT_EXPECT_EQ(test, mock_violations(test), 0);
	dma_fence_put(ext);
}

/*
 * The same without the callback: each killed job holds a's finished fence
 * and an external fence, and the entity consumes them in whatever order the
 * job's table gives; with several jobs both orders occur.
 */
static void gsd_entity_kill_waits_consumed_dependency(struct kunit *test)
{
	struct mock_sched *ms = mock_sched_create(test, 4, 0,
						  MAX_SCHEDULE_TIMEOUT, NULL);
	struct mock_entity *e1 = gsd_entity_on(test, ms);
	struct mock_job *a = mock_job_create(test, e1, 0);
	struct mock_entity *e[8];
	struct mock_job *b[8];
	struct dma_fence *ext[8];
	unsigned int i, early = 0;

	mock_job_arm(a);
	for (i = 0; i < ARRAY_SIZE(b); i++) {
		e[i] = gsd_entity_on(test, ms);
		b[i] = mock_job_create(test, e[i], 0);
		ext[i] = mock_fence_create(test);
		KUNIT_ASSERT_EQ(test, mock_job_add_dep(b[i], a->finished), 0);
		KUNIT_ASSERT_EQ(test,
				drm_sched_job_add_dependency(&b[i]->base,
						dma_fence_get(ext[i])), 0);
	}
	mock_job_push(a);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_ran(a));
	for (i = 0; i < ARRAY_SIZE(b); i++)
		mock_job_submit(b[i]);
	/* Let the scheduler look at every entity. */
	KUNIT_EXPECT_EQ(test, wait_for_completion_timeout(&b[0]->ran, HZ / 10),
			0);
	for (i = 0; i < ARRAY_SIZE(b); i++) {
		KUNIT_EXPECT_EQ(test, mock_entity_flush(e[i], HZ / 50), 0);
		mock_entity_fini(e[i]);
		mock_fence_signal(ext[i], 0);
	}
	for (i = 0; i < ARRAY_SIZE(b); i++)
		early += wait_for_completion_timeout(&b[i]->freed, HZ / 20) != 0;
	KUNIT_EXPECT_EQ_MSG(test, early, 0,
			    "killed jobs released while a job they depend on runs");

	KUNIT_EXPECT_EQ(test, mock_sched_advance(ms, 1), 1);
	for (i = 0; i < ARRAY_SIZE(b); i++) {
		KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(b[i]));
		KUNIT_EXPECT_EQ(test, b[i]->finished->error, -ESRCH);
		dma_fence_put(ext[i]);
	}
	KUNIT_EXPECT_EQ(test, mock_violations(test), 0);
}

/* The same with the dependency still in the job when it is killed. */
static void gsd_entity_kill_waits_queued_dependency(struct kunit *test)
{
	struct mock_sched *ms = gsd_entity_sched(test);
	struct mock_entity *e1 = gsd_entity_on(test, ms);
	struct mock_entity *e2 = gsd_entity_on(test, ms);
	struct mock_job *a = mock_job_create(test, e1, 0);
	struct mock_job *head = mock_job_create(test, e2, 0);
	struct mock_job *b = mock_job_create(test, e2, 0);
	struct dma_fence *ext = mock_fence_create(test);

	mock_job_arm(a);
	/* head blocks the entity, so b's dependency stays in b. */
	KUNIT_ASSERT_EQ(test, mock_job_add_dep(head, ext), 0);
	KUNIT_ASSERT_EQ(test, mock_job_add_dep(b, a->finished), 0);
	mock_job_push(a);
	mock_job_submit(head);
	mock_job_submit(b);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_ran(a));

	KUNIT_EXPECT_EQ(test, mock_entity_flush(e2, HZ / 50), 0);
	mock_entity_fini(e2);
	mock_fence_signal(ext, 0);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(head));
	KUNIT_EXPECT_EQ(test, wait_for_completion_timeout(&b->freed, HZ / 10),
			0);
	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(b->finished));

	KUNIT_EXPECT_EQ(test, mock_sched_advance(ms, 1), 1);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(b));
	KUNIT_EXPECT_EQ(test, head->finished->error, -ESRCH);
	KUNIT_EXPECT_EQ(test, b->finished->error, -ESRCH);
	KUNIT_EXPECT_EQ(test, mock_violations(test), 0);
	dma_fence_put(ext);
}

/* Jobs of other entities depending on killed jobs still run. */
static void gsd_entity_destroy_depended_on(struct kunit *test)
{
	struct mock_sched *s1 = gsd_entity_sched(test);
	struct mock_sched *s2 = gsd_entity_sched(test);
	struct mock_entity *e1 = gsd_entity_on(test, s1);
	struct mock_entity *e2 = gsd_entity_on(test, s2);
	struct dma_fence *ext = mock_fence_create(test);
	struct mock_job *a[3], *b[2];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(a); i++) {
		a[i] = mock_job_create(test, e1, 5);
		if (!i)
			KUNIT_ASSERT_EQ(test, mock_job_add_dep(a[i], ext), 0);
		mock_job_submit(a[i]);
	}
	for (i = 0; i < ARRAY_SIZE(b); i++) {
		b[i] = mock_job_create(test, e2, 5);
		KUNIT_ASSERT_EQ(test, mock_job_add_dep(b[i], a[2]->finished),
				0);
		mock_job_submit(b[i]);
	}

	KUNIT_EXPECT_EQ(test, mock_entity_flush(e1, HZ / 50), 0);
	mock_entity_fini(e1);
	mock_fence_signal(ext, 0);

	for (i = 0; i < ARRAY_SIZE(b); i++) {
		KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(b[i]));
		KUNIT_EXPECT_EQ(test, atomic_read(&b[i]->run_count), 1);
		KUNIT_EXPECT_EQ(test, b[i]->finished->error, 0);
	}
	for (i = 0; i < ARRAY_SIZE(a); i++) {
		KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(a[i]));
		KUNIT_EXPECT_EQ(test, atomic_read(&a[i]->run_count), 0);
		KUNIT_EXPECT_EQ(test, a[i]->finished->error, -ESRCH);
	}
	KUNIT_EXPECT_EQ(test, mock_violations(test), 0);
	dma_fence_put(ext);
}

/* Flush waits until the queue went to the hardware; nothing is killed. */
static void gsd_entity_flush_then_fini(struct kunit *test)
{
	struct mock_sched *ms = mock_sched_create(test, 8, 0,
						  MAX_SCHEDULE_TIMEOUT, NULL);
	struct mock_entity *me = gsd_entity_on(test, ms);
	struct mock_job *jobs[5];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(jobs); i++) {
		jobs[i] = mock_job_create(test, me, 0);
		mock_job_submit(jobs[i]);
	}
	KUNIT_EXPECT_GT(test, mock_entity_flush(me, MOCK_WAIT), 0);
	for (i = 0; i < ARRAY_SIZE(jobs); i++)
		KUNIT_EXPECT_TRUE(test, mock_job_wait_ran(jobs[i]));
	mock_entity_fini(me);
	KUNIT_EXPECT_EQ(test, mock_sched_advance(ms, ARRAY_SIZE(jobs)),
			ARRAY_SIZE(jobs));
	for (i = 0; i < ARRAY_SIZE(jobs); i++) {
		KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(jobs[i]));
		KUNIT_EXPECT_EQ(test, jobs[i]->finished->error, 0);
	}
	KUNIT_EXPECT_EQ(test, mock_violations(test), 0);
}

/* Flush twice, fini twice: it all ends, each job released once. */
static void gsd_entity_teardown_twice(struct kunit *test)
{
	struct mock_sched *ms = gsd_entity_sched(test);
	struct mock_entity *me = gsd_entity_on(test, ms);
	struct dma_fence *ext = mock_fence_create(test);
	struct mock_job *jobs[2];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(jobs); i++) {
		jobs[i] = mock_job_create(test, me, 5);
		KUNIT_ASSERT_EQ(test, mock_job_add_dep(jobs[i], ext), 0);
		mock_job_submit(jobs[i]);
	}
	KUNIT_EXPECT_EQ(test, mock_entity_flush(me, HZ / 50), 0);
	KUNIT_EXPECT_EQ(test, mock_entity_flush(me, HZ / 50), 0);
	mock_entity_fini(me);
	KUNIT_EXPECT_GT(test, mock_entity_flush(me, HZ / 50), 0);
	mock_entity_fini(me);
	mock_fence_signal(ext, 0);
	for (i = 0; i < ARRAY_SIZE(jobs); i++) {
		KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(jobs[i]));
		KUNIT_EXPECT_EQ(test, atomic_read(&jobs[i]->free_count), 1);
		KUNIT_EXPECT_EQ(test, jobs[i]->finished->error, -ESRCH);
	}
	KUNIT_EXPECT_EQ(test, mock_violations(test), 0);
	dma_fence_put(ext);
}

/* A job pushed to a torn-down entity is released with an error. */
static void gsd_entity_push_after_fini(struct kunit *test)
{
	struct mock_sched *ms = gsd_entity_sched(test);
	struct mock_entity *me = gsd_entity_on(test, ms);
	struct mock_job *job;

	mock_entity_fini(me);
	job = mock_job_create(test, me, 5);
	mock_job_submit(job);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(job));
	KUNIT_EXPECT_EQ(test, job->finished->error, -ESRCH);
	KUNIT_EXPECT_EQ(test, atomic_read(&job->run_count), 0);
	/* Nothing but our own reference is left on the released job. */
	KUNIT_EXPECT_EQ(test, kref_read(&job->finished->refcount), 1);
	KUNIT_EXPECT_EQ(test, mock_violations(test), 0);
}

/*
 * Killed jobs are released in process context even when what they waited
 * for signals in hard interrupt context (the mock's hrtimer).
 */
static void gsd_entity_kill_from_irq(struct kunit *test)
{
	struct mock_sched *s1 = gsd_entity_sched(test);
	struct mock_sched *s2 = gsd_entity_sched(test);
	struct mock_entity *e1 = gsd_entity_on(test, s1);
	struct mock_entity *e2 = gsd_entity_on(test, s2);
	struct mock_job *a = mock_job_create(test, e1, 0);
	struct mock_job *k = mock_job_create(test, e2, 0);

	mock_job_arm(a);
	KUNIT_ASSERT_EQ(test, mock_job_add_dep(k, a->finished), 0);
	mock_job_push(a);
	mock_job_submit(k);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_ran(a));
	KUNIT_EXPECT_EQ(test, mock_entity_flush(e2, HZ / 50), 0);
	mock_entity_fini(e2);

	mock_sched_advance_irq(s1);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(a));
	KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(k));
	KUNIT_EXPECT_EQ(test, k->finished->error, -ESRCH);
	KUNIT_EXPECT_EQ(test, mock_violations(test), 0);
}

/* A new priority applies from the next job armed while the entity idles. */
static void gsd_entity_set_priority(struct kunit *test)
{
	struct mock_sched *ms = gsd_entity_sched(test);
	struct mock_entity *me = gsd_entity_on(test, ms);
	struct mock_job *a, *b, *c;

	drm_sched_entity_set_priority(&me->base, DRM_SCHED_PRIORITY_KERNEL);
	a = mock_job_create(test, me, 0);
	mock_job_submit(a);
	KUNIT_EXPECT_EQ(test, a->base.s_priority, DRM_SCHED_PRIORITY_KERNEL);
	KUNIT_EXPECT_PTR_EQ(test, me->base.rq,
			    &ms->base.sched_rq[DRM_SCHED_PRIORITY_KERNEL]);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_ran(a));

	/* Busy: the change waits. */
	drm_sched_entity_set_priority(&me->base, DRM_SCHED_PRIORITY_HIGH);
	b = mock_job_create(test, me, 0);
	mock_job_submit(b);
	KUNIT_EXPECT_EQ(test, b->base.s_priority, DRM_SCHED_PRIORITY_KERNEL);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_ran(b));
	KUNIT_EXPECT_EQ(test, mock_sched_advance(ms, 2), 2);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_finished(b));

	c = mock_job_create(test, me, 0);
	mock_job_submit(c);
	KUNIT_EXPECT_EQ(test, c->base.s_priority, DRM_SCHED_PRIORITY_HIGH);
	KUNIT_EXPECT_PTR_EQ(test, me->base.rq,
			    &ms->base.sched_rq[DRM_SCHED_PRIORITY_HIGH]);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_ran(c));
	KUNIT_EXPECT_EQ(test, mock_sched_advance(ms, 1), 1);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(c));
	KUNIT_EXPECT_EQ(test, mock_violations(test), 0);
}

/* modify_sched moves the jobs armed once the entity is idle. */
static void gsd_entity_modify_sched(struct kunit *test)
{
	struct mock_sched *s0 = gsd_entity_sched(test);
	struct mock_sched *s1 = gsd_entity_sched(test);
	struct mock_entity *me = gsd_entity_on(test, s0);
	struct drm_gpu_scheduler **only0, **only1;
	struct mock_job *a, *b, *c, *d;

	only0 = kunit_kzalloc(test, sizeof(*only0), GFP_KERNEL);
	only1 = kunit_kzalloc(test, sizeof(*only1), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, only0);
	KUNIT_ASSERT_NOT_NULL(test, only1);
	only0[0] = &s0->base;
	only1[0] = &s1->base;

	a = mock_job_create(test, me, 0);
	mock_job_submit(a);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_ran(a));
	KUNIT_EXPECT_PTR_EQ(test, a->ran_on, s0);
	KUNIT_EXPECT_EQ(test, mock_sched_advance(s0, 1), 1);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_finished(a));

	drm_sched_entity_modify_sched(&me->base, only1, 1);
	b = mock_job_create(test, me, 0);
	mock_job_submit(b);
	KUNIT_EXPECT_PTR_EQ(test, b->base.sched, &s1->base);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_ran(b));
	KUNIT_EXPECT_PTR_EQ(test, b->ran_on, s1);

	/* While b runs the entity stays where it is. */
	drm_sched_entity_modify_sched(&me->base, only0, 1);
	c = mock_job_create(test, me, 0);
	mock_job_submit(c);
	KUNIT_EXPECT_PTR_EQ(test, c->base.sched, &s1->base);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_ran(c));
	KUNIT_EXPECT_EQ(test, mock_sched_advance(s1, 2), 2);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_finished(c));

	d = mock_job_create(test, me, 0);
	mock_job_submit(d);
	KUNIT_EXPECT_PTR_EQ(test, d->base.sched, &s0->base);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_ran(d));
	KUNIT_EXPECT_PTR_EQ(test, d->ran_on, s0);
	KUNIT_EXPECT_EQ(test, mock_sched_advance(s0, 1), 1);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(d));
	KUNIT_EXPECT_LT(test, c->run_seq, d->run_seq);
	KUNIT_EXPECT_EQ(test, mock_violations(test), 0);
}

/* pick_best: the least loaded scheduler, by score. */
static void gsd_entity_pick_best(struct kunit *test)
{
	struct mock_sched *ms[3];
	struct mock_entity *spread, *busy;
	struct drm_gpu_scheduler *list[3];
	struct mock_job *jobs[3], *placed;
	atomic_t *score;
	unsigned int i;

	score = kunit_kcalloc(test, 3, sizeof(*score), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, score);
	for (i = 0; i < 3; i++) {
		ms[i] = mock_sched_create(test, 4, 0, MAX_SCHEDULE_TIMEOUT,
					  &score[i]);
		list[i] = &ms[i]->base;
	}
	atomic_set(&score[0], 5);
	atomic_set(&score[1], 1);
	atomic_set(&score[2], 3);
	KUNIT_EXPECT_PTR_EQ(test, drm_sched_pick_best(list, 3), &ms[1]->base);
	KUNIT_EXPECT_PTR_EQ(test, drm_sched_pick_best(list, 1), &ms[0]->base);

	/* Load ms[1]: three jobs on the hardware. */
	busy = gsd_entity_on(test, ms[1]);
	for (i = 0; i < 3; i++) {
		jobs[i] = mock_job_create(test, busy, 0);
		mock_job_submit(jobs[i]);
	}
	for (i = 0; i < 3; i++)
		KUNIT_ASSERT_TRUE(test, mock_job_wait_ran(jobs[i]));
	KUNIT_EXPECT_PTR_EQ(test, drm_sched_pick_best(list, 3), &ms[2]->base);

	/* An entity over all three lands on the least loaded one. */
	spread = mock_entity_create(test, DRM_SCHED_PRIORITY_NORMAL, ms, 3);
	placed = mock_job_create(test, spread, 0);
	mock_job_submit(placed);
	KUNIT_EXPECT_PTR_EQ(test, placed->base.sched, &ms[2]->base);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_ran(placed));
	KUNIT_EXPECT_PTR_EQ(test, placed->ran_on, ms[2]);
}

static struct kunit_case gsd_entity_cases[] = {
	KUNIT_CASE(gsd_entity_destroy_pending_external),
	KUNIT_CASE(gsd_entity_kill_waits_same_sched_finished),
	KUNIT_CASE(gsd_entity_kill_waits_consumed_dependency),
	KUNIT_CASE(gsd_entity_kill_waits_queued_dependency),
	KUNIT_CASE(gsd_entity_destroy_depended_on),
	KUNIT_CASE(gsd_entity_flush_then_fini),
	KUNIT_CASE(gsd_entity_teardown_twice),
	KUNIT_CASE(gsd_entity_push_after_fini),
	KUNIT_CASE(gsd_entity_kill_from_irq),
	KUNIT_CASE(gsd_entity_set_priority),
	KUNIT_CASE(gsd_entity_modify_sched),
	KUNIT_CASE(gsd_entity_pick_best),
	{}
};

struct kunit_suite gsd_entity_suite = {
	.name = "gpu_sched_deps_entity",
	.init = mock_ctx_init,
	.exit = mock_ctx_exit,
	.test_cases = gsd_entity_cases,
};
