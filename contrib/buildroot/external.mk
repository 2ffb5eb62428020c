# SPDX-License-Identifier: GPL-2.0-only
include $(sort $(wildcard $(BR2_EXTERNAL_GPU_SCHED_DEPS_PATH)/package/*/*.mk))
