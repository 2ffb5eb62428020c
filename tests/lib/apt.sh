# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
#
# Debian packages for the test harness: install what is missing, fetch
# foreign-architecture packages without installing them.
#
# Needs: GSD_CACHE (download cache folder).
#
# Callers capture the stdout of some functions here (and of those that call
# them) as their result: every diagnostic goes to stderr.

GSD_APT_UPDATED=${GSD_APT_UPDATED:-}
GSD_APT_OPTS=(-o DPkg::Lock::Timeout=600 -o APT::Get::List-Cleanup=false)

pkg_installed() {
	[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed ]
}

apt_update() {
	[ -z "$GSD_APT_UPDATED" ] || return 0
	echo "apt-get update" >&2
	apt-get "${GSD_APT_OPTS[@]}" -q update >"$GSD_RESULTS/apt-update.log" 2>&1 || {
		tail -n 20 "$GSD_RESULTS/apt-update.log" >&2
		return 1
	}
	GSD_APT_UPDATED=1
}

# apt_ensure PKG...: install the packages that are not installed yet.
apt_ensure() {
	local p missing=()
	for p; do
		pkg_installed "$p" || missing+=("$p")
	done
	[ ${#missing[@]} -gt 0 ] || return 0
	if [ "$(id -u)" != 0 ]; then
		echo "tests/run: missing packages: ${missing[*]}; run as root or install them" >&2
		return 1
	fi
	apt_update
	echo "apt-get install ${missing[*]}" >&2
	DEBIAN_FRONTEND=noninteractive apt-get "${GSD_APT_OPTS[@]}" -q -y \
		--no-install-recommends install "${missing[@]}" \
		>"$GSD_RESULTS/apt-install.log" 2>&1 || {
		tail -n 30 "$GSD_RESULTS/apt-install.log" >&2
		return 1
	}
}

# depends_of PKG PREFIX: the first dependency of an installed metapackage
# that starts with PREFIX, without the prefix (linux-headers-amd64 ->
# "6.1.0-56-amd64").
depends_of() {
	dpkg-query -W -f='${Depends}\n' "$1" 2>/dev/null | tr ',|' '\n\n' |
		sed -n "s/^ *$2\([^ ]*\).*/\1/p" | head -n 1
}

# foreign_arch ARCH: let apt fetch packages of ARCH (dpkg --add-architecture,
# then apt-get update if its package lists are not known yet).
foreign_arch() {
	local arch=$1
	if ! dpkg --print-foreign-architectures | grep -qx "$arch"; then
		[ "$(id -u)" = 0 ] || {
			echo "tests/run: need root to add the $arch architecture" >&2
			return 1
		}
		dpkg --add-architecture "$arch" >&2
		GSD_APT_UPDATED=
	fi
	if [ -z "$(apt-cache madison "busybox-static:$arch" 2>/dev/null)" ]; then
		GSD_APT_UPDATED=
		apt_update
	fi
}

# deb_unpack PKG:ARCH DEST: download the package (apt-get download, into
# the cache) and unpack it into DEST with dpkg -x; never installed.  DEST
# is kept while the package version does not change.
deb_unpack() {
	local pkg=$1 dest=$2 ver debs deb
	ver=$(apt-cache show --no-all-versions "$pkg" 2>/dev/null |
		sed -n 's/^Version: //p' | head -n 1)
	[ -n "$ver" ] || {
		echo "tests/run: apt knows no package $pkg" >&2
		return 1
	}
	if [ -f "$dest/.gsd-unpacked" ] &&
	   [ "$(cat "$dest/.gsd-unpacked")" = "$pkg $ver" ]; then
		return 0
	fi
	debs=$GSD_CACHE/debs
	mkdir -p "$debs"
	# apt-get download drops to the _apt user where it can write there.
	chown _apt "$debs" 2>/dev/null || :
	deb=$(ls "$debs/${pkg%%:*}_${ver//:/%3a}_"*.deb 2>/dev/null | head -n 1) || :
	if [ -z "$deb" ]; then
		echo "apt-get download $pkg ($ver)" >&2
		(cd "$debs" && apt-get "${GSD_APT_OPTS[@]}" -q download "$pkg=$ver") \
			>"$GSD_RESULTS/apt-download.log" 2>&1 || {
			tail -n 20 "$GSD_RESULTS/apt-download.log" >&2
			return 1
		}
		deb=$(ls "$debs/${pkg%%:*}_${ver//:/%3a}_"*.deb | head -n 1)
	fi
	rm -rf "$dest"
	mkdir -p "$dest"
	dpkg -x "$deb" "$dest"
	echo "$pkg $ver" >"$dest/.gsd-unpacked"
}
