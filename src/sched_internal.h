/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Declarations shared by the files of gpu-sched-deps.ko; not for drivers.
 */
#ifndef GSD_SCHED_INTERNAL_H
#define GSD_SCHED_INTERNAL_H

#define pr_fmt(fmt) "gpu-sched-deps: " fmt

/* Exporting side of the public header: do not import our own namespace. */
#define GPU_SCHED_DEPS_CORE

#include <drm/gpu_scheduler.h>
#include <gsd_compat.h>

#ifndef GSD_VERSION
#define GSD_VERSION "unknown"
#endif

/* sched_fence.c */
int gsd_fence_cache_init(void);
void gsd_fence_cache_fini(void);
struct drm_sched_fence *gsd_fence_alloc(void *owner);
void gsd_fence_free_unarmed(struct drm_sched_fence *fence);
void gsd_fence_arm(struct drm_sched_fence *fence,
		   struct drm_sched_entity *entity,
		   struct drm_gpu_scheduler *sched);
void gsd_fence_scheduled(struct drm_sched_fence *fence,
			 struct dma_fence *parent);
void gsd_fence_finished(struct drm_sched_fence *fence, int result);
bool gsd_fence_is_entity_own(struct drm_sched_entity *entity,
			     struct dma_fence *fence);

/* sched_deps.c */
void gsd_deps_init(struct drm_sched_job_deps *deps);
struct dma_fence *gsd_deps_pop(struct drm_sched_job_deps *deps);
void gsd_deps_keep_pipelined(struct drm_sched_job_deps *deps,
			     struct dma_fence *f);
bool gsd_deps_try_keep_pipelined(struct drm_sched_job_deps *deps,
				 struct dma_fence *f);
struct dma_fence *gsd_deps_pop_for_kill(struct drm_sched_job_deps *deps);
void gsd_deps_rewind(struct drm_sched_job_deps *deps);
void gsd_deps_release(struct drm_sched_job_deps *deps);

/* sched_entity.c */
bool gsd_entity_is_ready(struct drm_sched_entity *entity);
struct drm_sched_job *gsd_entity_pop_job(struct drm_sched_entity *entity);
void gsd_entity_select_rq(struct drm_sched_entity *entity);
int gsd_kill_wq_init(void);
void gsd_kill_wq_fini(void);

/* sched_main.c */
void gsd_rq_add_entity(struct drm_sched_rq *rq,
		       struct drm_sched_entity *entity);
void gsd_rq_remove_entity(struct drm_sched_rq *rq,
			  struct drm_sched_entity *entity);
void gsd_sched_wakeup(struct drm_gpu_scheduler *sched);

/* fault_inject.c, test builds only */
#ifdef GSD_FAULT_INJECTION
bool gsd_fault_should_fail(void);
#else
static inline bool gsd_fault_should_fail(void)
{
	return false;
}
#endif

#endif /* GSD_SCHED_INTERNAL_H */
