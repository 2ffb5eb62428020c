/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Symbol names of gpu-sched-deps.
 *
 * gpu-sched-deps.ko loads beside the kernel's own gpu-sched.ko, which exports
 * the same upstream names with an older layout.  Every function this module
 * exports therefore carries the gsd_ prefix; the macros below let driver code
 * keep writing the upstream drm_sched_* names.  The exports also live in the
 * GPU_SCHED_DEPS symbol namespace, which modules including the public header
 * import automatically.
 */
#ifndef GPU_SCHED_DEPS_SYMBOLS_H
#define GPU_SCHED_DEPS_SYMBOLS_H

#define drm_sched_init				gsd_drm_sched_init
#define drm_sched_fini				gsd_drm_sched_fini
#define drm_sched_stop				gsd_drm_sched_stop
#define drm_sched_start				gsd_drm_sched_start
#define drm_sched_resubmit_jobs			gsd_drm_sched_resubmit_jobs
#define drm_sched_resubmit_jobs_ext		gsd_drm_sched_resubmit_jobs_ext
#define drm_sched_increase_karma		gsd_drm_sched_increase_karma
#define drm_sched_increase_karma_ext		gsd_drm_sched_increase_karma_ext
#define drm_sched_reset_karma			gsd_drm_sched_reset_karma
#define drm_sched_fault				gsd_drm_sched_fault
#define drm_sched_suspend_timeout		gsd_drm_sched_suspend_timeout
#define drm_sched_resume_timeout		gsd_drm_sched_resume_timeout
#define drm_sched_pick_best			gsd_drm_sched_pick_best
#define drm_sched_dependency_optimized		gsd_drm_sched_dependency_optimized

#define drm_sched_entity_init			gsd_drm_sched_entity_init
#define drm_sched_entity_fini			gsd_drm_sched_entity_fini
#define drm_sched_entity_flush			gsd_drm_sched_entity_flush
#define drm_sched_entity_destroy		gsd_drm_sched_entity_destroy
#define drm_sched_entity_set_priority		gsd_drm_sched_entity_set_priority
#define drm_sched_entity_modify_sched		gsd_drm_sched_entity_modify_sched
#define drm_sched_entity_push_job		gsd_drm_sched_entity_push_job

#define drm_sched_job_init			gsd_drm_sched_job_init
#define drm_sched_job_arm			gsd_drm_sched_job_arm
#define drm_sched_job_add_dependency		gsd_drm_sched_job_add_dependency
#define drm_sched_job_add_implicit_dependencies	gsd_drm_sched_job_add_implicit_dependencies
#define drm_sched_job_add_syncobj_dependency	gsd_drm_sched_job_add_syncobj_dependency
#define drm_sched_job_cleanup			gsd_drm_sched_job_cleanup

#define to_drm_sched_fence			gsd_to_drm_sched_fence

#endif /* GPU_SCHED_DEPS_SYMBOLS_H */
