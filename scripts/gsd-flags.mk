# SPDX-License-Identifier: GPL-2.0-only
#
# Compiler flags shared by every kbuild directory of gpu-sched-deps.
# Our include/ must come before the kernel's own headers so that
# <drm/gpu_scheduler.h> resolves to ours: NOSTDINC_FLAGS precedes
# LINUXINCLUDE on the compiler command line.

NOSTDINC_FLAGS += -I$(KBUILD_EXTMOD)/include \
		  -I$(KBUILD_EXTMOD)/compat \
		  -I$(KBUILD_EXTMOD)/compat/generated

ifeq ($(GSD_TESTS),1)
ccflags-y += -DGSD_FAULT_INJECTION
endif

ccflags-y += -DGSD_VERSION='"$(or $(GSD_VERSION),unknown)"'
