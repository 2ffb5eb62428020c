// SPDX-License-Identifier: GPL-2.0-only
/*
 * HRTIMER_SETUP: hrtimer_setup(timer, function, clock_id, mode) exists.
 *
 * Upstream: "hrtimers: Introduce hrtimer_setup() to replace hrtimer_init()"
 * (Linux 6.13; also picked up by some stable trees), after which
 * hrtimer_init() was phased out.
 * Fallback: hrtimer_init() followed by setting timer->function
 * (gsd_hrtimer_setup).
 */
#include <linux/hrtimer.h>

int gsd_probe(void);
int gsd_probe(void)
{
	void (*fn)(struct hrtimer *,
		   enum hrtimer_restart (*)(struct hrtimer *),
		   clockid_t, enum hrtimer_mode) = hrtimer_setup;

	return !!fn;
}
