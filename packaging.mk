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
		  compat include scripts src

# The modules one build produces: paths relative to the top directory,
# without .ko.  A build that produces more (the patched drivers) must list
# them here; dkms-build refuses a build that does not match the list, so
# DKMS can never leave a built module uninstalled.
GSD_BUILT_MODULES ?= gpu-sched-deps

# One line in every DKMS build log about the drivers.
GSD_DRIVERS_NOTE ?= gpu-sched-deps $(VERSION): builds gpu-sched-deps.ko \
	only; the patched drivers are not part of this version yet.

.PHONY: dkms-source dkms-install dkms-remove deb \
	dkms-build dkms-clean dkms-modules

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
# KVER=$kernelver.
dkms-build: modules
	@$(TOP)/scripts/dkms-check-build "$(TOP)" "$(KVER)" $(GSD_BUILT_MODULES)
	@echo "$(GSD_DRIVERS_NOTE)"

# CLEAN in dkms.conf.  The DKMS copy has no tests/, so this cannot be the
# top `clean`, which also cleans tests/kunit.
dkms-clean:
	@if [ -f "$(KDIR)/Makefile" ]; then $(MAKE) $(KBUILD_ARGS) clean; fi
	rm -rf $(TOP)/compat/generated

# Read by dkms.conf: the modules a build for KDIR will produce.
dkms-modules:
	@for m in $(GSD_BUILT_MODULES); do echo "$$m"; done

endif
