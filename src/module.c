// SPDX-License-Identifier: GPL-2.0-only
/*
 * gpu-sched-deps.ko: module setup and metadata.
 */
#include "sched_internal.h"

#include <linux/module.h>

#ifndef GSD_BUILT_FOR
#define GSD_BUILT_FOR "unknown kernel"
#endif

static int __init gsd_init(void)
{
	int ret;

	ret = gsd_fence_cache_init();
	if (ret)
		return ret;
	ret = gsd_kill_wq_init();
	if (ret) {
		gsd_fence_cache_fini();
		return ret;
	}
	pr_info("version %s loaded, built for %s\n", GSD_VERSION, GSD_BUILT_FOR);
	return 0;
}

static void __exit gsd_exit(void)
{
	gsd_kill_wq_fini();
	gsd_fence_cache_fini();
}

module_init(gsd_init);
module_exit(gsd_exit);

MODULE_DESCRIPTION("DRM GPU scheduler with dependency tracking (Linux 5.16 API), loadable beside gpu-sched");
MODULE_AUTHOR("gpu-sched-deps developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(GSD_VERSION);
