// SPDX-License-Identifier: GPL-2.0-only
/*
 * gsd_coexist - prove that the kernel's own GPU scheduler still works while
 * gpu-sched-deps is loaded beside it.
 *
 * Built against the kernel's in-tree <drm/gpu_scheduler.h> (not ours), so
 * every drm_sched_* call below binds to gpu-sched.ko.  Module init creates
 * one in-tree scheduler and entity, pushes one job whose "hardware" fence is
 * signalled from a work item, waits for the job's finished fence and for
 * free_job, tears everything down and prints the outcome as a one-case KTAP
 * suite, gpu_sched_deps_coexist.  The test harness loads this module after
 * gpu-sched-deps.
 *
 * The in-tree API differs between kernels; the compat feature tests
 * (compat/probes/kernel_sched_*.c) pick the call forms.
 */
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/dma-fence.h>
#include <linux/err.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <drm/gpu_scheduler.h>

#include "../../compat/generated/gsd_config.h"

/*
 * drm_sched_job_arm() and the one-argument drm_sched_entity_push_job()
 * (Linux 5.16) exist on every kernel whose drm_sched_init() has the device
 * argument (6.0), the args struct, or whose drm_sched_job_init() takes
 * credits.  The 5.15 in-tree scheduler has neither.
 */
#if defined(GSD_HAVE_KERNEL_SCHED_INIT_ARGS) || \
	defined(GSD_HAVE_KERNEL_SCHED_INIT_DEV) || \
	defined(GSD_HAVE_KERNEL_SCHED_JOB_INIT_CREDITS)
#define CX_JOB_ARM 1
#endif

/*
 * timedout_job returns enum drm_gpu_sched_stat from 5.12; 5.15 is the
 * first target kernel with it and also the first with timeout_wq.
 */
#if defined(GSD_HAVE_KERNEL_SCHED_INIT_ARGS) || \
	defined(GSD_HAVE_KERNEL_SCHED_INIT_DEV) || \
	defined(GSD_HAVE_KERNEL_SCHED_INIT_TIMEOUT_WQ)
#define CX_TIMEDOUT_STAT 1
#endif

#define CX_SUITE	"gpu_sched_deps_coexist"
#define CX_CASE		"intree_scheduler_runs_a_job"
#define CX_WAIT		(30 * HZ)

struct cx_state {
	struct drm_gpu_scheduler sched;
	struct drm_sched_entity entity;
	spinlock_t fence_lock;		/* of hw_fence */
	u64 fence_context;
	struct dma_fence *hw_fence;	/* allocated before the job runs */
	struct work_struct signal_work;
	struct completion freed;
	atomic_t runs;
	atomic_t timeouts;
};

struct cx_job {
	struct drm_sched_job base;
	struct cx_state *cx;
};

static const char *cx_driver_name(struct dma_fence *fence)
{
	return "gsd_coexist";
}

static const char *cx_timeline_name(struct dma_fence *fence)
{
	return "gsd_coexist-hw";
}

static const struct dma_fence_ops cx_fence_ops = {
	.get_driver_name = cx_driver_name,
	.get_timeline_name = cx_timeline_name,
};

/* The "hardware": completes the job a moment after it started. */
static void cx_signal_work(struct work_struct *work)
{
	struct cx_state *cx = container_of(work, struct cx_state, signal_work);

	dma_fence_signal(cx->hw_fence);
	dma_fence_put(cx->hw_fence);
}

static struct dma_fence *cx_run_job(struct drm_sched_job *sched_job)
{
	struct cx_job *job = container_of(sched_job, struct cx_job, base);
	struct cx_state *cx = job->cx;

	if (atomic_inc_return(&cx->runs) != 1)
		return ERR_PTR(-EINVAL);	/* one job, run once */
	dma_fence_init(cx->hw_fence, &cx_fence_ops, &cx->fence_lock,
		       cx->fence_context, 1);
	/* One reference for the scheduler, one for the signalling work. */
	dma_fence_get(cx->hw_fence);
	schedule_work(&cx->signal_work);
	return cx->hw_fence;
}

#ifdef CX_TIMEDOUT_STAT
static enum drm_gpu_sched_stat cx_timedout_job(struct drm_sched_job *job)
{
	atomic_inc(&container_of(job, struct cx_job, base)->cx->timeouts);
	return DRM_GPU_SCHED_STAT_NOMINAL;
}
#else
static void cx_timedout_job(struct drm_sched_job *job)
{
	atomic_inc(&container_of(job, struct cx_job, base)->cx->timeouts);
}
#endif

static void cx_free_job(struct drm_sched_job *sched_job)
{
	struct cx_job *job = container_of(sched_job, struct cx_job, base);
	struct cx_state *cx = job->cx;

	drm_sched_job_cleanup(sched_job);
	kfree(job);
	complete(&cx->freed);
}

#ifndef CX_JOB_ARM
/*
 * Before 5.16 the scheduler calls ->dependency unconditionally (it became
 * optional with the dependency tracking); the one job has none.
 */
static struct dma_fence *cx_dependency(struct drm_sched_job *job,
				       struct drm_sched_entity *entity)
{
	return NULL;
}
#endif

static const struct drm_sched_backend_ops cx_ops = {
#ifndef CX_JOB_ARM
	.dependency = cx_dependency,
#endif
	.run_job = cx_run_job,
	.timedout_job = cx_timedout_job,
	.free_job = cx_free_job,
};

static int cx_sched_init(struct cx_state *cx)
{
#if defined(GSD_HAVE_KERNEL_SCHED_INIT_ARGS)
	const struct drm_sched_init_args args = {
		.ops = &cx_ops,
#ifdef GSD_HAVE_KERNEL_SCHED_INIT_ARGS_SUBMIT_WQ
		.num_rqs = DRM_SCHED_PRIORITY_COUNT,
#endif
		.credit_limit = 1,
		.hang_limit = 0,
		.timeout = MAX_SCHEDULE_TIMEOUT,
		.name = "gsd_coexist",
	};

	return drm_sched_init(&cx->sched, &args);
#elif defined(GSD_HAVE_KERNEL_SCHED_INIT_DEV)
	return drm_sched_init(&cx->sched, &cx_ops, 1, 0, MAX_SCHEDULE_TIMEOUT,
			      NULL, NULL, "gsd_coexist", NULL);
#elif defined(GSD_HAVE_KERNEL_SCHED_INIT_TIMEOUT_WQ)
	return drm_sched_init(&cx->sched, &cx_ops, 1, 0, MAX_SCHEDULE_TIMEOUT,
			      NULL, NULL, "gsd_coexist");
#else
	return drm_sched_init(&cx->sched, &cx_ops, 1, 0, MAX_SCHEDULE_TIMEOUT,
			      "gsd_coexist");
#endif
}

static int cx_job_init(struct cx_job *job, struct cx_state *cx)
{
#if defined(GSD_HAVE_KERNEL_SCHED_JOB_INIT_CLIENT_ID)
	return drm_sched_job_init(&job->base, &cx->entity, 1, NULL, 0);
#elif defined(GSD_HAVE_KERNEL_SCHED_JOB_INIT_CREDITS)
	return drm_sched_job_init(&job->base, &cx->entity, 1, NULL);
#else
	return drm_sched_job_init(&job->base, &cx->entity, NULL);
#endif
}

/* 5.4's entity_init takes run queues, not schedulers and a priority. */
static int cx_entity_init(struct cx_state *cx,
			  struct drm_gpu_scheduler **list, unsigned int n)
{
#ifdef GSD_HAVE_KERNEL_SCHED_ENTITY_INIT_RQ_LIST
	struct drm_sched_rq *rq = &list[0]->sched_rq[DRM_SCHED_PRIORITY_NORMAL];

	return drm_sched_entity_init(&cx->entity, &rq, 1, NULL);
#else
	return drm_sched_entity_init(&cx->entity, DRM_SCHED_PRIORITY_NORMAL,
				     list, n, NULL);
#endif
}

static void cx_push(struct cx_job *job, struct cx_state *cx)
{
#ifdef CX_JOB_ARM
	drm_sched_entity_push_job(&job->base);
#else
	drm_sched_entity_push_job(&job->base, &cx->entity);
#endif
}

/* Runs one job through the in-tree scheduler; NULL on success, else why. */
static const char *cx_run(struct cx_state *cx)
{
	struct drm_gpu_scheduler *list[] = { &cx->sched };
	struct dma_fence *finished;
	const char *why = NULL;
	struct cx_job *job;
	long left;
	int ret;

	ret = cx_sched_init(cx);
	if (ret)
		return "drm_sched_init failed";
	ret = cx_entity_init(cx, list, ARRAY_SIZE(list));
	if (ret) {
		why = "drm_sched_entity_init failed";
		goto out_sched;
	}
	job = kzalloc(sizeof(*job), GFP_KERNEL);
	if (!job) {
		why = "out of memory";
		goto out_entity;
	}
	ret = cx_job_init(job, cx);
	if (ret) {
		kfree(job);
		why = "drm_sched_job_init failed";
		goto out_entity;
	}
	/* drm_sched_job_init() may clear the job: set our fields after it. */
	job->cx = cx;
#ifdef CX_JOB_ARM
	drm_sched_job_arm(&job->base);
#endif
	finished = dma_fence_get(&job->base.s_fence->finished);
	cx_push(job, cx);

	left = dma_fence_wait_timeout(finished, false, CX_WAIT);
	if (left <= 0)
		why = "the job's finished fence did not signal within 30 s";
	else if (finished->error)
		why = "the job's finished fence carries an error";
	else if (!wait_for_completion_timeout(&cx->freed, CX_WAIT))
		why = "free_job was not called within 30 s";
	else if (atomic_read(&cx->runs) != 1)
		why = "run_job was not called exactly once";
	else if (atomic_read(&cx->timeouts))
		why = "timedout_job was called";
	dma_fence_put(finished);
out_entity:
	drm_sched_entity_destroy(&cx->entity);
out_sched:
	drm_sched_fini(&cx->sched);
	return why;
}

static int __init cx_init(void)
{
	struct cx_state *cx;
	const char *why;

	cx = kzalloc(sizeof(*cx), GFP_KERNEL);
	if (!cx)
		return -ENOMEM;
	cx->hw_fence = kzalloc(sizeof(*cx->hw_fence), GFP_KERNEL);
	if (!cx->hw_fence) {
		kfree(cx);
		return -ENOMEM;
	}
	spin_lock_init(&cx->fence_lock);
	cx->fence_context = dma_fence_context_alloc(1);
	INIT_WORK(&cx->signal_work, cx_signal_work);
	init_completion(&cx->freed);

	why = cx_run(cx);
	flush_work(&cx->signal_work);
	/* Never initialised: the job did not run; else the fence frees itself. */
	if (!atomic_read(&cx->runs))
		kfree(cx->hw_fence);
	kfree(cx);

	pr_info("    KTAP version 1\n");
	pr_info("    # Subtest: " CX_SUITE "\n");
	pr_info("    1..1\n");
	if (why) {
		pr_info("    # " CX_CASE ": %s\n", why);
		pr_info("    not ok 1 " CX_CASE "\n");
		pr_info("not ok 1 " CX_SUITE "\n");
	} else {
		pr_info("    ok 1 " CX_CASE "\n");
		pr_info("ok 1 " CX_SUITE "\n");
	}
	return 0;
}

static void __exit cx_exit(void)
{
}

module_init(cx_init);
module_exit(cx_exit);
MODULE_DESCRIPTION("gpu-sched-deps test: the in-tree GPU scheduler still runs jobs");
MODULE_LICENSE("GPL");
