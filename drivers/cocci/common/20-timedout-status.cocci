// SPDX-License-Identifier: GPL-2.0-only
// requires: timedout-void
// Before 5.12 ->timedout_job returned void; the gpu-sched-deps header has
// the 5.16 form returning enum drm_gpu_sched_stat.  The handlers report
// DRM_GPU_SCHED_STAT_NOMINAL, as the drivers do from 5.12 on.

@tmo_op@
identifier ops, fn;
@@
 struct drm_sched_backend_ops ops = {
	.timedout_job = fn,
 };

@tmo_fn@
identifier tmo_op.fn;
@@
- void
+ enum drm_gpu_sched_stat
  fn(...)
  {
  ...
  }

@opt_tmo_return@
identifier tmo_op.fn;
@@
  fn(...)
  {
  <...
- return;
+ return DRM_GPU_SCHED_STAT_NOMINAL;
  ...>
  }

@tmo_end@
identifier tmo_op.fn;
statement S;
@@
  fn(...)
  {
  ...
(
  return ...;
|
  S
+ return DRM_GPU_SCHED_STAT_NOMINAL;
)
  }
