# SPDX-License-Identifier: GPL-2.0-only
#
# Packaging targets of gpu-sched-deps, included at the end of the top
# Makefile (which defines TOP, VERSION, KDIR, KBUILD_ARGS and `modules`).
#
#   make dkms-install [KVERS="<kver> ..."]  copy the sources to
#                       /usr/src/gpu-sched-deps-<VERSION>, then dkms add,
#                       build and install for KVERS (default: every kernel
#                       whose headers are installed)
#   make dkms-remove    undo dkms-install, for every kernel
#   make deb            gpu-sched-deps-dkms_<VERSION>_all.deb (debhelper,
#                       dh-dkms), written to the top directory
#
# DKMS itself runs dkms-build, dkms-clean and dkms-modules (see dkms.conf).

ifeq ($(KERNELRELEASE),)

# What a build needs: the files DKMS and the .deb put in /usr/src.
GSD_DKMS_FILES := Makefile Kbuild packaging.mk dkms.conf \
		  compat include scripts src drivers

# The patched drivers (drivers/README.md) are built by DKMS too, for a
# kernel without the dependency API whose full source tree is known:
# GSD_KSRC from the environment, else /lib/modules/<kver>/source when it
# holds the DRM driver sources (a self-built kernel; distribution header
# packages do not).  GSD_DRIVERS limits them (GSD_DRIVERS=none: none).
GSD_KSRC ?= $(KSRC)
ifeq ($(GSD_KSRC),)
GSD_KSRC := $(patsubst %/drivers/gpu/drm/scheduler,%,$(wildcard \
	/lib/modules/$(KVER)/source/drivers/gpu/drm/scheduler))
endif
GSD_DRIVERS ?= $(DRIVERS)

# The modules one build produces, paths relative to the top directory
# without .ko: gpu-sched-deps, then the drivers drivers/plan.sh plans for
# this kernel.  dkms-build refuses a build that does not match the list, so
# DKMS can never leave a built module uninstalled.
GSD_PLAN = $(if $(filter none,$(GSD_DRIVERS)),,\
	$(TOP)/drivers/plan.sh "$(GSD_KSRC)" "$(KDIR)" $(GSD_DRIVERS))

.PHONY: dkms-source dkms-install dkms-remove deb \
	dkms-build dkms-clean dkms-modules dkms-files

# The files of the DKMS source tree, for tests.
dkms-files:
	@echo $(GSD_DKMS_FILES)

# `make dkms-source [DESTDIR=...]`: the DKMS source tree, version filled in.
dkms-source:
	@$(TOP)/scripts/dkms-source-tree "$(TOP)" \
		"$(DESTDIR)/usr/src/gpu-sched-deps-$(VERSION)" "$(VERSION)" \
		$(GSD_DKMS_FILES)

dkms-install:
	@env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
		$(TOP)/scripts/dkms-install "$(TOP)" "$(VERSION)" \
		"$(GSD_DKMS_FILES)" $(KVERS)

dkms-remove:
	@env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
		$(TOP)/scripts/dkms-remove "$(VERSION)"

deb:
	@env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
		$(TOP)/scripts/dkms-deb "$(TOP)" "$(VERSION)" $(GSD_DKMS_FILES)

# Called by DKMS (MAKE[0] in dkms.conf) with KDIR=$kernel_source_dir and
# KVER=$kernelver.  A planned driver that fails to convert or build fails
# the whole build, so that DKMS installs nothing for this kernel.
dkms-build: modules
	@set -e; mods=$$($(GSD_PLAN)); drvs=; \
	for m in $$mods; do drvs="$$drvs $${m##*/}"; done; \
	if [ -n "$$drvs" ]; then \
		echo "gpu-sched-deps: converting and building$$drvs from $(GSD_KSRC)"; \
		ARCH="$(ARCH)" CROSS_COMPILE="$(CROSS_COMPILE)" GSD_CC="$(GSD_CC)" GSD_DIR="$(TOP)" \
			$(TOP)/drivers/build.sh "$(GSD_KSRC)" "$(KDIR)" $$drvs || { \
			echo "gpu-sched-deps: the patched drivers did not build (above); nothing is installed for $(KVER). GSD_DRIVERS=none builds gpu-sched-deps alone." >&2; \
			exit 1; }; \
	fi; \
	$(TOP)/scripts/dkms-check-build "$(TOP)" "$(KVER)" gpu-sched-deps $$mods

# CLEAN in dkms.conf.  The DKMS copy has no tests/, so this cannot be the
# top `clean`, which also cleans tests/kunit.
dkms-clean:
	@if [ -f "$(KDIR)/Makefile" ]; then $(MAKE) $(KBUILD_ARGS) clean; fi
	rm -rf $(TOP)/compat/generated

# Read by dkms.conf: the modules a build for KDIR will produce.
dkms-modules:
	@echo gpu-sched-deps; $(GSD_PLAN)

endif
