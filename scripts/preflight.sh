#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# preflight.sh KDIR - refuse, with one readable message, a kernel build tree
# gpu-sched-deps cannot be built against.  Runs before any compiler.

kdir=$1

fail() {
	echo "gpu-sched-deps: $1" >&2
	[ -n "$2" ] && echo "  fix: $2" >&2
	exit 1
}

[ -n "$kdir" ] || fail "KDIR is empty" "pass KDIR=/path/to/kernel/build"
[ -d "$kdir" ] || fail "kernel build tree '$kdir' does not exist" \
	"install the headers of the target kernel (Debian: apt install linux-headers-\$(uname -r)) or pass KDIR=/path/to/kernel/build"
[ -f "$kdir/Makefile" ] || fail "'$kdir' is not a kernel build tree (no Makefile)" \
	"pass KDIR=<the kernel's build directory, e.g. /lib/modules/<version>/build>"
if [ ! -f "$kdir/include/generated/autoconf.h" ] ||
   [ ! -f "$kdir/include/config/auto.conf" ]; then
	fail "kernel tree '$kdir' is not configured and prepared" \
		"run 'make olddefconfig modules_prepare' in it (or install the distribution's headers package)"
fi

release=$(cat "$kdir/include/config/kernel.release" 2>/dev/null)
[ -n "$release" ] || fail "cannot read the kernel release of '$kdir' (include/config/kernel.release)" \
	"run 'make modules_prepare' in the kernel tree"

# The supported range is a product decision, not an API probe: 5.4 is the
# oldest kernel the compatibility layer is written and tested for.
major=${release%%.*}
rest=${release#*.}
minor=${rest%%[!0-9]*}
case "$major$minor" in
*[!0-9]*|"") fail "cannot parse kernel release '$release'" ;;
esac
if [ "$major" -lt 5 ] || { [ "$major" -eq 5 ] && [ "$minor" -lt 4 ]; }; then
	fail "kernel $release is not supported: gpu-sched-deps needs Linux 5.4 or later" \
		"build against a 5.4, 5.10, 5.15, 6.1 or 6.12 kernel"
fi

conf="$kdir/include/config/auto.conf"
need() {
	grep -q "^$1=[ym]" "$conf" ||
		fail "kernel $release is configured without $1, which gpu-sched-deps needs" "$2"
}
need CONFIG_MODULES "rebuild the kernel with CONFIG_MODULES=y"
need CONFIG_DRM "rebuild the kernel with CONFIG_DRM=y or =m"
need CONFIG_DMA_SHARED_BUFFER "rebuild the kernel with CONFIG_DMA_SHARED_BUFFER=y"
grep -q '^CONFIG_SYNC_FILE=y' "$conf" || \
	echo "gpu-sched-deps: note: kernel $release has no CONFIG_SYNC_FILE; the drivers will lack sync_file in-fences" >&2
exit 0
