/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * gpu-sched-deps: the DRM GPU scheduler API with dependency tracking, as
 * Linux 5.16 defines it, for kernels that do not have it.
 *
 * This header replaces <drm/gpu_scheduler.h> for code built against
 * gpu-sched-deps.ko: the build puts include/ ahead of the kernel's own
 * headers.  Names, signatures and semantics follow upstream 5.16; the
 * exported symbols are renamed (see gpu_sched_deps_symbols.h) so that the
 * module and the kernel's gpu-sched.ko can be loaded side by side.
 */
#ifndef GPU_SCHED_DEPS_GPU_SCHEDULER_H
#define GPU_SCHED_DEPS_GPU_SCHEDULER_H

/* Keep the kernel's own scheduler header out of any unit including ours. */
#define _DRM_GPU_SCHEDULER_H_

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/dma-fence.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include <drm/gpu_sched_deps_symbols.h>
#include <gsd_compat.h>

/* Users of this header import the namespace of its exports. */
#ifndef GPU_SCHED_DEPS_CORE
GSD_MODULE_IMPORT_NS();
#endif

#define MAX_WAIT_SCHED_ENTITY_Q_EMPTY msecs_to_jiffies(1000)

/*
 * Set on a scheduler fence to make a job of the same scheduler wait for the
 * fence itself instead of only its scheduled fence (a 6.1 addition).
 */
#define DRM_SCHED_FENCE_DONT_PIPELINE	DMA_FENCE_FLAG_USER_BITS

struct drm_gem_object;
struct drm_file;
struct task_struct;
struct drm_gpu_scheduler;
struct drm_sched_rq;

/**
 * enum drm_sched_priority - priority of an entity's run queue
 * @DRM_SCHED_PRIORITY_MIN: lowest priority
 * @DRM_SCHED_PRIORITY_NORMAL: what drivers use by default
 * @DRM_SCHED_PRIORITY_HIGH: served before normal entities
 * @DRM_SCHED_PRIORITY_KERNEL: kernel-internal jobs, served first
 * @DRM_SCHED_PRIORITY_COUNT: number of run queues per scheduler
 * @DRM_SCHED_PRIORITY_UNSET: no priority set
 */
enum drm_sched_priority {
	DRM_SCHED_PRIORITY_MIN,
	DRM_SCHED_PRIORITY_NORMAL,
	DRM_SCHED_PRIORITY_HIGH,
	DRM_SCHED_PRIORITY_KERNEL,

	DRM_SCHED_PRIORITY_COUNT,
	DRM_SCHED_PRIORITY_UNSET = -2
};

/**
 * struct drm_sched_entity - a queue of jobs feeding one scheduler
 * @list: link in the run queue's list of entities
 * @rq: run queue the entity is currently attached to
 * @sched_list: schedulers the entity may be moved between (caller's array,
 *	not copied); NULL once the choice is fixed
 * @num_sched_list: number of entries in @sched_list
 * @priority: priority of the entity
 * @rq_lock: protects @rq, @stopped and @job_queue
 * @job_queue: jobs pushed but not yet taken by the scheduler
 * @job_count: number of jobs in @job_queue
 * @fence_seq: seqno of the last armed job
 * @fence_context: context of the scheduled fences; finished fences use
 *	@fence_context + 1
 * @dependency: the fence the head job is currently waiting for
 * @cb: callback on @dependency
 * @guilty: set when a job of this entity caused a hang
 * @last_scheduled: finished fence of the last job handed to the hardware
 * @last_user: group leader of the last task that pushed a job
 * @stopped: the entity was killed; pushes are refused
 * @entity_idle: completed whenever the scheduler thread is not using the
 *	entity
 *
 * Drivers embed this structure and set it up with drm_sched_entity_init().
 */
struct drm_sched_entity {
	struct list_head		list;
	struct drm_sched_rq		*rq;
	struct drm_gpu_scheduler	**sched_list;
	unsigned int			num_sched_list;
	enum drm_sched_priority		priority;
	spinlock_t			rq_lock;	/* see above */
	struct list_head		job_queue;
	unsigned int			job_count;
	atomic_t			fence_seq;
	u64				fence_context;
	struct dma_fence		*dependency;
	struct dma_fence_cb		cb;
	atomic_t			*guilty;
	struct dma_fence __rcu		*last_scheduled;
	struct task_struct		*last_user;
	bool				stopped;
	struct completion		entity_idle;
};

/**
 * struct drm_sched_rq - run queue of one priority on one scheduler
 * @lock: protects @entities and @current_entity
 * @sched: scheduler the run queue belongs to
 * @entities: entities attached to this run queue
 * @current_entity: entity served last, for round-robin selection
 */
struct drm_sched_rq {
	spinlock_t			lock;	/* see above */
	struct drm_gpu_scheduler	*sched;
	struct list_head		entities;
	struct drm_sched_entity		*current_entity;
};

/**
 * struct drm_sched_fence - the fences the scheduler publishes for a job
 * @scheduled: signalled when the job is handed to the hardware
 * @finished: signalled when the job completed (or was cancelled)
 * @parent: hardware fence returned by &drm_sched_backend_ops.run_job
 * @sched: scheduler the job runs on, set at arm time
 * @lock: lock of both fences
 * @owner: owner given to drm_sched_job_init(), for debugging
 */
struct drm_sched_fence {
	struct dma_fence		scheduled;
	struct dma_fence		finished;
	struct dma_fence		*parent;
	struct drm_gpu_scheduler	*sched;
	spinlock_t			lock;	/* see above */
	void				*owner;
};

struct drm_sched_fence *to_drm_sched_fence(struct dma_fence *f);

/**
 * struct drm_sched_job_deps - the fences a job waits for before it runs
 * @slots: open-addressed table of fences keyed by fence context; points at
 *	@inline_slots until the job has more dependencies than fit there
 * @inline_slots: storage for the first few dependencies, no allocation
 * @size: number of entries in @slots (a power of two)
 * @count: number of fences stored
 * @cursor: next slot the scheduler looks at when consuming dependencies
 *
 * Private to gpu-sched-deps: use drm_sched_job_add_dependency() and friends.
 * At most one fence per context is stored, and finding it costs O(1).
 */
struct drm_sched_job_deps {
	struct dma_fence		**slots;
	struct dma_fence		*inline_slots[4];
	unsigned int			size;
	unsigned int			count;
	unsigned int			cursor;
};

/**
 * struct drm_sched_job - a job to be run by a scheduler
 * @queue_node: link in the entity's job queue
 * @list: link in the scheduler's pending list, once the job runs
 * @sched: scheduler the job runs on, set by drm_sched_job_arm()
 * @s_fence: the job's scheduled/finished fences
 * @id: unique id of the job on its scheduler, set at arm time
 * @karma: number of hangs this job was involved in
 * @s_priority: priority of the job, set at arm time
 * @entity: entity the job was initialised for
 * @cb: callback on the hardware fence, or on a dependency while the job is
 *	being killed
 * @dependencies: fences the job waits for before it runs
 * @kill_wait: fence a killed job waits for before it is released (a killed
 *	job never runs: it shares the storage of @list)
 * @kill_prev: finished fence of the job killed before this one (likewise)
 * @kill_work: releases a killed job in process context
 * @in_timeout: the timeout handler took the job off the pending list and
 *	neither drm_sched_stop() nor drm_sched_job_cleanup() took it over yet
 */
struct drm_sched_job {
	struct list_head		queue_node;
	union {
		struct list_head	list;
		struct {
			struct dma_fence	*kill_wait;
			struct dma_fence	*kill_prev;
		};
	};
	struct drm_gpu_scheduler	*sched;
	struct drm_sched_fence		*s_fence;
	u64				id;
	atomic_t			karma;
	enum drm_sched_priority		s_priority;
	struct drm_sched_entity		*entity;
	struct dma_fence_cb		cb;
	struct drm_sched_job_deps	dependencies;
	struct work_struct		kill_work;
	bool				in_timeout;
};

/**
 * drm_sched_invalidate_job - count a hang against a job
 * @s_job: the job, may be NULL
 * @threshold: hang limit
 *
 * Return: true if the job's karma now exceeds @threshold.
 */
static inline bool drm_sched_invalidate_job(struct drm_sched_job *s_job,
					    int threshold)
{
	return s_job && atomic_inc_return(&s_job->karma) > threshold;
}

/**
 * enum drm_gpu_sched_stat - what &drm_sched_backend_ops.timedout_job did
 * @DRM_GPU_SCHED_STAT_NONE: reserved, do not use
 * @DRM_GPU_SCHED_STAT_NOMINAL: the timeout was handled, keep the timer
 * @DRM_GPU_SCHED_STAT_ENODEV: the device is gone, do not re-arm the timer
 */
enum drm_gpu_sched_stat {
	DRM_GPU_SCHED_STAT_NONE,
	DRM_GPU_SCHED_STAT_NOMINAL,
	DRM_GPU_SCHED_STAT_ENODEV,
};

/**
 * struct drm_sched_backend_ops - what a driver implements
 * @dependency: optional; called once all dependencies added with
 *	drm_sched_job_add_dependency() have signalled, until it returns NULL.
 *	Returns a fence reference the job must wait for.  Must not allocate.
 *	Not called for jobs killed with their entity.
 * @run_job: hand the job to the hardware; returns the hardware fence (a new
 *	reference), NULL or an ERR_PTR
 * @timedout_job: the job ran longer than the scheduler's timeout.  The job
 *	is off the pending list while this runs, so that no drm_sched_stop()
 *	(of any scheduler) and no scheduler thread frees it.  Passing it as the
 *	bad job to drm_sched_stop() gives it back to the scheduler; calling
 *	drm_sched_job_cleanup() on it means the driver keeps and frees it
 *	itself; otherwise (the driver found the GPU still busy and did not stop
 *	the scheduler) it goes back to the head of the pending list when this
 *	returns, unless the driver already put it back there itself
 * @free_job: the job is done; must call drm_sched_job_cleanup()
 */
struct drm_sched_backend_ops {
	struct dma_fence *(*dependency)(struct drm_sched_job *sched_job,
					struct drm_sched_entity *s_entity);
	struct dma_fence *(*run_job)(struct drm_sched_job *sched_job);
	enum drm_gpu_sched_stat (*timedout_job)(struct drm_sched_job *sched_job);
	void (*free_job)(struct drm_sched_job *sched_job);
};

/**
 * struct drm_gpu_scheduler - one hardware ring and the thread feeding it
 * @ops: the driver's backend operations
 * @hw_submission_limit: maximum number of jobs on the hardware at once
 * @timeout: time a job may run before &drm_sched_backend_ops.timedout_job
 *	is called, in jiffies (MAX_SCHEDULE_TIMEOUT: never)
 * @name: name of the scheduler thread and of the fence timeline
 * @sched_rq: one run queue per priority
 * @wake_up_worker: the scheduler thread sleeps here
 * @job_scheduled: woken whenever a job left an entity's queue
 * @hw_rq_count: jobs currently on the hardware
 * @job_id_count: source of job ids
 * @timeout_wq: workqueue of the timeout handler (system_wq if NULL)
 * @work_tdr: the timeout handler
 * @thread: the scheduler thread
 * @pending_list: jobs handed to the hardware and not yet freed, in order
 * @job_list_lock: protects @pending_list
 * @hang_limit: a job hanging more often than this is guilty
 * @score: load of the scheduler, used by drm_sched_pick_best()
 * @_score: the score used when the driver passed none
 * @ready: the scheduler is initialised
 * @free_guilty: the timeout handler must free the guilty job
 * @tdr_job: the job the timeout handler took off @pending_list, while the
 *	scheduler may still put it back there: until drm_sched_stop() with it
 *	as the bad job re-inserted it or drm_sched_job_cleanup() was called on
 *	it (the driver took it over)
 * @tdr_off: drm_sched_fini() started: the timeout is not armed again
 * @stopped: between drm_sched_stop() and drm_sched_start(); under
 *	@job_list_lock
 * @kill_count: killed jobs of this scheduler not freed yet; under
 *	@job_list_lock
 */
struct drm_gpu_scheduler {
	const struct drm_sched_backend_ops	*ops;
	u32				hw_submission_limit;
	long				timeout;
	const char			*name;
	struct drm_sched_rq		sched_rq[DRM_SCHED_PRIORITY_COUNT];
	wait_queue_head_t		wake_up_worker;
	wait_queue_head_t		job_scheduled;
	atomic_t			hw_rq_count;
	atomic64_t			job_id_count;
	struct workqueue_struct		*timeout_wq;
	struct delayed_work		work_tdr;
	struct task_struct		*thread;
	struct list_head		pending_list;
	spinlock_t			job_list_lock;	/* see above */
	int				hang_limit;
	atomic_t			*score;
	atomic_t			_score;
	bool				ready;
	bool				free_guilty;
	bool				tdr_off;
	bool				stopped;
	struct drm_sched_job		*tdr_job;
	unsigned int			kill_count;
};

int drm_sched_init(struct drm_gpu_scheduler *sched,
		   const struct drm_sched_backend_ops *ops,
		   u32 hw_submission, unsigned int hang_limit, long timeout,
		   struct workqueue_struct *timeout_wq, atomic_t *score,
		   const char *name);
void drm_sched_fini(struct drm_gpu_scheduler *sched);

int drm_sched_job_init(struct drm_sched_job *job,
		       struct drm_sched_entity *entity, void *owner);
void drm_sched_job_arm(struct drm_sched_job *job);
int drm_sched_job_add_dependency(struct drm_sched_job *job,
				 struct dma_fence *fence);
int drm_sched_job_add_implicit_dependencies(struct drm_sched_job *job,
					    struct drm_gem_object *obj,
					    bool write);
int drm_sched_job_add_syncobj_dependency(struct drm_sched_job *job,
					 struct drm_file *file, u32 handle,
					 u32 point);
void drm_sched_job_cleanup(struct drm_sched_job *job);

bool drm_sched_dependency_optimized(struct dma_fence *fence,
				    struct drm_sched_entity *entity);
void drm_sched_fault(struct drm_gpu_scheduler *sched);
unsigned long drm_sched_suspend_timeout(struct drm_gpu_scheduler *sched);
void drm_sched_resume_timeout(struct drm_gpu_scheduler *sched,
			      unsigned long remaining);
void drm_sched_stop(struct drm_gpu_scheduler *sched, struct drm_sched_job *bad);
void drm_sched_start(struct drm_gpu_scheduler *sched, bool full_recovery);
void drm_sched_resubmit_jobs(struct drm_gpu_scheduler *sched);
void drm_sched_resubmit_jobs_ext(struct drm_gpu_scheduler *sched, int max);
void drm_sched_increase_karma(struct drm_sched_job *bad);
void drm_sched_reset_karma(struct drm_sched_job *bad);
void drm_sched_increase_karma_ext(struct drm_sched_job *bad, int type);
struct drm_gpu_scheduler *
drm_sched_pick_best(struct drm_gpu_scheduler **sched_list,
		    unsigned int num_sched_list);

int drm_sched_entity_init(struct drm_sched_entity *entity,
			  enum drm_sched_priority priority,
			  struct drm_gpu_scheduler **sched_list,
			  unsigned int num_sched_list, atomic_t *guilty);
long drm_sched_entity_flush(struct drm_sched_entity *entity, long timeout);
void drm_sched_entity_fini(struct drm_sched_entity *entity);
void drm_sched_entity_destroy(struct drm_sched_entity *entity);
void drm_sched_entity_push_job(struct drm_sched_job *sched_job);
void drm_sched_entity_set_priority(struct drm_sched_entity *entity,
				   enum drm_sched_priority priority);
void drm_sched_entity_modify_sched(struct drm_sched_entity *entity,
				   struct drm_gpu_scheduler **sched_list,
				   unsigned int num_sched_list);

#endif /* GPU_SCHED_DEPS_GPU_SCHEDULER_H */
