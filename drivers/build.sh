#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Convert DRM drivers of a kernel source tree and build them as external
# modules against gpu-sched-deps.
#
#   drivers/build.sh KSRC KDIR [DRIVER...]
#
# KSRC    kernel source tree the drivers are taken from
# KDIR    prepared build tree of that kernel (as for any external module)
# DRIVER  panfrost, lima, v3d, etnaviv (default: all four, each one KDIR's
#         config builds as a module; the others are skipped, said so)
#
# Environment: ARCH, CROSS_COMPILE (cross builds); GSD_CC, a compiler to
# use instead of the kernel's (`make drivers CC=...`); GSD_DIR, a gpu-sched-deps
# tree configured and built for KDIR (default: this repository, after
# `make KDIR=...`); OUT, where the drivers go (default:
# build/drivers/<kernel release>-<arch>).
#
# Each built module is checked: it must depend on gpu-sched-deps and not on
# gpu-sched, and every scheduler symbol it uses must be a gsd_ one.
# Exit status: 0 if every driver was converted and built or skipped, 1
# otherwise (a DRIVER named but not configured as a module is a failure).

set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")

[ $# -ge 2 ] || { echo "usage: $0 KSRC KDIR [DRIVER...]" >&2; exit 2; }
ksrc=$1
kdir=$2
shift 2
drivers=${*:-panfrost lima v3d etnaviv}
# Drivers named by the caller must be built; of the default four, one the
# kernel's config does not build as a module is skipped, with the reason.
named=$#

arch=${ARCH:-$(uname -m)}
cross=${CROSS_COMPILE:-}
gsd=${GSD_DIR:-$top}
symvers=$gsd/Module.symvers
release=$(cat "$kdir/include/config/kernel.release" 2>/dev/null) || {
	echo "build: $kdir is not a prepared kernel build tree" >&2; exit 2; }
out=${OUT:-$top/build/drivers/$release-$arch}
autoconf=$kdir/include/config/auto.conf

[ -f "$symvers" ] || { echo "build: no gpu-sched-deps Module.symvers at $symvers (build gpu-sched-deps for $kdir first)" >&2; exit 2; }
grep -q 'gsd_drm_sched_job_arm' "$symvers" || { echo "build: $symvers does not export gsd_drm_sched_job_arm" >&2; exit 2; }

nm=${cross}nm
command -v "$nm" >/dev/null || nm="nm"

make_args=(-C "$kdir" "GSD_DIR=$gsd" "KBUILD_EXTRA_SYMBOLS=$symvers")
[ -n "${ARCH:-}" ] && make_args+=("ARCH=$ARCH")
[ -n "$cross" ] && make_args+=("CROSS_COMPILE=$cross")
[ -n "${GSD_CC:-}" ] && make_args+=("CC=$GSD_CC")

# Check a built module; print what is wrong, return non-zero if anything is.
check_module() {
	local ko=$1 deps bad ns
	deps=,$(modinfo -F depends "$ko"),
	case $deps in
	*,gpu-sched-deps,*) ;;
	*) echo "does not depend on gpu-sched-deps (depends:${deps//,/ })"; return 1 ;;
	esac
	case $deps in
	*,gpu-sched,*|*,gpu_sched,*) echo "depends on the kernel's gpu-sched"; return 1 ;;
	esac
	ns=$(modinfo -F import_ns "$ko" | sort -u)
	[ "$ns" = GPU_SCHED_DEPS ] || { echo "imports namespaces '$ns', expected GPU_SCHED_DEPS"; return 1; }
	bad=$("$nm" -u "$ko" | awk '{ print $NF }' |
		grep -E 'drm_sched|to_drm_sched_fence' | grep -v '^gsd_' || true)
	[ -z "$bad" ] || { echo "uses the kernel's scheduler symbols:" $bad; return 1; }
}

status=0
for drv in $drivers; do
	dir=$out/$drv
	cfg=CONFIG_DRM_$(echo "$drv" | tr a-z A-Z)
	why=
	case $(sed -n "s/^$cfg=//p" "$autoconf") in
	m) ;;
	y) why="$cfg=y, the driver is built into the kernel and cannot be replaced by a module" ;;
	*) why="$cfg is not set in $kdir: the kernel does not build this driver" ;;
	esac
	if [ -n "$why" ]; then
		if [ "$named" -gt 0 ]; then
			echo "build: $drv on $release: $why (needs =m)" >&2
			status=1
		else
			echo "build: $drv on $release: skipped: $why"
		fi
		continue
	fi
	rc=0
	"$here"/convert.sh -o "$dir" "$ksrc" "$drv" || rc=$?
	case $rc in
	0) ;;
	3) continue ;;		# 5.16+: nothing to convert, said so
	*) status=1; continue ;;
	esac
	if ! make "${make_args[@]}" "M=$dir" modules > "$dir.log" 2>&1; then
		tail -n 30 "$dir.log" >&2
		echo "build: $drv on $release: build failed (log: $dir.log)" >&2
		rm -f "$dir"/*.ko
		status=1
		continue
	fi
	if ! why=$(check_module "$dir/$drv.ko"); then
		echo "build: $drv on $release: $why" >&2
		rm -f "$dir"/*.ko
		status=1
		continue
	fi
	echo "build: $drv on $release: built $dir/$drv.ko"
done
exit $status
