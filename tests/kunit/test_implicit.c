// SPDX-License-Identifier: GPL-2.0-only
/*
 * drm_sched_job_add_implicit_dependencies(): which fences of a reservation
 * object a reader and a writer wait for, reference counts, scheduling, and
 * that nothing is allocated for a few fences.
 *
 * A bare struct drm_gem_object carries the reservation object; no DRM GEM
 * function is called.  Readers are added after the writer, from distinct
 * contexts, so every kernel keeps all of them (before 5.19 a new exclusive
 * fence replaces the shared ones).
 */
#include <drm/drm_gem.h>
#include <drm/gpu_sched_deps_testing.h>

#include "gsd_tests.h"
#include "mock_sched.h"

#define GSD_READERS 2

struct gsd_implicit_env {
	struct mock_sched *ms;
	struct mock_entity *me;
	struct drm_gem_object *obj;
	struct dma_fence *writer;
	struct dma_fence *readers[GSD_READERS];
};

static void gsd_implicit_env(struct kunit *test, struct gsd_implicit_env *env)
{
	unsigned int i;

	env->ms = mock_sched_create(test, 4, 0, MAX_SCHEDULE_TIMEOUT, NULL);
	env->me = mock_entity_create(test, DRM_SCHED_PRIORITY_NORMAL,
				     &env->ms, 1);
	env->obj = mock_gem_create(test);
	env->writer = mock_fence_create(test);
	mock_gem_add_fence(test, env->obj, env->writer, true);
	for (i = 0; i < GSD_READERS; i++) {
		env->readers[i] = mock_fence_create(test);
		mock_gem_add_fence(test, env->obj, env->readers[i], false);
	}
}

static int gsd_implicit_add(struct mock_job *job, struct drm_gem_object *obj,
			    bool write)
{
	int ret;

	mock_gem_lock(obj);
	ret = drm_sched_job_add_implicit_dependencies(&job->base, obj, write);
	mock_gem_unlock(obj);
	return ret;
}

static void gsd_implicit_put(struct gsd_implicit_env *env)
{
	unsigned int i;

	dma_fence_put(env->writer);
	for (i = 0; i < GSD_READERS; i++)
		dma_fence_put(env->readers[i]);
}

/* A writer waits for the writer and every reader. */
static void gsd_implicit_write_waits_all(struct kunit *test)
{
	struct gsd_implicit_env env;
	struct mock_job *job;
	unsigned int i;

	gsd_implicit_env(test, &env);
	job = mock_job_create(test, env.me, 0);
	KUNIT_ASSERT_EQ(test, gsd_implicit_add(job, env.obj, true), 0);
	KUNIT_EXPECT_EQ(test, job->base.dependencies.count, 1 + GSD_READERS);
	KUNIT_EXPECT_TRUE(test, mock_job_holds_dep(job, env.writer));
	for (i = 0; i < GSD_READERS; i++)
		KUNIT_EXPECT_TRUE(test, mock_job_holds_dep(job,
							   env.readers[i]));
	mock_job_cleanup(job);
	gsd_implicit_put(&env);
}

/* A reader waits only for the writer. */
static void gsd_implicit_read_waits_writer(struct kunit *test)
{
	struct gsd_implicit_env env;
	struct mock_job *job;
	unsigned int i;

	gsd_implicit_env(test, &env);
	job = mock_job_create(test, env.me, 0);
	KUNIT_ASSERT_EQ(test, gsd_implicit_add(job, env.obj, false), 0);
	KUNIT_EXPECT_EQ(test, job->base.dependencies.count, 1);
	KUNIT_EXPECT_TRUE(test, mock_job_holds_dep(job, env.writer));
	for (i = 0; i < GSD_READERS; i++)
		KUNIT_EXPECT_FALSE(test, mock_job_holds_dep(job,
							    env.readers[i]));
	mock_job_cleanup(job);
	gsd_implicit_put(&env);
}

static void gsd_implicit_refs(struct gsd_implicit_env *env, unsigned int *refs)
{
	unsigned int i;

	refs[0] = kref_read(&env->writer->refcount);
	for (i = 0; i < GSD_READERS; i++)
		refs[i + 1] = kref_read(&env->readers[i]->refcount);
}

/*
 * The walk borrows the object's fences: after the jobs are cleaned up (before
 * arm, after arm, or after running) every count is what it was.
 */
static void gsd_implicit_refcounts(struct kunit *test)
{
	unsigned int before[1 + GSD_READERS], after[1 + GSD_READERS];
	struct mock_job *unarmed, *armed, *ran;
	struct gsd_implicit_env env;
	unsigned int i;

	gsd_implicit_env(test, &env);
	gsd_implicit_refs(&env, before);

	unarmed = mock_job_create(test, env.me, 0);
	armed = mock_job_create(test, env.me, 0);
	ran = mock_job_create(test, env.me, 0);
	KUNIT_ASSERT_EQ(test, gsd_implicit_add(unarmed, env.obj, true), 0);
	KUNIT_ASSERT_EQ(test, gsd_implicit_add(armed, env.obj, false), 0);
	KUNIT_ASSERT_EQ(test, gsd_implicit_add(ran, env.obj, true), 0);

	gsd_implicit_refs(&env, after);
	KUNIT_EXPECT_EQ(test, after[0], before[0] + 3);
	for (i = 1; i <= GSD_READERS; i++)
		KUNIT_EXPECT_EQ(test, after[i], before[i] + 2);

	mock_job_cleanup(unarmed);
	mock_job_arm(armed);
	mock_job_cleanup(armed);
	mock_job_submit(ran);
	mock_fence_signal(env.writer, 0);
	for (i = 0; i < GSD_READERS; i++)
		mock_fence_signal(env.readers[i], 0);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_ran(ran));
	KUNIT_EXPECT_EQ(test, mock_sched_advance(env.ms, 1), 1);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(ran));

	gsd_implicit_refs(&env, after);
	for (i = 0; i <= GSD_READERS; i++)
		KUNIT_EXPECT_EQ_MSG(test, after[i], before[i], "fence %u", i);
	gsd_implicit_put(&env);
}

/* Scheduling: the reader runs once the writer signalled, the writer only
 * once the readers did too.
 */
static void gsd_implicit_order(struct kunit *test)
{
	struct mock_job *reader, *writer;
	struct gsd_implicit_env env;
	unsigned int i;

	gsd_implicit_env(test, &env);
	reader = mock_job_create(test, env.me, 5);
	/* Its own entity, so that FIFO order does not hide anything. */
	writer = mock_job_create(test,
				 mock_entity_create(test,
						    DRM_SCHED_PRIORITY_NORMAL,
						    &env.ms, 1), 5);
	KUNIT_ASSERT_EQ(test, gsd_implicit_add(reader, env.obj, false), 0);
	KUNIT_ASSERT_EQ(test, gsd_implicit_add(writer, env.obj, true), 0);
	mock_job_record_dep(reader, env.writer);
	mock_job_record_dep(writer, env.writer);
	for (i = 0; i < GSD_READERS; i++)
		mock_job_record_dep(writer, env.readers[i]);
	mock_job_submit(writer);
	mock_job_submit(reader);

	KUNIT_EXPECT_EQ(test,
			wait_for_completion_timeout(&reader->ran, HZ / 20), 0);
	mock_fence_signal(env.writer, 0);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(reader));
	KUNIT_EXPECT_FALSE(test, completion_done(&writer->ran));
	for (i = 0; i < GSD_READERS; i++)
		mock_fence_signal(env.readers[i], 0);
	KUNIT_ASSERT_TRUE(test, mock_job_wait_freed(writer));
	KUNIT_EXPECT_EQ(test, mock_violations(test), 0);
	gsd_implicit_put(&env);
}

static void gsd_implicit_empty(struct kunit *test)
{
	struct mock_sched *ms = mock_sched_create(test, 4, 0,
						  MAX_SCHEDULE_TIMEOUT, NULL);
	struct mock_entity *me = mock_entity_create(test,
						    DRM_SCHED_PRIORITY_NORMAL,
						    &ms, 1);
	struct drm_gem_object *obj = mock_gem_create(test);
	struct mock_job *job = mock_job_create(test, me, 0);

	KUNIT_EXPECT_EQ(test, gsd_implicit_add(job, obj, true), 0);
	KUNIT_EXPECT_EQ(test, gsd_implicit_add(job, obj, false), 0);
	KUNIT_EXPECT_EQ(test, job->base.dependencies.count, 0);
	mock_job_cleanup(job);
}

/* A few fences fit in the job: the walk and the adds allocate nothing. */
static void gsd_implicit_no_alloc(struct kunit *test)
{
#ifdef GSD_FAULT_INJECTION
	struct gsd_implicit_env env;
	struct mock_job *job;
	int ret;

	gsd_implicit_env(test, &env);
	job = mock_job_create(test, env.me, 0);
	mock_gem_lock(env.obj);
	gsd_fault_inject_arm(0);
	ret = drm_sched_job_add_implicit_dependencies(&job->base, env.obj,
						      true);
	KUNIT_EXPECT_EQ(test, gsd_fault_inject_allocs(), 0);
	mock_gem_unlock(env.obj);
	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, job->base.dependencies.count, 1 + GSD_READERS);
	mock_job_cleanup(job);
	gsd_implicit_put(&env);
#else
	kunit_skip(test, "built without GSD_FAULT_INJECTION");
#endif
}

/*
 * Calling it without the reservation lock is a lockdep splat on debug
 * kernels; a splat cannot be caught and asserted cleanly from a test.
 */
static void gsd_implicit_unlocked(struct kunit *test)
{
	kunit_skip(test, "a missing-lock lockdep warning cannot be asserted cleanly");
}

static struct kunit_case gsd_implicit_cases[] = {
	KUNIT_CASE(gsd_implicit_write_waits_all),
	KUNIT_CASE(gsd_implicit_read_waits_writer),
	KUNIT_CASE(gsd_implicit_refcounts),
	KUNIT_CASE(gsd_implicit_order),
	KUNIT_CASE(gsd_implicit_empty),
	KUNIT_CASE(gsd_implicit_no_alloc),
	KUNIT_CASE(gsd_implicit_unlocked),
	{}
};

struct kunit_suite gsd_implicit_suite = {
	.name = "gpu_sched_deps_implicit",
	.init = mock_ctx_init,
	.exit = mock_ctx_exit,
	.test_cases = gsd_implicit_cases,
};
