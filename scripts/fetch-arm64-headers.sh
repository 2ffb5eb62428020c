#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# fetch-arm64-headers.sh DEST [VERSION]
#
# Unpack Debian's arm64 linux-headers for a 6.1 kernel into DEST, usable as
# KDIR for a cross build on an amd64 host:
#
#   KDIR=$(scripts/fetch-arm64-headers.sh /var/tmp/gsd/arm64-headers)
#
# Only that folder goes to stdout; every message goes to stderr.
#   make KDIR=$KDIR ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-
#
# VERSION is the kernel ABI name, e.g. 6.1.0-56; empty or absent means the
# newest one the archive has.  Needs root (dpkg --add-architecture, apt-get
# update) the first time, the host's linux-kbuild-6.1 and
# gcc-aarch64-linux-gnu.
#
# The headers are downloaded and unpacked, never installed: installing the
# arm64 package would replace the native toolchain.  Their scripts/ and tools/
# links point at ../../lib/linux-kbuild-6.1, which is made to resolve to the
# host's (Multi-Arch: foreign) copy, and their Makefile's absolute include of
# the -common tree is pointed into DEST.

set -eu

usage() {
	echo "usage: $0 DEST [VERSION]   (VERSION like 6.1.0-56; default: newest)" >&2
	exit 2
}

if [ $# -lt 1 ] || [ $# -gt 2 ] || [ -z "$1" ]; then
	usage
fi
dest=$1
version=${2-}
version=${version%-arm64}

die() {
	echo "fetch-arm64-headers: $*" >&2
	exit 1
}

kbuild=/usr/lib/linux-kbuild-6.1
[ -d "$kbuild/scripts" ] ||
	die "$kbuild is missing; install the host's kbuild: apt-get install linux-kbuild-6.1"

if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	echo "fetch-arm64-headers: enabling the arm64 architecture in dpkg" >&2
	dpkg --add-architecture arm64
	apt-get update >&2
fi

newest() {
	apt-cache search --names-only '^linux-headers-6\.1\.0-[0-9]+-arm64$' |
		awk '{ print $1 }' | sort -V | tail -n 1
}
pkg=$(newest)
if [ -z "$pkg" ]; then
	apt-get update >&2
	pkg=$(newest)
fi
[ -n "$pkg" ] || die "the package archive has no linux-headers-6.1.0-*-arm64"
if [ -n "$version" ]; then
	pkg=linux-headers-$version-arm64
	apt-cache show "$pkg:arm64" >/dev/null 2>&1 ||
		die "the package archive has no $pkg (arm64)"
fi
abi=${pkg#linux-headers-}
abi=${abi%-arm64}

debver=$(apt-cache show --no-all-versions "$pkg:arm64" |
	sed -n 's/^Version: //p')
hostver=$(dpkg-query -W -f '${Version}' linux-kbuild-6.1 2>/dev/null) || :
if [ "$hostver" != "$debver" ]; then
	echo "fetch-arm64-headers: note: headers are $debver, host linux-kbuild-6.1 is ${hostver:-unknown}" >&2
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# apt-get download drops to the _apt user where it can write.
chmod 755 "$tmp"
chown _apt "$tmp" 2>/dev/null || :
(cd "$tmp" && apt-get download -q "$pkg:arm64" "linux-headers-$abi-common") >&2

mkdir -p "$dest"
dest=$(cd "$dest" && pwd)
for deb in "$tmp"/*.deb; do
	dpkg -x "$deb" "$dest"
done

mkdir -p "$dest/usr/lib"
ln -sfn "$kbuild" "$dest/usr/lib/linux-kbuild-6.1"

kdir=$dest/usr/src/linux-headers-$abi-arm64
[ -f "$kdir/Makefile" ] || die "unexpected package layout: no $kdir/Makefile"
sed -i "s|^include /usr/src/linux-headers-$abi-common/|include $dest/usr/src/linux-headers-$abi-common/|" \
	"$kdir/Makefile"
grep -q "^include $dest/" "$kdir/Makefile" ||
	die "could not point $kdir/Makefile at the unpacked -common tree"
[ -e "$kdir/scripts/Makefile.build" ] ||
	die "$kdir/scripts does not resolve to $kbuild/scripts"

echo "fetch-arm64-headers: $pkg $debver unpacked; build with ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-" >&2
echo "$kdir"
