// SPDX-License-Identifier: GPL-2.0-only
/*
 * Entities: per-client queues of jobs.  Jobs leave an entity in push order,
 * each once all its dependencies have signalled.  Killing an entity releases
 * its queued jobs with an error, but only after their dependencies signalled,
 * and always in process context.
 */
#include "sched_internal.h"

#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>

#include "gsd_trace.h"

static struct workqueue_struct *gsd_kill_wq;

int gsd_kill_wq_init(void)
{
	gsd_kill_wq = alloc_workqueue("gpu_sched_deps_kill", WQ_MEM_RECLAIM, 0);
	return gsd_kill_wq ? 0 : -ENOMEM;
}

void gsd_kill_wq_fini(void)
{
	destroy_workqueue(gsd_kill_wq);
}

/**
 * drm_sched_entity_init - set up an entity
 * @entity: the entity
 * @priority: priority of its run queue
 * @sched_list: schedulers the entity may run on; the array is not copied and
 *	must outlive the entity
 * @num_sched_list: number of schedulers in @sched_list (0: jobs cannot be
 *	initialised until drm_sched_entity_modify_sched() gives it some)
 * @guilty: set to 1 when a job of this entity is found guilty of a hang
 *
 * Return: 0, or -EINVAL for a missing entity, scheduler list or scheduler,
 * or an invalid priority.
 */
int drm_sched_entity_init(struct drm_sched_entity *entity,
			  enum drm_sched_priority priority,
			  struct drm_gpu_scheduler **sched_list,
			  unsigned int num_sched_list, atomic_t *guilty)
{
	if (!entity || (num_sched_list && (!sched_list || !sched_list[0])))
		return -EINVAL;
	if (priority < DRM_SCHED_PRIORITY_MIN ||
	    priority >= DRM_SCHED_PRIORITY_COUNT)
		return -EINVAL;

	memset(entity, 0, sizeof(*entity));
	INIT_LIST_HEAD(&entity->list);
	INIT_LIST_HEAD(&entity->job_queue);
	spin_lock_init(&entity->rq_lock);
	entity->priority = priority;
	entity->guilty = guilty;
	entity->num_sched_list = num_sched_list;
	entity->sched_list = num_sched_list > 1 ? sched_list : NULL;
	if (num_sched_list)
		entity->rq = &sched_list[0]->sched_rq[priority];
	RCU_INIT_POINTER(entity->last_scheduled, NULL);
	init_completion(&entity->entity_idle);
	complete_all(&entity->entity_idle);
	atomic_set(&entity->fence_seq, 0);
	entity->fence_context = dma_fence_context_alloc(2);
	return 0;
}
EXPORT_SYMBOL_NS_GPL(drm_sched_entity_init, GPU_SCHED_DEPS);

/**
 * drm_sched_entity_modify_sched - change the schedulers an entity may use
 * @entity: the entity
 * @sched_list: the new list; not copied, must outlive the entity
 * @num_sched_list: number of entries in @sched_list
 *
 * Takes effect the next time a job is armed while the entity is idle.  Must
 * be serialised with arming and pushing jobs to the entity.
 */
void drm_sched_entity_modify_sched(struct drm_sched_entity *entity,
				   struct drm_gpu_scheduler **sched_list,
				   unsigned int num_sched_list)
{
	if (WARN_ON(!sched_list || !num_sched_list))
		return;

	spin_lock(&entity->rq_lock);
	entity->sched_list = sched_list;
	entity->num_sched_list = num_sched_list;
	if (!entity->rq)
		entity->rq = &sched_list[0]->sched_rq[entity->priority];
	spin_unlock(&entity->rq_lock);
}
EXPORT_SYMBOL_NS_GPL(drm_sched_entity_modify_sched, GPU_SCHED_DEPS);

/**
 * drm_sched_entity_set_priority - change an entity's priority
 * @entity: the entity
 * @priority: the new priority
 *
 * Takes effect the next time a job is armed while the entity is idle.
 */
void drm_sched_entity_set_priority(struct drm_sched_entity *entity,
				   enum drm_sched_priority priority)
{
	if (WARN_ON(priority < DRM_SCHED_PRIORITY_MIN ||
		    priority >= DRM_SCHED_PRIORITY_COUNT))
		return;

	spin_lock(&entity->rq_lock);
	entity->priority = priority;
	spin_unlock(&entity->rq_lock);
}
EXPORT_SYMBOL_NS_GPL(drm_sched_entity_set_priority, GPU_SCHED_DEPS);

static bool gsd_fence_signaled_flag(struct dma_fence *f)
{
	return test_bit(DMA_FENCE_FLAG_SIGNALED_BIT, &f->flags);
}

/*
 * Called at arm time: an idle entity may move to another scheduler (the
 * least loaded of its list) or to the run queue of a new priority.  An
 * entity with queued or running jobs stays put, so its jobs run in order.
 */
void gsd_entity_select_rq(struct drm_sched_entity *entity)
{
	struct drm_gpu_scheduler *sched;
	struct dma_fence *last;
	bool busy;

	/* Nothing to choose: one scheduler and an unchanged priority. */
	if (!entity->sched_list &&
	    entity->rq == &entity->rq->sched->sched_rq[entity->priority])
		return;

	if (READ_ONCE(entity->job_count))
		return;

	rcu_read_lock();
	last = rcu_dereference(entity->last_scheduled);
	busy = last && !gsd_fence_signaled_flag(last);
	rcu_read_unlock();
	if (busy)
		return;

	spin_lock(&entity->rq_lock);
	if (entity->sched_list)
		sched = drm_sched_pick_best(entity->sched_list,
					    entity->num_sched_list);
	else
		sched = entity->rq->sched;
	if (sched) {
		struct drm_sched_rq *rq = &sched->sched_rq[entity->priority];

		if (rq != entity->rq) {
			gsd_rq_remove_entity(entity->rq, entity);
			entity->rq = rq;
		}
	}
	spin_unlock(&entity->rq_lock);
}

/* Wakes the scheduler when the dependency the head job waits for signals. */
static void gsd_entity_dependency_cb(struct dma_fence *f,
				     struct dma_fence_cb *cb)
{
	struct drm_sched_entity *entity =
		container_of(cb, struct drm_sched_entity, cb);

	gsd_sched_wakeup(READ_ONCE(entity->rq)->sched);
}

/*
 * Ready: a job is queued and the dependency the head job waited for, if any,
 * has signalled.  The fence's signalled bit is not enough: it is set before
 * the fence's callbacks run, and entity->cb must not be reused (for the next
 * dependency) while the signalling CPU still walks its callback list.  The
 * core unlinks each callback's node before calling it, so an empty node means
 * it is done with ours.
 */
bool gsd_entity_is_ready(struct drm_sched_entity *entity)
{
	if (!READ_ONCE(entity->job_count))
		return false;
	return !entity->dependency || list_empty(&entity->cb.node);
}

/*
 * Start waiting for @fence (a reference, handed over), the next dependency
 * of @job; @from_table says whether it came from the job's dependency table.
 * Returns true if the head job must wait, false if @fence is already
 * satisfied.
 */
static bool gsd_entity_wait_dependency(struct drm_sched_entity *entity,
				       struct drm_sched_job *job,
				       struct dma_fence *fence,
				       bool from_table)
{
	struct drm_gpu_scheduler *sched = entity->rq->sched;
	struct drm_sched_fence *s_fence;

	/* A dependency callback may hand us one of our own fences. */
	if (gsd_fence_is_entity_own(entity, fence)) {
		dma_fence_put(fence);
		return false;
	}

	/*
	 * One ring runs in order: waiting until the other job is scheduled
	 * suffices.  Its finished fence stays with the job in case the job is
	 * killed before it runs, also when the dependency callback handed it
	 * out; if there is no room for it without allocating, the job waits
	 * for it to finish instead.
	 */
	s_fence = to_drm_sched_fence(fence);
	if (s_fence && s_fence->sched == sched &&
	    fence == &s_fence->finished &&
	    !test_bit(DRM_SCHED_FENCE_DONT_PIPELINE, &fence->flags)) {
		struct dma_fence *scheduled = dma_fence_get(&s_fence->scheduled);

		if (from_table) {
			gsd_deps_keep_pipelined(&job->dependencies, fence);
			fence = scheduled;
		} else if (gsd_deps_try_keep_pipelined(&job->dependencies,
						       fence)) {
			fence = scheduled;
		} else {
			dma_fence_put(scheduled);
		}
	}

	entity->dependency = fence;
	if (!dma_fence_add_callback(fence, &entity->cb,
				    gsd_entity_dependency_cb))
		return true;

	entity->dependency = NULL;
	dma_fence_put(fence);
	return false;
}

static struct dma_fence *gsd_job_next_dependency(struct drm_sched_entity *entity,
						 struct drm_sched_job *job,
						 bool *from_table)
{
	struct dma_fence *f = gsd_deps_pop(&job->dependencies);

	*from_table = f;
	if (!f && job->sched->ops->dependency)
		f = job->sched->ops->dependency(job, entity);
	return f;
}

/*
 * Scheduler thread: take the head job off the entity if all its
 * dependencies signalled; otherwise start waiting for the next one and
 * return NULL.
 */
struct drm_sched_job *gsd_entity_pop_job(struct drm_sched_entity *entity)
{
	struct drm_sched_job *job;
	struct dma_fence *dep, *prev;
	bool from_table;

	spin_lock(&entity->rq_lock);
	job = list_first_entry_or_null(&entity->job_queue,
				       struct drm_sched_job, queue_node);
	spin_unlock(&entity->rq_lock);
	if (!job)
		return NULL;

	/* The dependency we were waiting for signalled: drop it. */
	if (entity->dependency) {
		dma_fence_put(entity->dependency);
		entity->dependency = NULL;
	}

	while ((dep = gsd_job_next_dependency(entity, job, &from_table))) {
		trace_gsd_job_wait_dep(job, dep);
		if (gsd_entity_wait_dependency(entity, job, dep, from_table))
			return NULL;
	}

	if (entity->guilty && atomic_read(entity->guilty))
		dma_fence_set_error(&job->s_fence->finished, -ECANCELED);

	prev = rcu_dereference_protected(entity->last_scheduled, true);
	rcu_assign_pointer(entity->last_scheduled,
			   dma_fence_get(&job->s_fence->finished));
	dma_fence_put(prev);

	spin_lock(&entity->rq_lock);
	list_del_init(&job->queue_node);
	entity->job_count--;
	spin_unlock(&entity->rq_lock);
	return job;
}

/* Killed jobs: wait for what the job waited for, then release it. */
static void gsd_job_kill_cb(struct dma_fence *f, struct dma_fence_cb *cb)
{
	struct drm_sched_job *job = container_of(cb, struct drm_sched_job, cb);

	job->kill_wait = NULL;
	dma_fence_put(f);
	queue_work(gsd_kill_wq, &job->kill_work);
}

static struct dma_fence *gsd_job_kill_next(struct drm_sched_job *job)
{
	struct dma_fence *f, *finished;
	struct drm_sched_fence *s_fence;

	for (;;) {
		f = job->kill_wait;
		job->kill_wait = NULL;
		if (!f) {
			f = job->kill_prev;
			job->kill_prev = NULL;
		}
		if (!f)
			f = gsd_deps_pop_for_kill(&job->dependencies);
		if (!f)
			return NULL;

		/* No pipelining here: a killed job outlives what it depended on. */
		s_fence = to_drm_sched_fence(f);
		if (!s_fence || f != &s_fence->scheduled)
			return f;

		/*
		 * Our reference is on the scheduled fence, which the finished
		 * one holds, not the reverse: the finished fence may be
		 * released already (count 0, its job gone), and then it
		 * signalled long ago or never will.  The memory stays until
		 * the scheduled fence goes, so a conditional get is safe.
		 */
		finished = dma_fence_get_rcu(&s_fence->finished);
		dma_fence_put(f);
		if (finished)
			return finished;
	}
}

static void gsd_job_kill_work(struct work_struct *work)
{
	struct drm_sched_job *job =
		container_of(work, struct drm_sched_job, kill_work);
	struct drm_gpu_scheduler *sched = job->sched;
	struct dma_fence *f;

	while ((f = gsd_job_kill_next(job))) {
		job->kill_wait = f;
		if (!dma_fence_add_callback(f, &job->cb, gsd_job_kill_cb))
			return;
		job->kill_wait = NULL;
		dma_fence_put(f);
	}

	gsd_fence_scheduled(job->s_fence, NULL);
	gsd_fence_finished(job->s_fence, -ESRCH);
	atomic_dec(sched->score);
	sched->ops->free_job(job);

	/* The last use of the scheduler: drm_sched_fini() waits for this. */
	spin_lock(&sched->job_list_lock);
	if (!--sched->kill_count)
		wake_up_all(&sched->job_scheduled);
	spin_unlock(&sched->job_list_lock);
}

/*
 * Release @job, which will never run.  Its finished fence signals (with
 * -ESRCH) once @waiting (the dependency the entity was waiting for, or
 * NULL), the previous job of the entity and all its dependencies have
 * signalled; then free_job is called from a workqueue.  @chain: make the
 * job the entity's last one, so that later killed jobs wait for it (not
 * once drm_sched_entity_fini() is done: nobody would drop the reference).
 */
static void gsd_job_kill(struct drm_sched_entity *entity,
			 struct drm_sched_job *job, struct dma_fence *waiting,
			 bool chain)
{
	struct drm_gpu_scheduler *sched = job->sched;
	struct dma_fence *prev;

	spin_lock(&sched->job_list_lock);
	sched->kill_count++;
	spin_unlock(&sched->job_list_lock);

	spin_lock(&entity->rq_lock);
	prev = rcu_dereference_protected(entity->last_scheduled, true);
	if (chain)
		rcu_assign_pointer(entity->last_scheduled,
				   dma_fence_get(&job->s_fence->finished));
	else
		dma_fence_get(prev);
	spin_unlock(&entity->rq_lock);

	/* These overlay job->list: a killed job never reached the hardware. */
	job->kill_wait = waiting;
	job->kill_prev = prev;
	gsd_deps_rewind(&job->dependencies);
	INIT_WORK(&job->kill_work, gsd_job_kill_work);
	queue_work(gsd_kill_wq, &job->kill_work);
}

/**
 * drm_sched_entity_push_job - submit a job to its entity
 * @sched_job: a job armed with drm_sched_job_arm()
 *
 * Queues the job behind the entity's earlier jobs.  From this point the job
 * belongs to the scheduler, which may run, complete and free it at any
 * moment; the caller must not touch it again nor clean it up.  A job pushed
 * to an entity that was killed is released with an error (-ESRCH on its
 * finished fence) after its dependencies signalled.
 */
void drm_sched_entity_push_job(struct drm_sched_job *sched_job)
{
	struct drm_sched_entity *entity = sched_job->entity;
	struct drm_gpu_scheduler *sched = sched_job->sched;
	bool first;

	trace_gsd_sched_job(sched_job, entity);
	atomic_inc(sched->score);
	WRITE_ONCE(entity->last_user, current->group_leader);

	spin_lock(&entity->rq_lock);
	if (entity->stopped) {
		spin_unlock(&entity->rq_lock);
		pr_err("job pushed to a killed entity, releasing it\n");
		gsd_job_kill(entity, sched_job, NULL, false);
		return;
	}
	first = list_empty(&entity->job_queue);
	list_add_tail(&sched_job->queue_node, &entity->job_queue);
	WRITE_ONCE(entity->job_count, entity->job_count + 1);
	if (first)
		gsd_rq_add_entity(entity->rq, entity);
	spin_unlock(&entity->rq_lock);

	/* sched_job may be gone already: only the scheduler is used below. */
	if (first)
		gsd_sched_wakeup(sched);
}
EXPORT_SYMBOL_NS_GPL(drm_sched_entity_push_job, GPU_SCHED_DEPS);

static bool gsd_entity_is_idle(struct drm_sched_entity *entity)
{
	bool idle;

	spin_lock(&entity->rq_lock);
	idle = list_empty(&entity->list) || !entity->job_count ||
	       entity->stopped;
	spin_unlock(&entity->rq_lock);
	return idle;
}

/**
 * drm_sched_entity_flush - wait for an entity's queue to drain
 * @entity: the entity
 * @timeout: how long to wait, in jiffies
 *
 * Waits until every job pushed to @entity has been handed to the hardware,
 * the entity is stopped, @timeout expires or the caller receives a fatal
 * signal.  When the process owning the entity is being killed, the entity is
 * stopped: its queued jobs will be released by drm_sched_entity_fini().
 *
 * Return: the remaining timeout.
 */
long drm_sched_entity_flush(struct drm_sched_entity *entity, long timeout)
{
	struct drm_gpu_scheduler *sched;
	struct task_struct *last_user;
	long ret = timeout;

	if (!entity->rq)
		return 0;
	sched = entity->rq->sched;

	if (current->flags & PF_EXITING) {
		if (timeout)
			ret = wait_event_timeout(sched->job_scheduled,
						 gsd_entity_is_idle(entity),
						 timeout);
	} else {
		ret = wait_event_killable_timeout(sched->job_scheduled,
						  gsd_entity_is_idle(entity),
						  timeout);
		if (ret < 0)
			ret = 0;
	}

	/* A killed client queues nothing more: stop the entity now. */
	last_user = cmpxchg(&entity->last_user, current->group_leader, NULL);
	if ((!last_user || last_user == current->group_leader) &&
	    (current->flags & PF_EXITING) && current->exit_code == SIGKILL) {
		spin_lock(&entity->rq_lock);
		entity->stopped = true;
		gsd_rq_remove_entity(entity->rq, entity);
		spin_unlock(&entity->rq_lock);
	}
	return ret;
}
EXPORT_SYMBOL_NS_GPL(drm_sched_entity_flush, GPU_SCHED_DEPS);

/**
 * drm_sched_entity_fini - tear an entity down
 * @entity: the entity
 *
 * Stops the entity and detaches it from its scheduler.  Jobs still queued
 * are not run: each is released with -ESRCH on its finished fence once its
 * dependencies (and the entity's previous jobs) signalled, and freed through
 * &drm_sched_backend_ops.free_job in process context.  Jobs of other
 * entities that depend on them therefore still run.  Safe to call after
 * drm_sched_entity_flush() and on an entity that was already killed.
 */
void drm_sched_entity_fini(struct drm_sched_entity *entity)
{
	struct drm_sched_job *job, *tmp;
	struct dma_fence *waiting, *last;
	LIST_HEAD(killed);

	spin_lock(&entity->rq_lock);
	entity->stopped = true;
	if (entity->rq)
		gsd_rq_remove_entity(entity->rq, entity);
	list_splice_init(&entity->job_queue, &killed);
	WRITE_ONCE(entity->job_count, 0);
	spin_unlock(&entity->rq_lock);

	/* The scheduler thread may still be popping a job of ours. */
	wait_for_completion(&entity->entity_idle);

	/*
	 * Take back the dependency the head job was waiting for.  Removing the
	 * callback serialises with it, as both run under the fence's lock.
	 */
	waiting = entity->dependency;
	entity->dependency = NULL;
	if (waiting)
		dma_fence_remove_callback(waiting, &entity->cb);

	list_for_each_entry_safe(job, tmp, &killed, queue_node) {
		list_del_init(&job->queue_node);
		gsd_job_kill(entity, job, waiting, true);
		waiting = NULL;
	}
	dma_fence_put(waiting);

	last = rcu_dereference_protected(entity->last_scheduled, true);
	RCU_INIT_POINTER(entity->last_scheduled, NULL);
	dma_fence_put(last);
}
EXPORT_SYMBOL_NS_GPL(drm_sched_entity_fini, GPU_SCHED_DEPS);

/**
 * drm_sched_entity_destroy - flush and tear down an entity
 * @entity: the entity
 *
 * drm_sched_entity_flush() with %MAX_WAIT_SCHED_ENTITY_Q_EMPTY, then
 * drm_sched_entity_fini().
 */
void drm_sched_entity_destroy(struct drm_sched_entity *entity)
{
	drm_sched_entity_flush(entity, MAX_WAIT_SCHED_ENTITY_Q_EMPTY);
	drm_sched_entity_fini(entity);
}
EXPORT_SYMBOL_NS_GPL(drm_sched_entity_destroy, GPU_SCHED_DEPS);
