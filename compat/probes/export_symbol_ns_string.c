// SPDX-License-Identifier: GPL-2.0-only
/*
 * EXPORT_SYMBOL_NS_STRING: the namespace argument of EXPORT_SYMBOL_NS*() and
 * MODULE_IMPORT_NS() is a string literal, used as is.
 *
 * Upstream: "module: Convert symbol namespace to string literal"
 * (Linux 6.13).  Before it, the macros stringify a bare identifier, so a
 * string literal would end up with its quotes inside the namespace name.
 * Fallback: the identifier GPU_SCHED_DEPS is passed as is and stringified.
 *
 * Both forms compile with either argument, so the probe intercepts the
 * MODULE_INFO() that MODULE_IMPORT_NS() expands to and checks that the
 * namespace string arrives unchanged.
 */
#include <linux/build_bug.h>
#include <linux/module.h>

#undef MODULE_INFO
#define MODULE_INFO(tag, info)						\
	static_assert(sizeof(info) == sizeof("GSD_PROBE_NS"),		\
		      "MODULE_IMPORT_NS() stringifies its argument")

MODULE_IMPORT_NS("GSD_PROBE_NS");
