# SPDX-License-Identifier: GPL-2.0-only
#
# `make drivers`: for inclusion by the top Makefile (which defines TOP,
# KDIR and the `modules` target).
#
#   make drivers KSRC=<kernel source tree> [KDIR=...] [DRIVERS="v3d lima"]
#        [ARCH=... CROSS_COMPILE=...] [CC=...]
#
# Converts panfrost, lima, v3d and etnaviv (or DRIVERS) of KSRC to the
# dependency API and builds them against the gpu-sched-deps just built for
# KDIR, into build/drivers/<kernel release>-<arch>/.  See drivers/README.md.

.PHONY: drivers

# "+": the kbuild runs of build.sh share this make's jobserver (-j).
drivers: modules
	@if [ -z "$(KSRC)" ]; then \
		echo "make drivers: set KSRC=<kernel source tree>" >&2; exit 2; fi
	+ARCH="$(ARCH)" CROSS_COMPILE="$(CROSS_COMPILE)" GSD_CC="$(GSD_CC)" GSD_DIR="$(TOP)" \
		$(TOP)/drivers/build.sh "$(KSRC)" "$(KDIR)" $(DRIVERS)
