################################################################################
#
# gpu-sched-deps
#
################################################################################

# Must equal VERSION in the top Makefile.
GPU_SCHED_DEPS_VERSION = 0.1.0
# Built from the checkout this BR2_EXTERNAL tree is part of
# (make BR2_EXTERNAL=<checkout>/contrib/buildroot).  To fetch a release
# instead, set _SITE and drop _SITE_METHOD.
GPU_SCHED_DEPS_SITE = $(BR2_EXTERNAL_GPU_SCHED_DEPS_PATH)/../..
GPU_SCHED_DEPS_SITE_METHOD = local
GPU_SCHED_DEPS_LICENSE = GPL-2.0

# `make config` is the first half of the project's `make`: the preflight
# checks and the kernel feature tests (compat/generated/gsd_config.h).  The
# kernel-module infrastructure then runs the second half, kbuild's
# `modules` and `modules_install`, in post-build and post-install hooks.
define GPU_SCHED_DEPS_BUILD_CMDS
	$(LINUX_MAKE_ENV) $(MAKE) -C $(@D) $(LINUX_MAKE_FLAGS) \
		KDIR=$(LINUX_DIR) config
endef

GPU_SCHED_DEPS_MODULE_MAKE_OPTS = \
	GSD_VERSION=$(GPU_SCHED_DEPS_VERSION) \
	INSTALL_MOD_DIR=updates

$(eval $(kernel-module))
$(eval $(generic-package))
