// SPDX-License-Identifier: GPL-2.0-only
/*
 * Job dependencies.
 *
 * A job keeps at most one fence per fence context: the latest one, since a
 * later fence of a context signals after every earlier one.  The fences live
 * in a small open-addressed hash table keyed by context, so adding a
 * dependency costs O(1) amortised however many the job already has (a scan
 * of the stored fences would make a job with n buffer objects cost O(n^2)).
 * The first few fit in the job itself and need no allocation at all.
 *
 * Once the job is pushed, only the scheduler consumes the table; adding
 * dependencies after drm_sched_entity_push_job() is not allowed.
 */
#include "sched_internal.h"

#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/dma-resv.h>
#include <drm/drm_gem.h>
#include <drm/drm_syncobj.h>

/* Largest table we let a job grow: 2^24 slots, 12M dependencies. */
#define GSD_DEPS_MAX_SIZE	BIT(24)

/*
 * A dependency on another job of the same scheduler is satisfied for running
 * once that job is scheduled, but a job that gets killed must still wait for
 * it to finish.  Such a fence stays in its slot, tagged in the pointer's low
 * bit, until the job is freed; gsd_deps_pop() skips it.
 */
#define GSD_DEP_PIPELINED	1UL

static struct dma_fence *gsd_dep_fence(struct dma_fence *entry)
{
	return (struct dma_fence *)((unsigned long)entry & ~GSD_DEP_PIPELINED);
}

static bool gsd_dep_pipelined(struct dma_fence *entry)
{
	return (unsigned long)entry & GSD_DEP_PIPELINED;
}

void gsd_deps_init(struct drm_sched_job_deps *deps)
{
	memset(deps, 0, sizeof(*deps));
	deps->slots = deps->inline_slots;
	deps->size = ARRAY_SIZE(deps->inline_slots);
}

/* The slot holding @context's fence, or the empty slot it would go to. */
static unsigned int gsd_deps_slot(struct dma_fence **slots, unsigned int size,
				  u64 context)
{
	unsigned int mask = size - 1;
	unsigned int i = hash_64(context, ilog2(size));

	while (slots[i] && gsd_dep_fence(slots[i])->context != context)
		i = (i + 1) & mask;
	return i;
}

/* Keep the load factor at or below 3/4, so probes stay short and end. */
static bool gsd_deps_full(const struct drm_sched_job_deps *deps)
{
	return (deps->count + 1) * 4 > deps->size * 3;
}

/* Move the table to @size slots (a larger power of two). */
static int gsd_deps_resize(struct drm_sched_job_deps *deps, unsigned int size)
{
	struct dma_fence **slots;
	unsigned int i;

	if (gsd_fault_should_fail())
		return -ENOMEM;
	slots = kvcalloc(size, sizeof(*slots), GFP_KERNEL);
	if (!slots)
		return -ENOMEM;

	for (i = 0; i < deps->size; i++) {
		struct dma_fence *f = deps->slots[i];

		if (f)
			slots[gsd_deps_slot(slots, size,
					    gsd_dep_fence(f)->context)] = f;
	}
	if (deps->slots != deps->inline_slots)
		kvfree(deps->slots);
	deps->slots = slots;
	deps->size = size;
	return 0;
}

/*
 * Make room for @n more fences at once, so that adding them allocates at
 * most one table and never a temporary one.
 */
static int gsd_deps_reserve(struct drm_sched_job_deps *deps, unsigned int n)
{
	u64 want = (u64)deps->count + n;
	unsigned int size = deps->size;

	while (want * 4 > (u64)size * 3) {
		if (size >= GSD_DEPS_MAX_SIZE)
			return -E2BIG;
		size *= 2;
	}
	return size == deps->size ? 0 : gsd_deps_resize(deps, size);
}

/*
 * Take the next dependency out of the table, handing its reference to the
 * caller.  Only the scheduler calls this, after the job was pushed, so the
 * table no longer changes underneath.
 */
struct dma_fence *gsd_deps_pop(struct drm_sched_job_deps *deps)
{
	while (deps->cursor < deps->size) {
		struct dma_fence *f = deps->slots[deps->cursor++];

		if (f && !gsd_dep_pipelined(f)) {
			deps->slots[deps->cursor - 1] = NULL;
			deps->count--;
			return f;
		}
	}
	return NULL;
}

/*
 * Put back @f, the fence gsd_deps_pop() just returned, as satisfied for
 * running (see GSD_DEP_PIPELINED).  Its slot is still free.
 */
void gsd_deps_keep_pipelined(struct drm_sched_job_deps *deps,
			     struct dma_fence *f)
{
	deps->slots[deps->cursor - 1] =
		(struct dma_fence *)((unsigned long)f | GSD_DEP_PIPELINED);
	deps->count++;
}

/*
 * Keep @f, a fence the dependency callback handed out, as satisfied for
 * running, so that the job waits for it if it is killed.  The scheduler
 * thread must not allocate: without a free slot this fails and @f stays
 * the caller's.  Of two fences of one context the later is kept (the other
 * is dropped, possibly @f).
 */
bool gsd_deps_try_keep_pipelined(struct drm_sched_job_deps *deps,
				 struct dma_fence *f)
{
	unsigned int i = gsd_deps_slot(deps->slots, deps->size, f->context);
	struct dma_fence *old = deps->slots[i];

	if (old) {
		struct dma_fence *prev = gsd_dep_fence(old);

		if (dma_fence_is_later(f, prev)) {
			deps->slots[i] = (struct dma_fence *)
				((unsigned long)f | GSD_DEP_PIPELINED);
			dma_fence_put(prev);
		} else {
			dma_fence_put(f);
		}
		return true;
	}
	if (gsd_deps_full(deps))
		return false;
	deps->slots[i] = (struct dma_fence *)((unsigned long)f |
					      GSD_DEP_PIPELINED);
	deps->count++;
	return true;
}

/*
 * For a job that is killed: every dependency still held, the pipelined ones
 * included.  gsd_job_kill() rewinds the cursor once with gsd_deps_rewind().
 */
struct dma_fence *gsd_deps_pop_for_kill(struct drm_sched_job_deps *deps)
{
	while (deps->count && deps->cursor < deps->size) {
		struct dma_fence *f = deps->slots[deps->cursor++];

		if (f) {
			deps->slots[deps->cursor - 1] = NULL;
			deps->count--;
			return gsd_dep_fence(f);
		}
	}
	return NULL;
}

void gsd_deps_rewind(struct drm_sched_job_deps *deps)
{
	deps->cursor = 0;
}

/* Drop every dependency still held and free the table. */
void gsd_deps_release(struct drm_sched_job_deps *deps)
{
	unsigned int i;

	for (i = 0; deps->count && i < deps->size; i++) {
		if (deps->slots[i]) {
			dma_fence_put(gsd_dep_fence(deps->slots[i]));
			deps->count--;
		}
	}
	if (deps->slots != deps->inline_slots)
		kvfree(deps->slots);
	gsd_deps_init(deps);
}

/**
 * drm_sched_job_add_dependency - make a job wait for a fence
 * @job: scheduler job, initialised with drm_sched_job_init() and not yet
 *	pushed
 * @fence: the fence; the caller's reference is handed over
 *
 * The reference on @fence is consumed in every case: when it is stored,
 * when it is dropped as redundant, and on error.  A NULL @fence is a no-op.
 *
 * Of several fences of one context only the latest is kept.  Fences of the
 * job's own entity are not stored at all: the entity runs its jobs in order
 * anyway.  A fence of another job on the same scheduler is later waited for
 * only until that job is scheduled, since one ring executes in order (unless
 * the fence has %DRM_SCHED_FENCE_DONT_PIPELINE set).
 *
 * May allocate with GFP_KERNEL: call it from process context, outside any
 * fence-signalling critical section.
 *
 * Return: 0, or -ENOMEM (or -E2BIG) if the fence could not be stored.
 */
int drm_sched_job_add_dependency(struct drm_sched_job *job,
				 struct dma_fence *fence)
{
	struct drm_sched_job_deps *deps = &job->dependencies;
	struct dma_fence *old;
	unsigned int i;
	int ret;

	if (!fence)
		return 0;

	if (gsd_fence_is_entity_own(job->entity, fence)) {
		dma_fence_put(fence);
		return 0;
	}

	i = gsd_deps_slot(deps->slots, deps->size, fence->context);
	old = deps->slots[i];
	if (old) {
		if (dma_fence_is_later(fence, old)) {
			deps->slots[i] = fence;
			dma_fence_put(old);
		} else {
			dma_fence_put(fence);
		}
		return 0;
	}

	if (gsd_deps_full(deps)) {
		ret = gsd_deps_reserve(deps, 1);
		if (ret) {
			dma_fence_put(fence);
			return ret;
		}
		i = gsd_deps_slot(deps->slots, deps->size, fence->context);
	}
	deps->slots[i] = fence;
	deps->count++;
	return 0;
}
EXPORT_SYMBOL_NS_GPL(drm_sched_job_add_dependency, GPU_SCHED_DEPS);

/**
 * drm_sched_job_add_implicit_dependencies - wait for a buffer's fences
 * @job: scheduler job, initialised and not yet pushed
 * @obj: GEM object whose reservation object holds the implicit fences
 * @write: whether the job writes the object
 *
 * A job writing @obj waits for every fence on it; a job only reading it
 * waits for the fences of writers (and of the kernel).  The reservation
 * lock of @obj must be held, and must stay held until the job's own fence
 * has been added to it.  The fences are walked in place under that lock and
 * a reference is taken on each before it is handed to
 * drm_sched_job_add_dependency(); nothing is allocated besides the job's
 * dependency table, which grows at most once per call.
 *
 * Return: 0, or the error of drm_sched_job_add_dependency().  After an error
 * the object's fences keep the reference counts they had.
 */
int drm_sched_job_add_implicit_dependencies(struct drm_sched_job *job,
					    struct drm_gem_object *obj,
					    bool write)
{
	struct gsd_resv_walk walk;
	struct dma_fence *fence;
	unsigned int n = 0;
	int ret;

	dma_resv_assert_held(obj->resv);

	/* Size the table once: no temporary tables while adding. */
	gsd_resv_for_each_wait_fence(&walk, obj->resv, write, fence)
		n++;
	ret = gsd_deps_reserve(&job->dependencies, n);
	if (ret)
		return ret;

	gsd_resv_for_each_wait_fence(&walk, obj->resv, write, fence) {
		ret = drm_sched_job_add_dependency(job, dma_fence_get(fence));
		if (ret)
			return ret;
	}
	return 0;
}
EXPORT_SYMBOL_NS_GPL(drm_sched_job_add_implicit_dependencies, GPU_SCHED_DEPS);

/**
 * drm_sched_job_add_syncobj_dependency - wait for a syncobj's fence
 * @job: scheduler job, initialised and not yet pushed
 * @file: DRM file the handle belongs to
 * @handle: syncobj handle
 * @point: timeline point, 0 for a binary syncobj
 *
 * Looks the fence up with drm_syncobj_find_fence() and adds it with
 * drm_sched_job_add_dependency() (an addition from upstream 6.4).
 *
 * Return: 0; -ENOENT for a bad handle, -EINVAL for an empty syncobj, or the
 * error of drm_sched_job_add_dependency().
 */
int drm_sched_job_add_syncobj_dependency(struct drm_sched_job *job,
					 struct drm_file *file, u32 handle,
					 u32 point)
{
	struct dma_fence *fence;
	int ret;

	ret = drm_syncobj_find_fence(file, handle, point, 0, &fence);
	if (ret)
		return ret;
	return drm_sched_job_add_dependency(job, fence);
}
EXPORT_SYMBOL_NS_GPL(drm_sched_job_add_syncobj_dependency, GPU_SCHED_DEPS);
