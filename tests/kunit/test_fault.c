// SPDX-License-Identifier: GPL-2.0-only
/*
 * Allocation failures, injected with the test hook of gpu-sched-deps (built
 * with GSD_FAULT_INJECTION by `make tests`).  For each operation, the first,
 * second, ... allocation fails, until the operation completes without the
 * failure firing.  Every failing call returns -ENOMEM and consumes the
 * fence reference it was given exactly once; after cleanup every reference
 * is balanced and every counting fence is released.
 */
#include <drm/drm_gem.h>
#include <drm/gpu_sched_deps_testing.h>

#include "gsd_tests.h"
#include "mock_sched.h"

/* More than enough rounds: each round fails one allocation further on. */
#define GSD_FAULT_MAX_ROUNDS	32

#ifdef GSD_FAULT_INJECTION

static struct mock_entity *gsd_fault_entity(struct kunit *test)
{
	struct mock_sched *ms = mock_sched_create(test, 4, 0,
						  MAX_SCHEDULE_TIMEOUT, NULL);

	return mock_entity_create(test, DRM_SCHED_PRIORITY_NORMAL, &ms, 1);
}

static void gsd_fault_job_init(struct kunit *test)
{
	struct mock_entity *me = gsd_fault_entity(test);
	unsigned int n, failures = 0;
	bool fired = true;

	for (n = 1; fired && n <= GSD_FAULT_MAX_ROUNDS; n++) {
		struct drm_sched_job *job;
		int ret;

		job = kunit_kzalloc(test, sizeof(*job), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, job);
		gsd_fault_inject_arm(n);
		ret = drm_sched_job_init(job, &me->base, NULL);
		fired = gsd_fault_inject_fired();
		gsd_fault_inject_arm(0);
		if (fired) {
			KUNIT_EXPECT_EQ(test, ret, -ENOMEM);
			failures++;
			continue;
		}
		KUNIT_EXPECT_EQ(test, ret, 0);
		if (!ret)
			drm_sched_job_cleanup(job);
	}
	KUNIT_EXPECT_FALSE(test, fired);
	KUNIT_EXPECT_GE(test, failures, 1);
}

/* Growing the dependency table past the slots inside the job. */
static void gsd_fault_add_dependency(struct kunit *test)
{
	const unsigned int nfences = 24;
	struct mock_entity *me = gsd_fault_entity(test);
	unsigned int n, i, failures = 0;
	struct dma_fence **f;
	bool fired = true;

	f = kunit_kcalloc(test, nfences, sizeof(*f), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f);

	for (n = 1; fired && n <= GSD_FAULT_MAX_ROUNDS; n++) {
		struct mock_job *job = mock_job_create(test, me, 0);
		unsigned int released;
		int ret = 0;

		for (i = 0; i < nfences; i++)
			f[i] = mock_fence_create(test);

		gsd_fault_inject_arm(n);
		for (i = 0; i < nfences; i++) {
			released = mock_fences_released(test);
			ret = drm_sched_job_add_dependency(&job->base,
							   dma_fence_get(f[i]));
			if (ret)
				break;
			KUNIT_EXPECT_EQ(test, kref_read(&f[i]->refcount), 2);
		}
		fired = gsd_fault_inject_fired();
		gsd_fault_inject_arm(0);

		KUNIT_EXPECT_EQ(test, fired, ret != 0);
		if (ret) {
			failures++;
			KUNIT_EXPECT_EQ(test, ret, -ENOMEM);
			/* Our reference is intact, the job's was dropped. */
			KUNIT_EXPECT_EQ(test, kref_read(&f[i]->refcount), 1);
			KUNIT_EXPECT_EQ(test, mock_fences_released(test),
					released);
			KUNIT_EXPECT_EQ(test, job->base.dependencies.count, i);
		} else {
			KUNIT_EXPECT_EQ(test, job->base.dependencies.count,
					nfences);
		}

		mock_job_cleanup(job);
		for (i = 0; i < nfences; i++) {
			KUNIT_EXPECT_EQ(test, kref_read(&f[i]->refcount), 1);
			dma_fence_put(f[i]);
		}
		KUNIT_EXPECT_EQ(test, mock_fences_released(test),
				mock_fences_created(test));
	}
	KUNIT_EXPECT_FALSE(test, fired);
	KUNIT_EXPECT_GE(test, failures, 1);
}

/* The same through a reservation object with more fences than fit. */
static void gsd_fault_add_implicit(struct kunit *test)
{
	const unsigned int nreaders = 7;
	struct mock_entity *me = gsd_fault_entity(test);
	struct drm_gem_object *obj = mock_gem_create(test);
	struct dma_fence *f[8];
	unsigned int refs[8];
	unsigned int n, i, failures = 0;
	bool fired = true;

	f[0] = mock_fence_create(test);
	mock_gem_add_fence(test, obj, f[0], true);
	for (i = 1; i <= nreaders; i++) {
		f[i] = mock_fence_create(test);
		mock_gem_add_fence(test, obj, f[i], false);
	}
	for (i = 0; i <= nreaders; i++)
		refs[i] = kref_read(&f[i]->refcount);

	for (n = 1; fired && n <= GSD_FAULT_MAX_ROUNDS; n++) {
		struct mock_job *job = mock_job_create(test, me, 0);
		int ret;

		mock_gem_lock(obj);
		gsd_fault_inject_arm(n);
		ret = drm_sched_job_add_implicit_dependencies(&job->base, obj,
							      true);
		fired = gsd_fault_inject_fired();
		gsd_fault_inject_arm(0);
		mock_gem_unlock(obj);

		KUNIT_EXPECT_EQ(test, fired, ret != 0);
		if (ret) {
			failures++;
			KUNIT_EXPECT_EQ(test, ret, -ENOMEM);
		} else {
			KUNIT_EXPECT_EQ(test, job->base.dependencies.count,
					nreaders + 1);
		}
		mock_job_cleanup(job);
		for (i = 0; i <= nreaders; i++)
			KUNIT_EXPECT_EQ_MSG(test, kref_read(&f[i]->refcount),
					    refs[i], "round %u fence %u", n, i);
	}
	KUNIT_EXPECT_FALSE(test, fired);
	KUNIT_EXPECT_GE(test, failures, 1);
	for (i = 0; i <= nreaders; i++)
		dma_fence_put(f[i]);
}

#else /* !GSD_FAULT_INJECTION */

static void gsd_fault_job_init(struct kunit *test)
{
	kunit_skip(test, "built without GSD_FAULT_INJECTION");
}

static void gsd_fault_add_dependency(struct kunit *test)
{
	kunit_skip(test, "built without GSD_FAULT_INJECTION");
}

static void gsd_fault_add_implicit(struct kunit *test)
{
	kunit_skip(test, "built without GSD_FAULT_INJECTION");
}

#endif /* GSD_FAULT_INJECTION */

static struct kunit_case gsd_fault_cases[] = {
	KUNIT_CASE(gsd_fault_job_init),
	KUNIT_CASE(gsd_fault_add_dependency),
	KUNIT_CASE(gsd_fault_add_implicit),
	{}
};

struct kunit_suite gsd_fault_suite = {
	.name = "gpu_sched_deps_fault_injection",
	.init = mock_ctx_init,
	.exit = mock_ctx_exit,
	.test_cases = gsd_fault_cases,
};
