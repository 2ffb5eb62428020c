// SPDX-License-Identifier: GPL-2.0-only
// files: etnaviv_sched.h
// Pushing no longer needs the entity: drm_sched_job_init() recorded it.

@push_proto@
symbol etnaviv_sched_push_job;
identifier entity, submit;
@@
  int etnaviv_sched_push_job(
-	struct drm_sched_entity *entity,
	struct etnaviv_gem_submit *submit);
