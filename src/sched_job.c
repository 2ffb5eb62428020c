// SPDX-License-Identifier: GPL-2.0-only
/*
 * The life of a job: init (may fail, publishes nothing), add dependencies,
 * arm (cannot fail, creates the fences), push, and cleanup (before arm on an
 * error path, or from &drm_sched_backend_ops.free_job).
 */
#include "sched_internal.h"

#include <linux/string.h>

/**
 * drm_sched_job_init - prepare a job for an entity
 * @job: the job; its &struct drm_sched_job part is reset here, so drivers
 *	must set scheduler fields only after this call
 * @entity: entity the job will be pushed to
 * @owner: owner recorded in the job's fences, for debugging
 *
 * Allocates the job's fences but does not initialise them: nothing can be
 * published before drm_sched_job_arm().  Once this succeeded,
 * drm_sched_job_cleanup() must eventually be called, even if the job is
 * abandoned before it is armed.  The run queue is chosen at arm time.
 *
 * Return: 0, -ENOENT if the entity has no scheduler, or -ENOMEM.
 */
int drm_sched_job_init(struct drm_sched_job *job,
		       struct drm_sched_entity *entity, void *owner)
{
	if (!entity->rq)
		return -ENOENT;

	memset(job, 0, sizeof(*job));
	job->entity = entity;
	job->s_fence = gsd_fence_alloc(owner);
	if (!job->s_fence)
		return -ENOMEM;

	INIT_LIST_HEAD(&job->queue_node);
	INIT_LIST_HEAD(&job->list);
	gsd_deps_init(&job->dependencies);
	return 0;
}
EXPORT_SYMBOL_NS_GPL(drm_sched_job_init, GPU_SCHED_DEPS);

/**
 * drm_sched_job_arm - commit a job to run
 * @job: a job initialised with drm_sched_job_init()
 *
 * Chooses the scheduler, assigns the job its id and initialises its
 * scheduled and finished fences with the entity's next seqno.  From here on
 * &drm_sched_fence.finished may be published (in a reservation object, a
 * syncobj or a sync_file) and the job must be pushed with
 * drm_sched_entity_push_job().  Dependencies may still be added until then.
 *
 * Arming and pushing must happen under one driver lock per entity, so that
 * seqno order equals queue order.  Cannot fail.
 */
void drm_sched_job_arm(struct drm_sched_job *job)
{
	struct drm_sched_entity *entity = job->entity;
	struct drm_gpu_scheduler *sched;

	if (WARN_ON(!entity))
		return;
	gsd_entity_select_rq(entity);
	sched = entity->rq->sched;

	job->sched = sched;
	job->s_priority = entity->rq - sched->sched_rq;
	job->id = atomic64_inc_return(&sched->job_id_count);
	gsd_fence_arm(job->s_fence, entity, sched);
}
EXPORT_SYMBOL_NS_GPL(drm_sched_job_arm, GPU_SCHED_DEPS);

/**
 * drm_sched_job_cleanup - release a job's scheduler resources
 * @job: the job
 *
 * Call it from &drm_sched_backend_ops.free_job for a pushed job, or on an
 * error path for a job that was initialised but not pushed (armed or not).
 * Drops the job's reference on its finished fence (or frees the fences of a
 * job that was never armed) and every dependency it still holds.  A second
 * call is harmless.  Called from &drm_sched_backend_ops.timedout_job on the
 * timed-out job, it tells the scheduler that the driver keeps and frees that
 * job itself.  A pushed job belongs to the scheduler: the submit path
 * must never clean it up.
 */
void drm_sched_job_cleanup(struct drm_sched_job *job)
{
	struct drm_sched_fence *s_fence = job->s_fence;

	/*
	 * The timeout handler's job: the driver keeps it, the scheduler must
	 * not put it back on the pending list.  Only then is the scheduler
	 * touched: a job left to the driver may outlive it.
	 */
	if (READ_ONCE(job->in_timeout)) {
		struct drm_gpu_scheduler *sched = job->sched;

		spin_lock(&sched->job_list_lock);
		if (sched->tdr_job == job)
			sched->tdr_job = NULL;
		job->in_timeout = false;
		spin_unlock(&sched->job_list_lock);
	}

	if (s_fence) {
		if (kref_read(&s_fence->finished.refcount))
			dma_fence_put(&s_fence->finished);
		else
			gsd_fence_free_unarmed(s_fence);
		job->s_fence = NULL;
	}
	gsd_deps_release(&job->dependencies);
}
EXPORT_SYMBOL_NS_GPL(drm_sched_job_cleanup, GPU_SCHED_DEPS);
