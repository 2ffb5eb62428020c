// SPDX-License-Identifier: GPL-2.0-only
/*
 * KERNEL_SCHED_ENTITY_INIT_RQ_LIST: the kernel's own drm_sched_entity_init()
 * takes an array of run queues and its length (the 5.4 series), not a
 * priority and a list of schedulers (the 5.10 series and later).
 *
 * Describes the IN-TREE scheduler, like KERNEL_SCHED_INIT_ARGS: for test
 * code that drives gpu-sched.ko (tests/coexist).
 * Fallback: the priority/scheduler-list form.
 */
#include <drm/gpu_scheduler.h>

int gsd_probe(struct drm_sched_entity *entity, struct drm_sched_rq **rqs);
int gsd_probe(struct drm_sched_entity *entity, struct drm_sched_rq **rqs)
{
	int (*init)(struct drm_sched_entity *, struct drm_sched_rq **,
		    unsigned int, atomic_t *) = drm_sched_entity_init;

	return init(entity, rqs, 1, NULL);
}
