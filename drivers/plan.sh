#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Which of the converted drivers a build for one kernel will produce.
#
#   drivers/plan.sh KSRC KDIR [DRIVER...]
#
# Prints, one per line, the modules `drivers/build.sh KSRC KDIR DRIVER...`
# is expected to build, as paths relative to the top directory without .ko
# (the form dkms.conf and scripts/dkms-check-build use), and on stderr one
# line per driver that will not be built, saying why.  Nothing is built or
# converted: this only reads KSRC's scheduler header and KDIR's config.
#
# A driver is planned when KSRC holds its sources, KSRC's scheduler lacks the
# dependency API (kernels before 5.16: from 5.16 on the drivers are converted
# already), KDIR configures it as a module (=m) and spatch and patch are
# installed.
# KSRC may be empty: then no driver is planned.
#
# Environment: ARCH (as for build.sh: the output folder is named after it).
# Exit status 0, also when nothing is planned; 2 on bad usage.

set -eu

[ $# -ge 2 ] || { echo "usage: $0 KSRC KDIR [DRIVER...]" >&2; exit 2; }
ksrc=$1
kdir=$2
shift 2
drivers=${*:-panfrost lima v3d etnaviv}

release=$(cat "$kdir/include/config/kernel.release" 2>/dev/null) || {
	echo "drivers: $kdir is not a prepared kernel build tree" >&2; exit 2; }
arch=${ARCH:-$(uname -m)}
me="drivers ($release)"

if [ -z "$ksrc" ]; then
	echo "$me: no kernel source tree given (GSD_KSRC=<tree>): gpu-sched-deps only" >&2
	exit 0
fi
if [ ! -d "$ksrc/drivers/gpu/drm" ]; then
	echo "$me: $ksrc has no drivers/gpu/drm sources: gpu-sched-deps only" >&2
	exit 0
fi
hdr=$ksrc/include/drm/gpu_scheduler.h
if [ ! -f "$hdr" ]; then
	echo "$me: $ksrc has no include/drm/gpu_scheduler.h: gpu-sched-deps only" >&2
	exit 0
fi
if grep -q 'drm_sched_job_arm' "$hdr"; then
	echo "$me: the kernel has the dependency API (5.16+), its drivers are converted already: gpu-sched-deps only" >&2
	exit 0
fi
for tool in spatch patch; do
	if ! command -v $tool >/dev/null 2>&1; then
		echo "$me: $tool not installed (coccinelle, patch): the drivers are not converted, gpu-sched-deps only" >&2
		exit 0
	fi
done

for drv in $drivers; do
	case $drv in
	panfrost|lima|v3d|etnaviv) ;;
	*) echo "$me: $drv: no conversion for this driver" >&2; continue ;;
	esac
	if [ ! -d "$ksrc/drivers/gpu/drm/$drv" ]; then
		echo "$me: $drv: not in $ksrc" >&2
		continue
	fi
	cfg=CONFIG_DRM_$(echo "$drv" | tr '[:lower:]' '[:upper:]')
	case $(sed -n "s/^$cfg=//p" "$kdir/include/config/auto.conf") in
	m) echo "build/drivers/$release-$arch/$drv/$drv" ;;
	y) echo "$me: $drv: $cfg=y, built into the kernel: a module cannot replace it" >&2 ;;
	*) echo "$me: $drv: $cfg is not set: the kernel does not use it" >&2 ;;
	esac
done
