// SPDX-License-Identifier: GPL-2.0-only
// requires: sched-init-6
// drm_sched_init() before 5.13 took no timeout workqueue and no score
// counter; the gpu-sched-deps header has the 5.15/5.16 form.  NULL for both
// keeps the old behaviour: the timeout handler runs on system_wq and the
// scheduler counts its own score.

@init_args@
expression S, O, H, L, T, N;
@@
  drm_sched_init(S, O, H, L,
-		 T,
+		 T, NULL, NULL,
		 N)
