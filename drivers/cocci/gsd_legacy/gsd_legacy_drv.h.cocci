// SPDX-License-Identifier: GPL-2.0-only
// files: gsd_legacy_drv.h
// The job's own fence array goes: the scheduler job holds the dependencies.

@deps_field@
@@
 struct gsd_legacy_job {
 ...
- struct xarray deps;
- unsigned long last_dep;
 ...
 };
