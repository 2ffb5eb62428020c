# SPDX-License-Identifier: GPL-2.0-only
#
# gpu-sched-deps: the DRM GPU scheduler with dependency tracking, out of tree.
#
#   make [KDIR=<kernel build dir>] [ARCH=... CROSS_COMPILE=...] [CC=...]
#   make modules_install [INSTALL_MOD_PATH=...]
#   make check            the test suite (see README.md)
#   make help

VERSION := 0.1.0

KDIR ?= /lib/modules/$(shell uname -r)/build
ifneq ($(KERNELRELEASE),)
# Called back by kbuild through this file? Kbuild is read instead; nothing
# to do here.
else

TOP := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
GSD_CONFIG_H := $(TOP)/compat/generated/gsd_config.h
KBUILD_ARGS := -C $(KDIR) M=$(TOP) GSD_VERSION=$(VERSION)
ifneq ($(ARCH),)
KBUILD_ARGS += ARCH=$(ARCH)
endif
ifneq ($(CROSS_COMPILE),)
KBUILD_ARGS += CROSS_COMPILE=$(CROSS_COMPILE)
endif
# A compiler named on the command line (make CC=gcc-12) is used by every
# kbuild run: ours, the feature tests (compat/configure starts its make
# with an empty MAKEFLAGS) and the drivers.  Only the command line counts:
# kbuild ignores CC from the environment, and so do we.
GSD_CC := $(if $(filter command line,$(origin CC)),$(CC))
ifneq ($(GSD_CC),)
KBUILD_ARGS += CC="$(GSD_CC)"
endif

.PHONY: all modules tests modules_install clean help preflight config check FORCE

all: modules

preflight:
	@$(TOP)/scripts/preflight.sh "$(KDIR)"

# The feature tests run again whenever the target kernel changes.
$(GSD_CONFIG_H): preflight FORCE
	@$(TOP)/compat/configure KDIR="$(KDIR)" ARCH="$(ARCH)" \
		CROSS_COMPILE="$(CROSS_COMPILE)" CC="$(GSD_CC)" \
		OUT="$(TOP)/compat/generated"

config: $(GSD_CONFIG_H)

modules: $(GSD_CONFIG_H)
	$(MAKE) $(KBUILD_ARGS) modules

# The scheduler plus its KUnit suites (gpu-sched-deps-test.ko), with the
# allocation fault-injection hook compiled in.
tests: $(GSD_CONFIG_H)
	$(MAKE) $(KBUILD_ARGS) GSD_TESTS=1 modules

modules_install: modules
	$(MAKE) $(KBUILD_ARGS) INSTALL_MOD_DIR=updates modules_install

check:
	@$(TOP)/tests/run $(CHECK_ARGS)

clean:
	@if [ -f "$(KDIR)/Makefile" ]; then \
		$(MAKE) $(KBUILD_ARGS) \
			$(if $(wildcard $(TOP)/tests/kunit/Kbuild),GSD_TESTS=1) clean; fi
	rm -rf $(TOP)/compat/generated

help:
	@echo 'gpu-sched-deps $(VERSION)'
	@echo ''
	@echo '  make                  build gpu-sched-deps.ko for KDIR'
	@echo '  make tests            also build gpu-sched-deps-test.ko (KUnit suites)'
	@echo '  make modules_install  install into /lib/modules/<kernel>/updates'
	@echo '  make check            install test dependencies, build, boot, test'
	@echo '  make config           only run the kernel feature tests'
	@echo '  make dkms-install     install with DKMS for every kernel with headers'
	@echo '  make dkms-remove      undo dkms-install'
	@echo '  make deb              build gpu-sched-deps-dkms_$(VERSION)_all.deb'
	@echo '  make drivers KSRC=<kernel source>  convert and build panfrost, lima, v3d, etnaviv'
	@echo '  make bench            benchmarks against the in-tree scheduler (qemu)'
	@echo '  make clean'
	@echo ''
	@echo 'Variables: KDIR=<kernel build tree> (default: running kernel),'
	@echo '  ARCH=, CROSS_COMPILE= (cross builds), CC= (another compiler than'
	@echo '  the kernel'"'"'s, feature tests included), W=1, C=1 (sparse),'
	@echo '  INSTALL_MOD_PATH= (staging root for modules_install)'
	@echo 'DKMS (environment of dkms): GSD_KSRC=<kernel source> adds the patched'
	@echo '  drivers for kernels before 5.16, GSD_DRIVERS=none|"<drivers>" narrows them;'
	@echo '  make dkms-modules KDIR=... KVER=... prints what a build will produce.'

FORCE:

include $(TOP)/packaging.mk
# Absent from the DKMS source tree, which builds gpu-sched-deps only.
-include $(TOP)/drivers/drivers.mk
-include $(TOP)/bench.mk
endif
