// SPDX-License-Identifier: GPL-2.0-only
// requires: entity-rq-list
// Before 5.7 drm_sched_entity_init() took a list of run queues; the
// gpu-sched-deps header has the 5.16 form taking a priority and a list of
// schedulers.  The drivers pass one run queue, the NORMAL one of a
// scheduler: that becomes the scheduler and DRM_SCHED_PRIORITY_NORMAL.

@opt_entity_assign exists@
identifier rq;
expression S, P, E, N, G;
@@
- struct drm_sched_rq *rq;
+ struct drm_gpu_scheduler *sched;
  ...
(
- rq = &S.sched_rq[P];
+ sched = &S;
|
- rq = &S->sched_rq[P];
+ sched = S;
)
  ...
- drm_sched_entity_init(E, &rq, N, G)
+ drm_sched_entity_init(E, P, &sched, N, G)

@opt_entity_initializer exists@
identifier rq;
expression S, P, E, N, G;
@@
(
- struct drm_sched_rq *rq = S.sched_rq + P;
+ struct drm_gpu_scheduler *sched = &S;
|
- struct drm_sched_rq *rq = &S.sched_rq[P];
+ struct drm_gpu_scheduler *sched = &S;
)
  ...
- drm_sched_entity_init(E, &rq, N, G)
+ drm_sched_entity_init(E, P, &sched, N, G)

@no_old_entity_init@
expression E, R, N, G;
@@
  drm_sched_entity_init(E, R, N, G)
