// SPDX-License-Identifier: GPL-2.0-only
// files: v3d_drv.h
// The job's own dependency array goes: the scheduler job tracks them.

@deps_field@
@@
 struct v3d_job {
 ...
- struct xarray deps;
- unsigned long last_dep;
 ...
 };
