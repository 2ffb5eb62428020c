// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite "gsd_legacy": the CI test driver gsd_legacy, written against
 * the scheduler API of Linux 5.4 .. 5.15 and converted by drivers/convert.sh,
 * behaves as a converted driver must:
 * - it has no ->dependency op left;
 * - a job waits for its in-fences, and for the implicit fences of its
 *   buffers: a writer for all of them, a reader for the writer only;
 * - fences of one context and the done fence of an earlier job of the
 *   same context are handled;
 * - a submit that fails (before the job is armed) leaves nothing behind and
 *   runs nothing, for every allocation of the scheduler that can fail; a
 *   submit that succeeds always runs its job;
 * - the converted timeout handler ends a hung job;
 * - a context and a device can go away with jobs in flight.
 *
 * "Not run yet" is checked after a barrier: a job of another context,
 * submitted later, has completed on the same ring.
 */
#include <linux/dma-fence.h>
#include <linux/dma-resv.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include <kunit/test.h>
#include <drm/drm_gem.h>
#include <drm/gpu_sched_deps_testing.h>
#include <gsd_compat.h>

#include "gsd_legacy.h"

#define LT_WAIT		(10 * HZ)
#define LT_FENCES	16
#define LT_BOS		4

struct lt_fence {
	struct dma_fence base;
	spinlock_t lock;	/* the fence's lock */
};

struct lt_bo {
	struct drm_gem_object base;
	struct dma_resv resv;
};

struct lt_env {
	struct gsd_legacy_dev *ldev;
	struct gsd_legacy_ctx *ctx;
	struct gsd_legacy_ctx *ctx2;
	struct dma_fence *fences[LT_FENCES];
	unsigned int nfences;
	struct lt_bo *bos[LT_BOS];
	unsigned int nbos;
};

static const char *lt_fence_name(struct dma_fence *f)
{
	return "gsd_legacy_test";
}

static const struct dma_fence_ops lt_fence_ops = {
	.get_driver_name = lt_fence_name,
	.get_timeline_name = lt_fence_name,
};

/* A fence of @context that only the test signals; freed by the exit hook. */
static struct dma_fence *lt_fence_ctx(struct kunit *test, u64 context,
				      u64 seqno)
{
	struct lt_env *env = test->priv;
	struct lt_fence *f;

	KUNIT_ASSERT_LT(test, env->nfences, LT_FENCES);
	f = kzalloc(sizeof(*f), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f);
	spin_lock_init(&f->lock);
	dma_fence_init(&f->base, &lt_fence_ops, &f->lock, context, seqno);
	env->fences[env->nfences++] = &f->base;
	return &f->base;
}

static struct dma_fence *lt_fence(struct kunit *test)
{
	return lt_fence_ctx(test, dma_fence_context_alloc(1), 1);
}

/* A buffer with its own reservation object; freed by the exit hook. */
static struct drm_gem_object *lt_bo(struct kunit *test)
{
	struct lt_env *env = test->priv;
	struct lt_bo *bo;

	KUNIT_ASSERT_LT(test, env->nbos, LT_BOS);
	bo = kzalloc(sizeof(*bo), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, bo);
	dma_resv_init(&bo->resv);
	bo->base.resv = &bo->resv;
	env->bos[env->nbos++] = bo;
	return &bo->base;
}

static void lt_bo_add_fence(struct kunit *test, struct drm_gem_object *obj,
			    struct dma_fence *fence, bool write)
{
	int ret;

	dma_resv_lock(obj->resv, NULL);
	ret = gsd_resv_reserve(obj->resv, 1);
	if (!ret)
		gsd_resv_add_fence(obj->resv, fence, write);
	dma_resv_unlock(obj->resv);
	KUNIT_ASSERT_EQ(test, ret, 0);
}

/* Submit; returns the error and sets *out on success. */
static int lt_submit_flags(struct gsd_legacy_ctx *ctx,
			   struct dma_fence **in, unsigned int in_count,
			   struct drm_gem_object **bos, const bool *writes,
			   unsigned int bo_count, u32 flags,
			   struct dma_fence **out)
{
	struct gsd_legacy_submit args = {
		.in_fences = in,
		.in_count = in_count,
		.bos = bos,
		.writes = writes,
		.bo_count = bo_count,
		.flags = flags,
	};
	int ret;

	*out = NULL;
	ret = gsd_legacy_submit(ctx, &args);
	if (!ret)
		*out = args.out_fence;
	return ret;
}

static struct dma_fence *lt_submit(struct kunit *test,
				   struct gsd_legacy_ctx *ctx,
				   struct dma_fence **in, unsigned int in_count,
				   struct drm_gem_object **bos,
				   const bool *writes, unsigned int bo_count)
{
	struct dma_fence *out;

	KUNIT_ASSERT_EQ(test, lt_submit_flags(ctx, in, in_count, bos, writes,
					      bo_count, 0, &out), 0);
	return out;
}

static bool lt_wait(struct dma_fence *f)
{
	return dma_fence_wait_timeout(f, false, LT_WAIT) > 0;
}

/* A job of @ctx with nothing to wait for has completed. */
static void lt_barrier(struct kunit *test, struct gsd_legacy_ctx *ctx)
{
	struct dma_fence *f = lt_submit(test, ctx, NULL, 0, NULL, NULL, 0);

	KUNIT_EXPECT_TRUE(test, lt_wait(f));
	dma_fence_put(f);
}

static unsigned int lt_runs(struct gsd_legacy_dev *ldev)
{
	struct gsd_legacy_stats st;

	gsd_legacy_query(ldev, &st);
	return st.jobs_run;
}

/* Wait (bounded) until @n jobs reached the hardware of @ldev. */
static bool lt_wait_runs(struct gsd_legacy_dev *ldev, unsigned int n)
{
	unsigned long end = jiffies + LT_WAIT;

	while (lt_runs(ldev) < n) {
		if (time_after(jiffies, end))
			return false;
		usleep_range(500, 1000);
	}
	return true;
}

static int lt_init(struct kunit *test)
{
	struct lt_env *env;

	env = kzalloc(sizeof(*env), GFP_KERNEL);
	if (!env)
		return -ENOMEM;
	test->priv = env;
	env->ldev = gsd_legacy_dev_create(4, MAX_SCHEDULE_TIMEOUT);
	if (IS_ERR(env->ldev)) {
		env->ldev = NULL;
		return -ENOMEM;
	}
	env->ctx = gsd_legacy_ctx_create(env->ldev);
	env->ctx2 = gsd_legacy_ctx_create(env->ldev);
	if (IS_ERR(env->ctx) || IS_ERR(env->ctx2))
		return -ENOMEM;
	return 0;
}

/* Everything a case left: its fences signal first, so that no job waits. */
static void lt_exit(struct kunit *test)
{
	struct lt_env *env = test->priv;
	unsigned int i;

	if (!env)
		return;
	for (i = 0; i < env->nfences; i++)
		dma_fence_signal(env->fences[i]);
	if (env->ldev) {
		gsd_legacy_hw_release(env->ldev);
		if (!IS_ERR_OR_NULL(env->ctx))
			gsd_legacy_ctx_destroy(env->ctx);
		if (!IS_ERR_OR_NULL(env->ctx2))
			gsd_legacy_ctx_destroy(env->ctx2);
		KUNIT_EXPECT_EQ(test, gsd_legacy_dev_destroy(env->ldev), 0);
	}
	for (i = 0; i < env->nbos; i++) {
		dma_resv_fini(&env->bos[i]->resv);
		kfree(env->bos[i]);
	}
	for (i = 0; i < env->nfences; i++)
		dma_fence_put(env->fences[i]);
	kfree(env);
}

/* The conversion removed the ->dependency op: nothing runs in a callback. */
static void legacy_no_dependency_op(struct kunit *test)
{
	struct lt_env *env = test->priv;
	struct gsd_legacy_stats st;

	gsd_legacy_query(env->ldev, &st);
	KUNIT_EXPECT_FALSE(test, st.dependency_op);
}

/* A job runs only once all its in-fences signalled. */
static void legacy_in_fences(struct kunit *test)
{
	struct lt_env *env = test->priv;
	struct dma_fence *in[2], *out;

	in[0] = lt_fence(test);
	in[1] = lt_fence(test);
	out = lt_submit(test, env->ctx, in, 2, NULL, NULL, 0);

	lt_barrier(test, env->ctx2);
	KUNIT_EXPECT_EQ(test, lt_runs(env->ldev), 1);
	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(out));

	dma_fence_signal(in[1]);
	lt_barrier(test, env->ctx2);
	KUNIT_EXPECT_EQ(test, lt_runs(env->ldev), 2);
	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(out));

	dma_fence_signal(in[0]);
	KUNIT_EXPECT_TRUE(test, lt_wait(out));
	KUNIT_EXPECT_EQ(test, out->error, 0);
	KUNIT_EXPECT_EQ(test, lt_runs(env->ldev), 3);
	dma_fence_put(out);
}

/* A buffer with a writer and two readers, all pending. */
static struct drm_gem_object *lt_busy_bo(struct kunit *test,
					 struct dma_fence **w,
					 struct dma_fence **r)
{
	struct drm_gem_object *obj = lt_bo(test);

	*w = lt_fence(test);
	lt_bo_add_fence(test, obj, *w, true);
	r[0] = lt_fence(test);
	lt_bo_add_fence(test, obj, r[0], false);
	r[1] = lt_fence(test);
	lt_bo_add_fence(test, obj, r[1], false);
	return obj;
}

/* A job writing a buffer waits for its writer and all its readers. */
static void legacy_implicit_writer(struct kunit *test)
{
	struct lt_env *env = test->priv;
	struct dma_fence *w, *r[2], *out;
	struct drm_gem_object *obj = lt_busy_bo(test, &w, r);
	static const bool write = true;

	out = lt_submit(test, env->ctx, NULL, 0, &obj, &write, 1);
	lt_barrier(test, env->ctx2);
	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(out));

	dma_fence_signal(w);
	dma_fence_signal(r[0]);
	lt_barrier(test, env->ctx2);
	KUNIT_EXPECT_EQ(test, lt_runs(env->ldev), 2);
	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(out));

	dma_fence_signal(r[1]);
	KUNIT_EXPECT_TRUE(test, lt_wait(out));
	KUNIT_EXPECT_EQ(test, out->error, 0);
	dma_fence_put(out);
}

/* A job reading a buffer waits for its writer only. */
static void legacy_implicit_reader(struct kunit *test)
{
	struct lt_env *env = test->priv;
	struct dma_fence *w, *r[2], *out;
	struct drm_gem_object *obj = lt_busy_bo(test, &w, r);
	static const bool write;

	out = lt_submit(test, env->ctx, NULL, 0, &obj, &write, 1);
	lt_barrier(test, env->ctx2);
	KUNIT_EXPECT_EQ(test, lt_runs(env->ldev), 1);
	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(out));

	dma_fence_signal(w);
	KUNIT_EXPECT_TRUE(test, lt_wait(out));
	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(r[0]));
	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(r[1]));
	dma_fence_put(out);
}

/*
 * The done fence the driver puts into a buffer is an implicit fence for the
 * next user: a reader on another device waits for a held writer.
 */
static void legacy_implicit_own_fence(struct kunit *test)
{
	struct lt_env *env = test->priv;
	struct drm_gem_object *obj = lt_bo(test);
	static const bool write = true, read;
	struct gsd_legacy_ctx *ctx2, *ctx3;
	struct gsd_legacy_dev *ldev2;
	struct dma_fence *a, *b;

	KUNIT_ASSERT_EQ(test, lt_submit_flags(env->ctx, NULL, 0, &obj, &write,
					      1, GSD_LEGACY_SUBMIT_HOLD, &a),
			0);
	ldev2 = gsd_legacy_dev_create(4, MAX_SCHEDULE_TIMEOUT);
	KUNIT_ASSERT_FALSE(test, IS_ERR(ldev2));
	ctx2 = gsd_legacy_ctx_create(ldev2);
	KUNIT_ASSERT_FALSE(test, IS_ERR(ctx2));
	ctx3 = gsd_legacy_ctx_create(ldev2);
	KUNIT_ASSERT_FALSE(test, IS_ERR(ctx3));

	b = lt_submit(test, ctx2, NULL, 0, &obj, &read, 1);
	lt_barrier(test, ctx3);
	KUNIT_EXPECT_EQ(test, lt_runs(ldev2), 1);
	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(b));

	KUNIT_EXPECT_TRUE(test, lt_wait_runs(env->ldev, 1));
	gsd_legacy_hw_release(env->ldev);
	KUNIT_EXPECT_TRUE(test, lt_wait(b));
	KUNIT_EXPECT_TRUE(test, dma_fence_is_signaled(a));
	dma_fence_put(a);
	dma_fence_put(b);
	gsd_legacy_ctx_destroy(ctx3);
	gsd_legacy_ctx_destroy(ctx2);
	KUNIT_EXPECT_EQ(test, gsd_legacy_dev_destroy(ldev2), 0);
}

/*
 * Two in-fences of one context: the later one is what counts.  And the done
 * fence of an earlier job of the same context, still on the hardware.
 */
static void legacy_own_context(struct kunit *test)
{
	struct lt_env *env = test->priv;
	u64 context = dma_fence_context_alloc(1);
	struct dma_fence *in[2], *a, *b;
	unsigned int runs;

	in[0] = lt_fence_ctx(test, context, 2);
	in[1] = lt_fence_ctx(test, context, 1);
	a = lt_submit(test, env->ctx, in, 2, NULL, NULL, 0);
	dma_fence_signal(in[1]);
	lt_barrier(test, env->ctx2);
	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(a));
	dma_fence_signal(in[0]);
	KUNIT_EXPECT_TRUE(test, lt_wait(a));
	dma_fence_put(a);

	runs = lt_runs(env->ldev);
	KUNIT_ASSERT_EQ(test, lt_submit_flags(env->ctx, NULL, 0, NULL, NULL, 0,
					      GSD_LEGACY_SUBMIT_HOLD, &a), 0);
	b = lt_submit(test, env->ctx, &a, 1, NULL, NULL, 0);
	KUNIT_EXPECT_TRUE(test, lt_wait_runs(env->ldev, runs + 1));
	gsd_legacy_hw_release(env->ldev);
	KUNIT_EXPECT_TRUE(test, lt_wait(b));
	KUNIT_EXPECT_TRUE(test, dma_fence_is_signaled(a));
	KUNIT_EXPECT_EQ(test, a->error, 0);
	KUNIT_EXPECT_EQ(test, b->error, 0);
	dma_fence_put(a);
	dma_fence_put(b);
}

/*
 * A submit that fails after its fences were collected (a buffer does not
 * resolve) gives every reference back, frees the job and runs nothing.
 */
static void legacy_error_before_arm(struct kunit *test)
{
	struct lt_env *env = test->priv;
	struct drm_gem_object *bos[2] = { lt_bo(test), NULL };
	static const bool writes[2] = { true, false };
	struct dma_fence *in[1], *out;
	struct gsd_legacy_stats st;

	in[0] = lt_fence(test);
	KUNIT_EXPECT_EQ(test, lt_submit_flags(env->ctx, in, 1, bos, writes, 2,
					      0, &out), -ENOENT);
	KUNIT_EXPECT_NULL(test, out);
	KUNIT_EXPECT_TRUE(test, gsd_legacy_wait_idle(env->ldev, LT_WAIT));
	KUNIT_EXPECT_EQ(test, kref_read(&in[0]->refcount), 1);

	dma_fence_signal(in[0]);
	lt_barrier(test, env->ctx2);
	/* The barrier's job is freed after its fence signalled. */
	KUNIT_EXPECT_TRUE(test, gsd_legacy_wait_idle(env->ldev, LT_WAIT));
	gsd_legacy_query(env->ldev, &st);
	KUNIT_EXPECT_EQ(test, st.jobs_run, 1);
	KUNIT_EXPECT_EQ(test, st.jobs_live, 0);
}

/*
 * Every allocation the scheduler makes for a submit fails in turn: each
 * failure leaves nothing behind and runs nothing; the first submit that
 * gets through runs its job.
 */
static void legacy_alloc_failures(struct kunit *test)
{
	struct lt_env *env = test->priv;
	struct drm_gem_object *bos[2] = { lt_bo(test), lt_bo(test) };
	static const bool writes[2] = { true, false };
	struct dma_fence *in[2], *w, *out = NULL;
	unsigned int nth, failed = 0;
	int ret = -ENOMEM;

	in[0] = lt_fence(test);
	in[1] = lt_fence(test);
	w = lt_fence(test);
	lt_bo_add_fence(test, bos[0], w, true);
	lt_bo_add_fence(test, bos[1], w, true);

	for (nth = 1; nth < 64 && ret; nth++) {
		gsd_fault_inject_arm(nth);
		ret = lt_submit_flags(env->ctx, in, 2, bos, writes, 2, 0, &out);
		KUNIT_EXPECT_EQ(test, gsd_fault_inject_fired(), ret != 0);
		gsd_fault_inject_arm(0);
		if (!ret)
			break;
		failed++;
		KUNIT_EXPECT_EQ(test, ret, -ENOMEM);
		KUNIT_EXPECT_TRUE(test, gsd_legacy_wait_idle(env->ldev,
							     LT_WAIT));
		KUNIT_EXPECT_EQ(test, kref_read(&in[0]->refcount), 1);
		KUNIT_EXPECT_EQ(test, kref_read(&in[1]->refcount), 1);
	}
	KUNIT_ASSERT_EQ(test, ret, 0);
	KUNIT_EXPECT_GT(test, failed, 0);
	KUNIT_EXPECT_EQ(test, lt_runs(env->ldev), 0);

	dma_fence_signal(in[0]);
	dma_fence_signal(in[1]);
	dma_fence_signal(w);
	KUNIT_EXPECT_TRUE(test, lt_wait(out));
	KUNIT_EXPECT_EQ(test, out->error, 0);
	KUNIT_EXPECT_EQ(test, lt_runs(env->ldev), 1);
	dma_fence_put(out);
}

/* The converted timeout handler ends a hung job; the ring goes on. */
static void legacy_timeout(struct kunit *test)
{
	struct gsd_legacy_dev *ldev;
	struct gsd_legacy_ctx *ctx;
	struct gsd_legacy_stats st;
	struct dma_fence *a, *b;

	ldev = gsd_legacy_dev_create(4, msecs_to_jiffies(50));
	KUNIT_ASSERT_FALSE(test, IS_ERR(ldev));
	ctx = gsd_legacy_ctx_create(ldev);
	KUNIT_ASSERT_FALSE(test, IS_ERR(ctx));

	KUNIT_ASSERT_EQ(test, lt_submit_flags(ctx, NULL, 0, NULL, NULL, 0,
					      GSD_LEGACY_SUBMIT_HOLD, &a), 0);
	KUNIT_EXPECT_TRUE(test, lt_wait(a));
	KUNIT_EXPECT_EQ(test, a->error, -ETIMEDOUT);
	b = lt_submit(test, ctx, NULL, 0, NULL, NULL, 0);
	KUNIT_EXPECT_TRUE(test, lt_wait(b));
	KUNIT_EXPECT_EQ(test, b->error, 0);
	gsd_legacy_query(ldev, &st);
	KUNIT_EXPECT_GE(test, st.timeouts, 1);
	dma_fence_put(a);
	dma_fence_put(b);
	gsd_legacy_ctx_destroy(ctx);
	KUNIT_EXPECT_EQ(test, gsd_legacy_dev_destroy(ldev), 0);
}

/*
 * Teardown with jobs in flight: one on the hardware, one waiting for a
 * fence, one queued behind it.  The one on the hardware is cancelled; the
 * queued ones never run and end with an error, after it (the fences of an
 * entity signal in order) and after the fence they wait for; every job is
 * freed.
 */
static void legacy_teardown_in_flight(struct kunit *test)
{
	struct gsd_legacy_dev *ldev;
	struct gsd_legacy_ctx *ctx;
	struct dma_fence *in, *a, *b, *c;

	ldev = gsd_legacy_dev_create(4, MAX_SCHEDULE_TIMEOUT);
	KUNIT_ASSERT_FALSE(test, IS_ERR(ldev));
	ctx = gsd_legacy_ctx_create(ldev);
	KUNIT_ASSERT_FALSE(test, IS_ERR(ctx));
	in = lt_fence(test);

	KUNIT_ASSERT_EQ(test, lt_submit_flags(ctx, NULL, 0, NULL, NULL, 0,
					      GSD_LEGACY_SUBMIT_HOLD, &a), 0);
	b = lt_submit(test, ctx, &in, 1, NULL, NULL, 0);
	c = lt_submit(test, ctx, NULL, 0, NULL, NULL, 0);
	KUNIT_ASSERT_TRUE(test, lt_wait_runs(ldev, 1));

	gsd_legacy_ctx_destroy(ctx);
	dma_fence_signal(in);
	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(b));
	KUNIT_EXPECT_EQ(test, lt_runs(ldev), 1);

	KUNIT_EXPECT_EQ(test, gsd_legacy_dev_destroy(ldev), 0);
	KUNIT_EXPECT_TRUE(test, dma_fence_is_signaled(a));
	KUNIT_EXPECT_EQ(test, a->error, -ECANCELED);
	KUNIT_EXPECT_TRUE(test, dma_fence_is_signaled(b));
	KUNIT_EXPECT_TRUE(test, dma_fence_is_signaled(c));
	KUNIT_EXPECT_LT(test, b->error, 0);
	KUNIT_EXPECT_LT(test, c->error, 0);
	dma_fence_put(a);
	dma_fence_put(b);
	dma_fence_put(c);
}

static struct kunit_case legacy_cases[] = {
	KUNIT_CASE(legacy_no_dependency_op),
	KUNIT_CASE(legacy_in_fences),
	KUNIT_CASE(legacy_implicit_writer),
	KUNIT_CASE(legacy_implicit_reader),
	KUNIT_CASE(legacy_implicit_own_fence),
	KUNIT_CASE(legacy_own_context),
	KUNIT_CASE(legacy_error_before_arm),
	KUNIT_CASE(legacy_alloc_failures),
	KUNIT_CASE(legacy_timeout),
	KUNIT_CASE(legacy_teardown_in_flight),
	{}
};

static struct kunit_suite legacy_suite = {
	.name = "gsd_legacy",
	.init = lt_init,
	.exit = lt_exit,
	.test_cases = legacy_cases,
};

kunit_test_suites(&legacy_suite);

GSD_MODULE_IMPORT_NS();
MODULE_DESCRIPTION("KUnit tests of the converted CI test driver gsd_legacy");
MODULE_LICENSE("GPL");
