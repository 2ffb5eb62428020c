/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The mock backend of the gpu-sched-deps KUnit suites: fake hardware whose
 * jobs complete either after a set duration (an hrtimer) or only when the
 * test advances the scheduler's timeline, plus "counting" fences whose
 * release is counted, so that tests can tell exactly when every reference
 * was dropped.
 *
 * Every suite uses mock_ctx_init/mock_ctx_exit as its init/exit hooks: the
 * context tracks all schedulers, entities, jobs and counting fences of a
 * case and tears them down at the end, even after a failed assertion.
 *
 * Checks made on the scheduler's behalf, counted as "violations":
 * - run_job: every dependency recorded with mock_job_add_dep() must be
 *   satisfied: signalled, or, for the finished fence of a job on the same
 *   scheduler, that job must be scheduled;
 * - the first run_job of a job comes before its scheduled fence signals, and
 *   when it signals, the hardware fence is already the parent;
 * - the finished fence of a job that never ran (a killed job) signals only
 *   after all its recorded dependencies did (their finished fences, for
 *   jobs on the same scheduler too);
 * - free_job is called at most once per job.
 */
#ifndef GSD_TEST_MOCK_SCHED_H
#define GSD_TEST_MOCK_SCHED_H

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/dma-fence.h>
#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/wait.h>

#include <drm/gpu_scheduler.h>
#include <gsd_compat.h>

/* The bound of every wait in the tests: generous, never a measurement. */
#define MOCK_WAIT		(10 * HZ)
/* Dependencies mock_job_add_dep() records for the ordering checks. */
#define MOCK_MAX_DEPS		8
/* Hardware fences preallocated per job (first run plus resubmissions). */
#define MOCK_MAX_RUNS		3

enum mock_tdr_mode {
	MOCK_TDR_NOP,		/* only count the call */
	MOCK_TDR_COMPLETE,	/* complete the job with -ETIMEDOUT */
	MOCK_TDR_RESET,		/* stop, karma, reset, resubmit, start */
	MOCK_TDR_OWN,		/* complete it, clean it up, keep it */
	MOCK_TDR_READD,		/* GPU busy: put it back on the pending list */
	MOCK_TDR_ALL_QUEUES,	/* after tdr_gate: reset every scheduler */
};

struct mock_fence_pool;

struct mock_ctx {
	struct kunit *test;
	spinlock_t lock;		/* protects the three lists */
	struct list_head scheds;
	struct list_head entities;
	struct list_head jobs;
	unsigned int next_job_id;
	unsigned int next_sched_id;
	struct mock_fence_pool *pool;
	atomic_t run_clock;		/* order of first run_job calls */
	atomic_t violations;
	spinlock_t log_lock;		/* protects the run log */
	unsigned int *log;		/* job ids in first-run order */
	unsigned int log_len, log_cap;
	struct mutex reset_lock;	/* MOCK_TDR_ALL_QUEUES, like v3d's */
};

struct mock_sched {
	struct drm_gpu_scheduler base;
	struct mock_ctx *ctx;
	struct list_head link;
	char name[24];
	bool stopped;			/* by mock_sched_stop() */
	bool draining;			/* teardown: jobs complete at once */
	bool gone;			/* mock_sched_fini_gone() */
	/* free_job poisons the job's &struct drm_sched_job, as a free would:
	 * only for cases that never look at it afterwards.
	 */
	bool poison_freed;

	spinlock_t lock;		/* hw_list, last_finish, seqno */
	spinlock_t fence_lock;		/* lock of the hardware fences */
	struct list_head hw_list;	/* mock_hw_fence, oldest first */
	u64 hw_context;
	u64 hw_seqno;
	ktime_t last_finish;
	struct hrtimer timer;

	atomic_t in_flight;		/* jobs on the hardware */
	atomic_t max_in_flight;
	atomic_t timedout_calls;
	atomic_t runs;			/* run_job calls */
	enum mock_tdr_mode tdr_mode;
	struct completion tdr_entered;	/* timedout_job was called */
	struct completion *tdr_gate;	/* MOCK_TDR_ALL_QUEUES waits for it */
	wait_queue_head_t event;	/* woken on run_job and timedout_job */
};

struct mock_entity {
	struct drm_sched_entity base;
	struct list_head link;
	struct drm_gpu_scheduler **sched_list;
	atomic_t guilty;
	bool live;
};

struct mock_job {
	struct drm_sched_job base;
	struct mock_ctx *ctx;
	struct mock_entity *entity;
	struct list_head link;
	unsigned int id;		/* unique in the case */
	unsigned int duration_us;	/* 0: completes only by advance */

	bool inited, armed, pushed, cleaned;
	bool driver_owned;		/* never freed by the scheduler */
	struct dma_fence *scheduled;	/* our references, after arm */
	struct dma_fence *finished;
	struct dma_fence_cb scheduled_cb;
	struct dma_fence_cb finished_cb;

	struct dma_fence *deps[MOCK_MAX_DEPS];	/* references */
	unsigned int ndeps;

	void *hw_prealloc[MOCK_MAX_RUNS];
	struct mock_sched *ran_on;	/* scheduler of the last run_job */
	bool returned_fence;		/* the first run returned a fence */
	atomic_t run_count;
	atomic_t skipped_runs;		/* run_job saw finished.error set */
	atomic_t timedout;
	atomic_t free_count;
	unsigned int run_seq;		/* position in the case's run order */
	struct dma_fence *op_dep;	/* for the dependency callback */
	struct dma_fence *op_dep2;	/* handed out after op_dep */
	atomic_t op_calls;		/* calls of the dependency callback */
	struct completion ran;		/* first run_job */
	struct completion hw_done;	/* hardware fence of a run signalled */
	struct completion freed;	/* free_job */
};

int mock_ctx_init(struct kunit *test);
void mock_ctx_exit(struct kunit *test);
/* Keep the ids of the first @cap jobs to run, in order (see ctx->log). */
void mock_log_enable(struct kunit *test, unsigned int cap);
unsigned int mock_log_len(struct kunit *test);
unsigned int mock_log_at(struct kunit *test, unsigned int i);
/* Whether @f is one of the dependencies @job holds right now. */
bool mock_job_holds_dep(struct mock_job *job, struct dma_fence *f);

struct mock_sched *mock_sched_create(struct kunit *test, u32 hw_limit,
				     unsigned int hang_limit, long timeout,
				     atomic_t *score);
/* The same, with a &drm_sched_backend_ops.dependency callback that hands
 * out mock_job.op_dep.
 */
struct mock_sched *mock_sched_create_dep_op(struct kunit *test, u32 hw_limit);
/* Complete the @n oldest jobs on the hardware, in order. */
unsigned int mock_sched_advance(struct mock_sched *ms, unsigned int n);
/* Complete every job on the hardware from the hrtimer (hard irq). */
void mock_sched_advance_irq(struct mock_sched *ms);
unsigned int mock_sched_hw_count(struct mock_sched *ms);
/* A hardware reset: what runs is lost, its fences signal with -EIO. */
void mock_sched_hw_reset(struct mock_sched *ms);
void mock_sched_stop(struct mock_sched *ms, struct drm_sched_job *bad);
void mock_sched_start(struct mock_sched *ms, bool full_recovery);
/* Driver-style recovery: stop, karma for @bad, reset, resubmit, start. */
void mock_sched_recover(struct mock_sched *ms, struct drm_sched_job *bad);
/* v3d's reset: stop every scheduler of the case with @bad, karma, reset,
 * resubmit and start them all, under one lock.
 */
void mock_reset_all_queues(struct mock_ctx *ctx, struct drm_sched_job *bad);
/* drm_sched_fini(), then poison the scheduler as if it had been freed; the
 * mock hardware (still usable) and the case no longer call into it.
 */
void mock_sched_fini_gone(struct mock_sched *ms);
bool mock_sched_wait_timedout(struct mock_sched *ms, unsigned int n);
bool mock_sched_wait_runs(struct mock_sched *ms, unsigned int n);

struct mock_entity *mock_entity_create(struct kunit *test,
				       enum drm_sched_priority prio,
				       struct mock_sched **scheds,
				       unsigned int n);
void mock_entity_destroy(struct mock_entity *me);
long mock_entity_flush(struct mock_entity *me, long timeout);
void mock_entity_fini(struct mock_entity *me);

struct mock_job *mock_job_create(struct kunit *test, struct mock_entity *me,
				 unsigned int duration_us);
/* For other threads than the case's: NULL on failure, no assertion. */
struct mock_job *mock_job_try_create(struct kunit *test,
				     struct mock_entity *me,
				     unsigned int duration_us);
/* Adds a dependency (the caller keeps its reference) and records it. */
int mock_job_add_dep(struct mock_job *job, struct dma_fence *fence);
/* Only records @fence for the ordering checks. */
void mock_job_record_dep(struct mock_job *job, struct dma_fence *fence);
void mock_job_arm(struct mock_job *job);
void mock_job_push(struct mock_job *job);
void mock_job_submit(struct mock_job *job);
void mock_job_cleanup(struct mock_job *job);
/* Drop the case's reference on the job's finished fence. */
void mock_job_drop_finished(struct mock_job *job);
bool mock_job_wait_ran(struct mock_job *job);
bool mock_job_wait_scheduled(struct mock_job *job);
bool mock_job_wait_finished(struct mock_job *job);
bool mock_job_wait_freed(struct mock_job *job);

static inline struct mock_job *to_mock_job(struct drm_sched_job *j)
{
	return container_of(j, struct mock_job, base);
}

static inline struct mock_sched *to_mock_sched(struct drm_gpu_scheduler *s)
{
	return container_of(s, struct mock_sched, base);
}

/* Counting fences: each allocation and each final release is counted. */
struct dma_fence *mock_fence_create(struct kunit *test);
struct dma_fence *mock_fence_create_ctx(struct kunit *test, u64 context,
					u64 seqno);
void mock_fence_signal(struct dma_fence *f, int error);
bool mock_fence_is_counting(struct dma_fence *f);
unsigned int mock_fences_created(struct kunit *test);
unsigned int mock_fences_released(struct kunit *test);
/* Wait until every counting fence created so far was released. */
bool mock_fences_wait_released(struct kunit *test);

unsigned int mock_violations(struct kunit *test);
/* Wait (MOCK_WAIT at most) until *@v >= @n. */
bool mock_wait_atomic(atomic_t *v, int n);

/* Reservation objects for the implicit-dependency tests. */
struct drm_gem_object;
struct drm_gem_object *mock_gem_create(struct kunit *test);
void mock_gem_add_fence(struct kunit *test, struct drm_gem_object *obj,
			struct dma_fence *fence, bool write);
void mock_gem_lock(struct drm_gem_object *obj);
void mock_gem_unlock(struct drm_gem_object *obj);

#endif /* GSD_TEST_MOCK_SCHED_H */
