# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
#
# Debian's kernels and busybox for the harness targets: the installed amd64
# ones, and the arm64 ones downloaded and unpacked (never installed: an
# installed arm64 headers package would replace the native toolchain).
#
# Needs tests/lib/apt.sh, GSD_TOP, GSD_CACHE.

# amd64_release META: the kernel release an installed metapackage points at
# (linux-headers-amd64 -> 6.1.0-56-amd64, linux-headers-6.12-amd64 -> ...).
amd64_release() {
	depends_of "$1" linux-headers-
}

# arm64_headers: print the KDIR of Debian's 6.1 arm64 headers, downloaded
# and unpacked by scripts/fetch-arm64-headers.sh (which prints the folder as
# its last line) into the cache; fetched once per harness run.
arm64_headers() {
	local fetch=$GSD_TOP/scripts/fetch-arm64-headers.sh memo kdir
	memo=$GSD_RESULTS/.arm64-kdir
	if [ -f "$memo" ]; then
		kdir=$(cat "$memo")
		[ -f "$kdir/Makefile" ] && { printf '%s\n' "$kdir"; return 0; }
	fi
	if [ ! -x "$fetch" ]; then
		echo "tests/run: $fetch is missing" >&2
		return 1
	fi
	foreign_arch arm64 || return 1
	# The script prints the folder alone on stdout; keep its last line
	# anyway, and its exit status (a pipe into tail would hide it).
	kdir=$("$fetch" "$GSD_CACHE/debian-arm64/headers") || return 1
	kdir=${kdir##*$'\n'}
	if [ ! -f "$kdir/Makefile" ]; then
		echo "tests/run: $fetch printed no kernel build folder (got '$kdir')" >&2
		return 1
	fi
	printf '%s\n' "$kdir" >"$memo"
	printf '%s\n' "$kdir"
}

# arm64_image RELEASE: unpack Debian's arm64 kernel image package of
# RELEASE (e.g. 6.1.0-56-arm64), run depmod on it, print the folder it was
# unpacked in (vmlinuz in boot/, modules in lib/modules/RELEASE).
arm64_image() {
	local rel=$1 dest pkg
	dest=$GSD_CACHE/debian-arm64/linux-image-$rel
	foreign_arch arm64 || return 1
	pkg=linux-image-$rel:arm64
	[ -n "$(apt-cache madison "$pkg" 2>/dev/null)" ] ||
		pkg=linux-image-$rel-unsigned:arm64
	deb_unpack "$pkg" "$dest" >&2 || return 1
	if [ ! -f "$dest/lib/modules/$rel/modules.dep" ]; then
		depmod -b "$dest" "$rel" >&2 || return 1
	fi
	printf '%s\n' "$dest"
}

# busybox_for DEBARCH: print the path of a static busybox for the guest.
busybox_for() {
	local arch=$1 dest
	if [ "$arch" = "$(dpkg --print-architecture)" ]; then
		# The busybox package is dynamically linked: useless in an
		# initramfs without a libc.
		pkg_installed busybox-static || {
			echo "tests/run: busybox-static is not installed" >&2
			return 1
		}
		printf '%s\n' /bin/busybox
		return 0
	fi
	foreign_arch "$arch" || return 1
	dest=$GSD_CACHE/debian-$arch/busybox-static
	deb_unpack "busybox-static:$arch" "$dest" >&2 || return 1
	printf '%s\n' "$dest/bin/busybox"
}
