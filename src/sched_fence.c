// SPDX-License-Identifier: GPL-2.0-only
/*
 * Scheduler fences: every job publishes a "scheduled" fence, signalled when
 * it is handed to the hardware, and a "finished" fence, signalled when it is
 * done.  Both live in one allocation; the finished fence holds a reference on
 * the scheduled one, and the memory goes back to the cache, after an RCU
 * grace period, when the scheduled fence is released.
 */
#include "sched_internal.h"

#include <linux/slab.h>

static struct kmem_cache *gsd_fence_cache;

int gsd_fence_cache_init(void)
{
	gsd_fence_cache = kmem_cache_create("gpu_sched_deps_fence",
					    sizeof(struct drm_sched_fence), 0,
					    SLAB_HWCACHE_ALIGN, NULL);
	return gsd_fence_cache ? 0 : -ENOMEM;
}

void gsd_fence_cache_fini(void)
{
	/* Fences released just before unload are still waiting for RCU. */
	rcu_barrier();
	kmem_cache_destroy(gsd_fence_cache);
}

static const char *gsd_fence_driver_name(struct dma_fence *f)
{
	return "gpu-sched-deps";
}

static const char *gsd_fence_timeline_name(struct dma_fence *f)
{
	struct drm_sched_fence *fence = to_drm_sched_fence(f);

	return fence->sched->name;
}

static void gsd_fence_free_rcu(struct rcu_head *rcu)
{
	struct dma_fence *f = container_of(rcu, struct dma_fence, rcu);
	struct drm_sched_fence *fence = to_drm_sched_fence(f);

	kmem_cache_free(gsd_fence_cache, fence);
}

static void gsd_fence_release_scheduled(struct dma_fence *f)
{
	struct drm_sched_fence *fence = to_drm_sched_fence(f);

	dma_fence_put(fence->parent);
	call_rcu(&f->rcu, gsd_fence_free_rcu);
}

static void gsd_fence_release_finished(struct dma_fence *f)
{
	struct drm_sched_fence *fence = to_drm_sched_fence(f);

	dma_fence_put(&fence->scheduled);
}

static const struct dma_fence_ops gsd_fence_ops_scheduled = {
	.get_driver_name = gsd_fence_driver_name,
	.get_timeline_name = gsd_fence_timeline_name,
	.release = gsd_fence_release_scheduled,
};

static const struct dma_fence_ops gsd_fence_ops_finished = {
	.get_driver_name = gsd_fence_driver_name,
	.get_timeline_name = gsd_fence_timeline_name,
	.release = gsd_fence_release_finished,
};

/**
 * to_drm_sched_fence - the scheduler fence a dma_fence belongs to
 * @f: any fence
 *
 * Return: the &struct drm_sched_fence @f is the scheduled or finished fence
 * of, or NULL if @f was not created by gpu-sched-deps (fences of the
 * kernel's own gpu-sched are foreign too).
 */
struct drm_sched_fence *to_drm_sched_fence(struct dma_fence *f)
{
	if (f->ops == &gsd_fence_ops_scheduled)
		return container_of(f, struct drm_sched_fence, scheduled);
	if (f->ops == &gsd_fence_ops_finished)
		return container_of(f, struct drm_sched_fence, finished);
	return NULL;
}
EXPORT_SYMBOL_NS_GPL(to_drm_sched_fence, GPU_SCHED_DEPS);

/* A zeroed fence pair: no seqno yet, nothing published. */
struct drm_sched_fence *gsd_fence_alloc(void *owner)
{
	struct drm_sched_fence *fence;

	if (gsd_fault_should_fail())
		return NULL;
	fence = kmem_cache_zalloc(gsd_fence_cache, GFP_KERNEL);
	if (!fence)
		return NULL;
	fence->owner = owner;
	spin_lock_init(&fence->lock);
	return fence;
}

/* Free a fence pair that drm_sched_job_arm() never initialised. */
void gsd_fence_free_unarmed(struct drm_sched_fence *fence)
{
	if (WARN_ON(fence->sched))
		return;
	kmem_cache_free(gsd_fence_cache, fence);
}

/* Give the pair the entity's next seqno: from here on it may be published. */
void gsd_fence_arm(struct drm_sched_fence *fence,
		   struct drm_sched_entity *entity,
		   struct drm_gpu_scheduler *sched)
{
	unsigned int seq = atomic_inc_return(&entity->fence_seq);

	fence->sched = sched;
	dma_fence_init(&fence->scheduled, &gsd_fence_ops_scheduled,
		       &fence->lock, entity->fence_context, seq);
	dma_fence_init(&fence->finished, &gsd_fence_ops_finished,
		       &fence->lock, entity->fence_context + 1, seq);
}

/*
 * The job reached the hardware.  @parent (a reference, may be NULL) is
 * stored first so that whoever wakes up on "scheduled" can rely on it.
 */
void gsd_fence_scheduled(struct drm_sched_fence *fence,
			 struct dma_fence *parent)
{
	fence->parent = parent;
	dma_fence_signal(&fence->scheduled);
}

void gsd_fence_finished(struct drm_sched_fence *fence, int result)
{
	if (result)
		dma_fence_set_error(&fence->finished, result);
	dma_fence_signal(&fence->finished);
}

/* Whether @fence is the scheduled or finished fence of one of @entity's jobs. */
bool gsd_fence_is_entity_own(struct drm_sched_entity *entity,
			     struct dma_fence *fence)
{
	return fence->context == entity->fence_context ||
	       fence->context == entity->fence_context + 1;
}
