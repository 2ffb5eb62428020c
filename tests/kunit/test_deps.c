// SPDX-License-Identifier: GPL-2.0-only
/*
 * drm_sched_job_add_dependency(): what is stored, what is dropped, whose
 * reference goes where; pipelining on one scheduler; the optional
 * dependency callback; drm_sched_dependency_optimized().
 */
#include <linux/completion.h>

#include "gsd_tests.h"
#include "mock_sched.h"

struct gsd_deps_env {
	struct mock_sched *ms;
	struct mock_entity *me;
};

static void gsd_deps_env(struct kunit *test, struct gsd_deps_env *env)
{
	env->ms = mock_sched_create(test, 4, 0, MAX_SCHEDULE_TIMEOUT, NULL);
	env->me = mock_entity_create(test, DRM_SCHED_PRIORITY_NORMAL,
				     &env->ms, 1);
}

/* Slots in use, counted in the table itself. */
static unsigned int gsd_deps_stored(struct mock_job *job)
{
	const struct drm_sched_job_deps *deps = &job->base.dependencies;
	unsigned int i, n = 0;

	for (i = 0; i < deps->size; i++)
		n += deps->slots[i] != NULL;
	return n;
}

static void gsd_deps_null(struct kunit *test)
{
	struct gsd_deps_env env;
	struct mock_job *job;

	gsd_deps_env(test, &env);
	job = mock_job_create(test, env.me, 0);
	KUNIT_EXPECT_EQ(test, drm_sched_job_add_dependency(&job->base, NULL),
			0);
	KUNIT_EXPECT_EQ(test, job->base.dependencies.count, 0);
	KUNIT_EXPECT_EQ(test, gsd_deps_stored(job), 0);
	mock_job_cleanup(job);
}

/* A later fence of a context replaces the stored one, which is dropped. */
static void gsd_deps_same_context_newer(struct kunit *test)
{
	u64 context = dma_fence_context_alloc(1);
	struct dma_fence *f1, *f2;
	struct gsd_deps_env env;
	struct mock_job *job;

	gsd_deps_env(test, &env);
	job = mock_job_create(test, env.me, 0);
	f1 = mock_fence_create_ctx(test, context, 1);
	f2 = mock_fence_create_ctx(test, context, 2);

	/* f1's only reference goes to the job. */
	KUNIT_ASSERT_EQ(test, drm_sched_job_add_dependency(&job->base, f1), 0);
	KUNIT_EXPECT_EQ(test, mock_fences_released(test), 0);
	KUNIT_ASSERT_EQ(test,
			drm_sched_job_add_dependency(&job->base,
						     dma_fence_get(f2)), 0);
	/* f1 was replaced and released, f2 is held. */
	KUNIT_EXPECT_EQ(test, mock_fences_released(test), 1);
	KUNIT_EXPECT_EQ(test, job->base.dependencies.count, 1);
	KUNIT_EXPECT_EQ(test, gsd_deps_stored(job), 1);
	KUNIT_EXPECT_TRUE(test, mock_job_holds_dep(job, f2));
	KUNIT_EXPECT_EQ(test, kref_read(&f2->refcount), 2);

	mock_job_cleanup(job);
	KUNIT_EXPECT_EQ(test, kref_read(&f2->refcount), 1);
	dma_fence_put(f2);
	KUNIT_EXPECT_EQ(test, mock_fences_released(test), 2);
}

/* An earlier fence of a stored context is dropped at once. */
static void gsd_deps_same_context_older(struct kunit *test)
{
	u64 context = dma_fence_context_alloc(1);
	struct dma_fence *f1, *f2;
	struct gsd_deps_env env;
	struct mock_job *job;

	gsd_deps_env(test, &env);
	job = mock_job_create(test, env.me, 0);
	f1 = mock_fence_create_ctx(test, context, 1);
	f2 = mock_fence_create_ctx(test, context, 2);

	KUNIT_ASSERT_EQ(test,
			drm_sched_job_add_dependency(&job->base,
						     dma_fence_get(f2)), 0);
	KUNIT_ASSERT_EQ(test, drm_sched_job_add_dependency(&job->base, f1), 0);
	KUNIT_EXPECT_EQ(test, mock_fences_released(test), 1);
	KUNIT_EXPECT_EQ(test, job->base.dependencies.count, 1);
	KUNIT_EXPECT_TRUE(test, mock_job_holds_dep(job, f2));
	KUNIT_EXPECT_EQ(test, kref_read(&f2->refcount), 2);

	mock_job_cleanup(job);
	dma_fence_put(f2);
	KUNIT_EXPECT_EQ(test, mock_fences_released(test), 2);
}

/* The same fence twice: stored once, with one reference. */
static void gsd_deps_identical(struct kunit *test)
{
	struct dma_fence *f = mock_fence_create(test);
	struct gsd_deps_env env;
	struct mock_job *job;

	gsd_deps_env(test, &env);
	job = mock_job_create(test, env.me, 0);
	KUNIT_ASSERT_EQ(test,
			drm_sched_job_add_dependency(&job->base,
						     dma_fence_get(f)), 0);
	KUNIT_ASSERT_EQ(test,
			drm_sched_job_add_dependency(&job->base,
						     dma_fence_get(f)), 0);
	KUNIT_EXPECT_EQ(test, job->base.dependencies.count, 1);
	KUNIT_EXPECT_EQ(test, gsd_deps_stored(job), 1);
	KUNIT_EXPECT_EQ(test, kref_read(&f->refcount), 2);
	mock_job_cleanup(job);
	KUNIT_EXPECT_EQ(test, kref_read(&f->refcount), 1);
	dma_fence_put(f);
	KUNIT_EXPECT_EQ(test, mock_fences_released(test), 1);
}

/* Fences of the job's own entity are never stored. */
static void gsd_deps_self(struct kunit *test)
{
	struct mock_job *prev, *job;
	struct gsd_deps_env env;
	unsigned int sref, fref;

	gsd_deps_env(test, &env);
	prev = mock_job_create(test, env.me, 0);
	mock_job_arm(prev);
	job = mock_job_create(test, env.me, 0);

	sref = kref_read(&prev->scheduled->refcount);
	fref = kref_read(&prev->finished->refcount);
	KUNIT_EXPECT_EQ(test,
			drm_sched_job_add_dependency(&job->base,
				dma_fence_get(prev->scheduled)), 0);
	KUNIT_EXPECT_EQ(test,
			drm_sched_job_add_dependency(&job->base,
				dma_fence_get(prev->finished)), 0);
	KUNIT_EXPECT_EQ(test, job->base.dependencies.count, 0);
	KUNIT_EXPECT_EQ(test, gsd_deps_stored(job), 0);
	KUNIT_EXPECT_EQ(test, kref_read(&prev->scheduled->refcount), sref);
	KUNIT_EXPECT_EQ(test, kref_read(&prev->finished->refcount), fref);

	/* Nor its own fences, once armed. */
	mock_job_arm(job);
	fref = kref_read(&job->finished->refcount);
	KUNIT_EXPECT_EQ(test,
			drm_sched_job_add_dependency(&job->base,
				dma_fence_get(job->finished)), 0);
	KUNIT_EXPECT_EQ(test, job->base.dependencies.count, 0);
	KUNIT_EXPECT_EQ(test, kref_read(&job->finished->refcount), fref);

	mock_job_cleanup(job);
	mock_job_cleanup(prev);
}

/*
 * A job depending on another job of the same scheduler may run as soon as
 * that one is scheduled: one ring executes in order.
 */
static void gsd_deps_same_sched_pipelined(struct kunit *test)
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

	mock_job_arm(a);
	KUNIT_ASSERT_EQ(test, mock_job_add_dep(b, a->finished), 0);
	mock_job_push(a);
	mock_job_submit(b);

	KUNIT_ASSERT_TRUE(test, mock_job_wait_ran(b));
	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(a->finished));
	KUNIT_EXPECT_EQ(test, mock_sched_advance(ms, 2), 2);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(a));
	KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(b));
	KUNIT_EXPECT_LT(test, a->run_seq, b->run_seq);
	KUNIT_EXPECT_EQ(test, mock_violations(test), 0);
}

/* DRM_SCHED_FENCE_DONT_PIPELINE: wait for the fence itself. */
static void gsd_deps_same_sched_dont_pipeline(struct kunit *test)
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

	mock_job_arm(a);
	set_bit(DRM_SCHED_FENCE_DONT_PIPELINE, &a->finished->flags);
	KUNIT_ASSERT_EQ(test, mock_job_add_dep(b, a->finished), 0);
	mock_job_push(a);
	mock_job_submit(b);

	KUNIT_ASSERT_TRUE(test, mock_job_wait_ran(a));
	KUNIT_EXPECT_EQ(test, wait_for_completion_timeout(&b->ran, HZ / 10),
			0);
	KUNIT_EXPECT_EQ(test, mock_sched_advance(ms, 1), 1);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_ran(b));
	KUNIT_EXPECT_TRUE(test, dma_fence_is_signaled(a->finished));
	KUNIT_EXPECT_EQ(test, mock_sched_advance(ms, 1), 1);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(b));
	KUNIT_EXPECT_EQ(test, mock_violations(test), 0);
}

/* On another scheduler, the job waits for the dependency to finish. */
static void gsd_deps_other_sched_waits(struct kunit *test)
{
	struct mock_sched *s1 = mock_sched_create(test, 4, 0,
						  MAX_SCHEDULE_TIMEOUT, NULL);
	struct mock_sched *s2 = mock_sched_create(test, 4, 0,
						  MAX_SCHEDULE_TIMEOUT, NULL);
	struct mock_entity *e1 = mock_entity_create(test,
						    DRM_SCHED_PRIORITY_NORMAL,
						    &s1, 1);
	struct mock_entity *e2 = mock_entity_create(test,
						    DRM_SCHED_PRIORITY_NORMAL,
						    &s2, 1);
	struct mock_job *a = mock_job_create(test, e1, 0);
	struct mock_job *b = mock_job_create(test, e2, 0);

	mock_job_arm(a);
	KUNIT_ASSERT_EQ(test, mock_job_add_dep(b, a->finished), 0);
	mock_job_push(a);
	mock_job_submit(b);

	KUNIT_ASSERT_TRUE(test, mock_job_wait_ran(a));
	KUNIT_EXPECT_EQ(test, wait_for_completion_timeout(&b->ran, HZ / 10),
			0);
	KUNIT_EXPECT_EQ(test, mock_sched_advance(s1, 1), 1);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_ran(b));
	KUNIT_EXPECT_EQ(test, mock_sched_advance(s2, 1), 1);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(b));
	KUNIT_EXPECT_EQ(test, mock_violations(test), 0);
}

/* 1000 contexts: each stored once; duplicates and older ones are not. */
static void gsd_deps_many_contexts(struct kunit *test)
{
	const unsigned int n = 1000, newer = 500;
	struct dma_fence **f, **g;
	struct gsd_deps_env env;
	struct mock_job *job;
	unsigned int i, bad = 0;

	gsd_deps_env(test, &env);
	job = mock_job_create(test, env.me, 0);
	f = kunit_kcalloc(test, n, sizeof(*f), GFP_KERNEL);
	g = kunit_kcalloc(test, newer, sizeof(*g), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_ASSERT_NOT_NULL(test, g);

	for (i = 0; i < n; i++) {
		f[i] = mock_fence_create_ctx(test, dma_fence_context_alloc(1),
					     10);
		bad += drm_sched_job_add_dependency(&job->base,
						    dma_fence_get(f[i])) != 0;
	}
	KUNIT_EXPECT_EQ(test, bad, 0);
	KUNIT_EXPECT_EQ(test, job->base.dependencies.count, n);
	KUNIT_EXPECT_EQ(test, gsd_deps_stored(job), n);

	/* Duplicates and older fences of the same contexts: dropped. */
	for (i = 0; i < n; i++) {
		struct dma_fence *old = mock_fence_create_ctx(test,
							      f[i]->context, 9);

		bad += drm_sched_job_add_dependency(&job->base,
						    dma_fence_get(f[i])) != 0;
		bad += drm_sched_job_add_dependency(&job->base, old) != 0;
	}
	KUNIT_EXPECT_EQ(test, bad, 0);
	KUNIT_EXPECT_EQ(test, job->base.dependencies.count, n);
	KUNIT_EXPECT_EQ(test, mock_fences_released(test), n);
	for (i = 0; i < n; i++)
		bad += kref_read(&f[i]->refcount) != 2;
	KUNIT_EXPECT_EQ(test, bad, 0);

	/* Later fences replace the stored ones. */
	for (i = 0; i < newer; i++) {
		g[i] = mock_fence_create_ctx(test, f[i]->context, 11);
		bad += drm_sched_job_add_dependency(&job->base,
						    dma_fence_get(g[i])) != 0;
	}
	KUNIT_EXPECT_EQ(test, bad, 0);
	KUNIT_EXPECT_EQ(test, job->base.dependencies.count, n);
	KUNIT_EXPECT_EQ(test, gsd_deps_stored(job), n);
	for (i = 0; i < n; i++) {
		struct dma_fence *want = i < newer ? g[i] : f[i];

		bad += !mock_job_holds_dep(job, want);
		bad += i < newer && mock_job_holds_dep(job, f[i]);
		bad += kref_read(&f[i]->refcount) != (i < newer ? 1 : 2);
	}
	KUNIT_EXPECT_EQ(test, bad, 0);

	mock_job_cleanup(job);
	for (i = 0; i < n; i++) {
		bad += kref_read(&f[i]->refcount) != 1;
		dma_fence_put(f[i]);
	}
	for (i = 0; i < newer; i++) {
		bad += kref_read(&g[i]->refcount) != 1;
		dma_fence_put(g[i]);
	}
	KUNIT_EXPECT_EQ(test, bad, 0);
	KUNIT_EXPECT_EQ(test, mock_fences_released(test),
			mock_fences_created(test));
}

/* Dependencies added after arm (and before push) are waited for. */
static void gsd_deps_after_arm(struct kunit *test)
{
	struct dma_fence *ext = mock_fence_create(test);
	struct gsd_deps_env env;
	struct mock_job *job;

	gsd_deps_env(test, &env);
	job = mock_job_create(test, env.me, 5);
	mock_job_arm(job);
	KUNIT_ASSERT_EQ(test, mock_job_add_dep(job, ext), 0);
	mock_job_push(job);
	KUNIT_EXPECT_EQ(test, wait_for_completion_timeout(&job->ran, HZ / 10),
			0);
	mock_fence_signal(ext, 0);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(job));
	KUNIT_EXPECT_EQ(test, mock_violations(test), 0);
	dma_fence_put(ext);
}

/* Signalled and erroneous dependencies do not hold a job back. */
static void gsd_deps_signalled(struct kunit *test)
{
	struct dma_fence *ok = mock_fence_create(test);
	struct dma_fence *err = mock_fence_create(test);
	struct gsd_deps_env env;
	struct mock_job *job;

	gsd_deps_env(test, &env);
	mock_fence_signal(ok, 0);
	mock_fence_signal(err, -EIO);
	job = mock_job_create(test, env.me, 5);
	KUNIT_ASSERT_EQ(test, mock_job_add_dep(job, ok), 0);
	KUNIT_ASSERT_EQ(test, mock_job_add_dep(job, err), 0);
	mock_job_submit(job);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(job));
	dma_fence_put(ok);
	dma_fence_put(err);
	KUNIT_EXPECT_EQ(test, mock_violations(test), 0);
}

/* Every dependency reference is dropped by the time the job is freed. */
static void gsd_deps_released_after_run(struct kunit *test)
{
	struct mock_sched *s2 = mock_sched_create(test, 4, 0,
						  MAX_SCHEDULE_TIMEOUT, NULL);
	struct mock_entity *other = mock_entity_create(test,
					DRM_SCHED_PRIORITY_NORMAL, &s2, 1);
	struct mock_job *dep_job = mock_job_create(test, other, 5);
	struct dma_fence *ext[6];
	struct gsd_deps_env env;
	struct mock_job *job;
	unsigned int i;

	gsd_deps_env(test, &env);
	job = mock_job_create(test, env.me, 5);
	mock_job_arm(dep_job);
	for (i = 0; i < ARRAY_SIZE(ext); i++) {
		ext[i] = mock_fence_create(test);
		KUNIT_ASSERT_EQ(test,
				drm_sched_job_add_dependency(&job->base,
						dma_fence_get(ext[i])), 0);
	}
	KUNIT_ASSERT_EQ(test,
			drm_sched_job_add_dependency(&job->base,
					dma_fence_get(dep_job->finished)), 0);
	KUNIT_EXPECT_EQ(test, job->base.dependencies.count,
			ARRAY_SIZE(ext) + 1);
	mock_job_submit(job);
	mock_job_push(dep_job);
	for (i = 0; i < ARRAY_SIZE(ext); i++)
		mock_fence_signal(ext[i], 0);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(job));
	KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(dep_job));
	for (i = 0; i < ARRAY_SIZE(ext); i++) {
		KUNIT_EXPECT_EQ(test, kref_read(&ext[i]->refcount), 1);
		dma_fence_put(ext[i]);
	}
	KUNIT_EXPECT_EQ(test, mock_fences_released(test),
			mock_fences_created(test));
}

/* The optional dependency callback: consulted only after the added
 * dependencies signalled, until it returns NULL.
 */
static void gsd_deps_dependency_op(struct kunit *test)
{
	struct mock_sched *ms = mock_sched_create_dep_op(test, 4);
	struct mock_entity *me = mock_entity_create(test,
						    DRM_SCHED_PRIORITY_NORMAL,
						    &ms, 1);
	struct mock_job *job = mock_job_create(test, me, 5);
	struct dma_fence *added = mock_fence_create(test);
	struct dma_fence *extra = mock_fence_create(test);

	KUNIT_ASSERT_EQ(test, mock_job_add_dep(job, added), 0);
	job->op_dep = dma_fence_get(extra);
	mock_job_submit(job);

	KUNIT_EXPECT_EQ(test, wait_for_completion_timeout(&job->ran, HZ / 10),
			0);
	KUNIT_EXPECT_EQ(test, atomic_read(&job->op_calls), 0);
	mock_fence_signal(added, 0);
	/* Now the callback hands out "extra", which holds the job back. */
	KUNIT_ASSERT_TRUE(test, mock_wait_atomic(&job->op_calls, 1));
	KUNIT_EXPECT_EQ(test, wait_for_completion_timeout(&job->ran, HZ / 10),
			0);
	KUNIT_EXPECT_EQ(test, atomic_read(&job->op_calls), 1);
	mock_fence_signal(extra, 0);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(job));
	KUNIT_EXPECT_EQ(test, atomic_read(&job->op_calls), 2);
	KUNIT_EXPECT_EQ(test, kref_read(&extra->refcount), 1);
	dma_fence_put(added);
	dma_fence_put(extra);
	KUNIT_EXPECT_EQ(test, mock_violations(test), 0);
}

static void gsd_deps_dependency_optimized(struct kunit *test)
{
	struct mock_sched *s1 = mock_sched_create(test, 4, 0,
						  MAX_SCHEDULE_TIMEOUT, NULL);
	struct mock_sched *s2 = mock_sched_create(test, 4, 0,
						  MAX_SCHEDULE_TIMEOUT, NULL);
	struct mock_entity *e1 = mock_entity_create(test,
						    DRM_SCHED_PRIORITY_NORMAL,
						    &s1, 1);
	struct mock_entity *e1b = mock_entity_create(test,
						     DRM_SCHED_PRIORITY_NORMAL,
						     &s1, 1);
	struct mock_entity *e2 = mock_entity_create(test,
						    DRM_SCHED_PRIORITY_NORMAL,
						    &s2, 1);
	struct mock_job *same = mock_job_create(test, e1b, 0);
	struct mock_job *other = mock_job_create(test, e2, 0);
	struct dma_fence *ext = mock_fence_create(test);

	mock_job_arm(same);
	mock_job_arm(other);
	KUNIT_EXPECT_FALSE(test, drm_sched_dependency_optimized(NULL,
								&e1->base));
	KUNIT_EXPECT_FALSE(test, drm_sched_dependency_optimized(ext,
								&e1->base));
	KUNIT_EXPECT_TRUE(test, drm_sched_dependency_optimized(same->finished,
							       &e1->base));
	KUNIT_EXPECT_FALSE(test,
			   drm_sched_dependency_optimized(other->finished,
							  &e1->base));
	mock_fence_signal(ext, 0);
	KUNIT_EXPECT_FALSE(test, drm_sched_dependency_optimized(ext,
								&e1->base));
	mock_job_cleanup(same);
	mock_job_cleanup(other);
	dma_fence_put(ext);
}

static struct kunit_case gsd_deps_cases[] = {
	KUNIT_CASE(gsd_deps_null),
	KUNIT_CASE(gsd_deps_same_context_newer),
	KUNIT_CASE(gsd_deps_same_context_older),
	KUNIT_CASE(gsd_deps_identical),
	KUNIT_CASE(gsd_deps_self),
	KUNIT_CASE(gsd_deps_same_sched_pipelined),
	KUNIT_CASE(gsd_deps_same_sched_dont_pipeline),
	KUNIT_CASE(gsd_deps_other_sched_waits),
	KUNIT_CASE(gsd_deps_many_contexts),
	KUNIT_CASE(gsd_deps_after_arm),
	KUNIT_CASE(gsd_deps_signalled),
	KUNIT_CASE(gsd_deps_released_after_run),
	KUNIT_CASE(gsd_deps_dependency_op),
	KUNIT_CASE(gsd_deps_dependency_optimized),
	{}
};

struct kunit_suite gsd_deps_suite = {
	.name = "gpu_sched_deps_add_dependency",
	.init = mock_ctx_init,
	.exit = mock_ctx_exit,
	.test_cases = gsd_deps_cases,
};
