/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * gsd_compat.h - the one compatibility header of gpu-sched-deps.
 *
 * Every kernel API that differs between the kernels gpu-sched-deps builds
 * against (5.4 .. 6.12, and distribution trees with backports) is wrapped
 * here in a narrow gsd_* helper.  Which implementation a helper uses is
 * decided by the compile probes in compat/probes/, whose results
 * compat/configure writes to the generated <gsd_config.h>; kernel version
 * numbers are never compared.  Each helper names what it replaces.
 */
#ifndef GSD_COMPAT_H
#define GSD_COMPAT_H

#include <gsd_config.h>

#include <linux/dma-fence.h>
#include <linux/dma-resv.h>
#include <linux/export.h>
#include <linux/hrtimer.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/types.h>
#ifndef GSD_HAVE_SCHED_SET_FIFO_LOW
#include <uapi/linux/sched/types.h>	/* struct sched_param */
#endif

/* ------------------------------------------------------------------------
 * Scheduler thread priority
 */

/**
 * gsd_sched_thread_set_fifo_low() - run @t as SCHED_FIFO at priority 1
 * @t: the scheduler's kthread
 *
 * Replaces sched_set_fifo_low() (Linux 5.9+).  Older kernels only offer
 * sched_setscheduler(t, SCHED_FIFO, {.sched_priority = 1}), which a module
 * can call only where it is exported (up to 5.8, and vendor trees such as
 * the Rockchip 5.10 BSP).
 */
static inline void gsd_sched_thread_set_fifo_low(struct task_struct *t)
{
#if defined(GSD_HAVE_SCHED_SET_FIFO_LOW)
	sched_set_fifo_low(t);
#elif defined(GSD_HAVE_SCHED_SETSCHEDULER_EXPORTED)
	struct sched_param param = { .sched_priority = 1 };

	sched_setscheduler(t, SCHED_FIFO, &param);
#else
/*
 * The configure output says why; a kernel build tree without a complete
 * Module.symvers cannot show that sched_setscheduler() is exported.
 */
#error "gpu-sched-deps: no sched_set_fifo_low() and no exported sched_setscheduler()"
#endif
}

/* ------------------------------------------------------------------------
 * Symbol namespace
 */

/*
 * The GPU_SCHED_DEPS symbol namespace: sources write
 * EXPORT_SYMBOL_NS_GPL(sym, GPU_SCHED_DEPS) and MODULE_IMPORT_NS(GPU_SCHED_DEPS).
 * From Linux 6.13 the namespace argument is a string literal ("module:
 * Convert symbol namespace to string literal"); before, a bare identifier
 * that the macros stringify.  Defining the name as its own string serves both.
 */
#ifdef GSD_HAVE_EXPORT_SYMBOL_NS_STRING
#define GPU_SCHED_DEPS		"GPU_SCHED_DEPS"
#endif
#define GSD_MODULE_IMPORT_NS()	MODULE_IMPORT_NS(GPU_SCHED_DEPS)

/* ------------------------------------------------------------------------
 * Implicit dependencies: the fences of a locked dma_resv a job waits for
 */

/**
 * struct gsd_resv_walk - cursor of gsd_resv_for_each_wait_fence()
 *
 * Lives on the caller's stack; no member is meant to be read directly.
 */
struct gsd_resv_walk {
#ifdef GSD_HAVE_DMA_RESV_ITER
	struct dma_resv_iter cursor;
#else
	struct dma_resv *resv;
	struct dma_resv_list *shared;	/* NULL when only the writer counts */
	unsigned int next;		/* next index into @shared */
#endif
};

#ifndef GSD_HAVE_DMA_RESV_ITER
/* The locked getters of 5.4-5.15: dma_resv_get_excl/get_list until 5.13. */
static inline struct dma_fence *gsd_resv_excl_fence(struct dma_resv *resv)
{
#ifdef GSD_HAVE_DMA_RESV_EXCL_FENCE
	return dma_resv_excl_fence(resv);
#else
	return dma_resv_get_excl(resv);
#endif
}

static inline struct dma_resv_list *gsd_resv_shared_list(struct dma_resv *resv)
{
#ifdef GSD_HAVE_DMA_RESV_SHARED_LIST
	return dma_resv_shared_list(resv);
#else
	return dma_resv_get_list(resv);
#endif
}
#endif /* !GSD_HAVE_DMA_RESV_ITER */

/* Internal: the step of gsd_resv_for_each_wait_fence() after the first. */
static inline struct dma_fence *gsd_resv_walk_next(struct gsd_resv_walk *w)
{
#ifdef GSD_HAVE_DMA_RESV_ITER
	return dma_resv_iter_next(&w->cursor);
#else
	if (!w->shared || w->next >= w->shared->shared_count)
		return NULL;
	return rcu_dereference_protected(w->shared->shared[w->next++],
					 dma_resv_held(w->resv));
#endif
}

/* Internal: start gsd_resv_for_each_wait_fence(); returns the first fence. */
static inline struct dma_fence *
gsd_resv_walk_first(struct gsd_resv_walk *w, struct dma_resv *resv,
		    bool write)
{
	dma_resv_assert_held(resv);
#if defined(GSD_HAVE_DMA_RESV_USAGE)
	/*
	 * A writer waits for KERNEL, WRITE and READ fences; a reader for
	 * KERNEL and WRITE.  BOOKKEEP fences are never waited for.
	 */
	dma_resv_iter_begin(&w->cursor, resv, dma_resv_usage_rw(write));
	return dma_resv_iter_first(&w->cursor);
#elif defined(GSD_HAVE_DMA_RESV_ITER)
	/* 5.16-5.18: the third argument is "bool all_fences". */
	dma_resv_iter_begin(&w->cursor, resv, write);
	return dma_resv_iter_first(&w->cursor);
#else
	{
		struct dma_fence *excl = gsd_resv_excl_fence(resv);

		w->resv = resv;
		w->shared = write ? gsd_resv_shared_list(resv) : NULL;
		w->next = 0;
		return excl ? excl : gsd_resv_walk_next(w);
	}
#endif
}

/**
 * gsd_resv_for_each_wait_fence() - walk the fences a job must wait for
 * @walk: pointer to a struct gsd_resv_walk on the caller's stack
 * @resv: the reservation object; its lock must be held for the whole walk
 * @write: true if the job writes the buffer
 * @fence: struct dma_fence * loop variable
 *
 * A writer (@write true) waits for every fence: the exclusive and all
 * shared fences, or every usage up to READ.  A reader waits only for the
 * writers: the exclusive fence, or usages KERNEL and WRITE.  Already
 * signalled fences are included.  Nothing is allocated.
 *
 * @fence is BORROWED: no reference is taken, and it stays valid only while
 * the lock is held; take one with dma_fence_get() to keep the fence.
 *
 * Replaces dma_resv_for_each_fence(cursor, resv, dma_resv_usage_rw(write),
 * fence) (5.19+), its "bool all_fences" form (5.16-5.18), and the
 * exclusive fence plus shared list getters of 5.4-5.15.
 *
 * Example::
 *
 *	struct gsd_resv_walk walk;
 *	struct dma_fence *fence;
 *
 *	gsd_resv_for_each_wait_fence(&walk, resv, write, fence) {
 *		ret = add_dependency(job, dma_fence_get(fence));
 *		if (ret)
 *			break;
 *	}
 */
#define gsd_resv_for_each_wait_fence(walk, resv, write, fence)		\
	for ((fence) = gsd_resv_walk_first((walk), (resv), (write));	\
	     (fence); (fence) = gsd_resv_walk_next(walk))

/* ------------------------------------------------------------------------
 * Putting fences on a dma_resv (used by the tests)
 */

/**
 * gsd_resv_reserve() - reserve room for @n more fences on @resv
 * @resv: the reservation object, locked
 * @n: number of gsd_resv_add_fence() calls that follow
 *
 * Call before gsd_resv_add_fence(), under the same lock hold.
 * Replaces dma_resv_reserve_fences() (5.19+, needed before every add) and
 * dma_resv_reserve_shared() (before 5.19, needed only for shared fences).
 *
 * Return: 0 or -ENOMEM.
 */
static inline int gsd_resv_reserve(struct dma_resv *resv, unsigned int n)
{
#ifdef GSD_HAVE_DMA_RESV_RESERVE_FENCES
	return dma_resv_reserve_fences(resv, n);
#else
	return dma_resv_reserve_shared(resv, n);
#endif
}

/**
 * gsd_resv_add_fence() - publish @fence on @resv as a writer or a reader
 * @resv: the reservation object, locked, with a slot reserved by
 *	gsd_resv_reserve()
 * @fence: the fence; @resv takes its own reference
 * @write: true for a write (exclusive, DMA_RESV_USAGE_WRITE) fence, false
 *	for a read (shared, DMA_RESV_USAGE_READ) fence
 *
 * Replaces dma_resv_add_fence(resv, fence, usage) (5.19+) and
 * dma_resv_add_excl_fence() / dma_resv_add_shared_fence() (before 5.19).
 *
 * The kernels differ in what an add drops: before 5.19 a write fence
 * replaces every fence already there; from 5.19 on the fences accumulate.
 * Both replace an earlier fence of the same context, and may drop
 * already-signalled ones.  A test that wants the same set of fences on every
 * kernel adds its readers after its writer, from distinct contexts, and
 * keeps them unsignalled until it has walked them.
 */
static inline void gsd_resv_add_fence(struct dma_resv *resv,
				      struct dma_fence *fence, bool write)
{
#ifdef GSD_HAVE_DMA_RESV_USAGE
	dma_resv_add_fence(resv, fence,
			   write ? DMA_RESV_USAGE_WRITE : DMA_RESV_USAGE_READ);
#else
	if (write)
		dma_resv_add_excl_fence(resv, fence);
	else
		dma_resv_add_shared_fence(resv, fence);
#endif
}

/* ------------------------------------------------------------------------
 * Timers and lockdep annotations
 */

/**
 * gsd_hrtimer_setup() - initialise @timer and set its callback
 * @timer: the timer
 * @fn: callback
 * @clock: clock id, e.g. CLOCK_MONOTONIC
 * @mode: timer mode, e.g. HRTIMER_MODE_REL
 *
 * Replaces hrtimer_setup() (6.13, and some stable trees) and, before it,
 * hrtimer_init() followed by setting @timer->function.
 */
static inline void
gsd_hrtimer_setup(struct hrtimer *timer,
		  enum hrtimer_restart (*fn)(struct hrtimer *),
		  clockid_t clock, enum hrtimer_mode mode)
{
#ifdef GSD_HAVE_HRTIMER_SETUP
	hrtimer_setup(timer, fn, clock, mode);
#else
	hrtimer_init(timer, clock, mode);
	timer->function = fn;
#endif
}

/**
 * gsd_fence_begin_signalling() - open a fence signalling critical section
 *
 * Replaces dma_fence_begin_signalling() (5.9+), a lockdep annotation; on
 * older kernels there is nothing to annotate.
 *
 * Return: cookie for gsd_fence_end_signalling().
 */
static inline bool gsd_fence_begin_signalling(void)
{
#ifdef GSD_HAVE_DMA_FENCE_BEGIN_SIGNALLING
	return dma_fence_begin_signalling();
#else
	return true;
#endif
}

/**
 * gsd_fence_end_signalling() - close a fence signalling critical section
 * @cookie: what gsd_fence_begin_signalling() returned
 *
 * Replaces dma_fence_end_signalling() (5.9+).
 */
static inline void gsd_fence_end_signalling(bool cookie)
{
#ifdef GSD_HAVE_DMA_FENCE_BEGIN_SIGNALLING
	dma_fence_end_signalling(cookie);
#endif
}

#endif /* GSD_COMPAT_H */
