# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
#
# Debian roots for the harness: a minbase system built with debootstrap
# from the same archive as the host, kept as a tarball in the cache, and a
# chroot into a fresh copy of it with /proc, /sys and /dev mounted.  What
# runs in the root never touches the host's dpkg state.
#
# Needs: GSD_CACHE, GSD_RESULTS; debootstrap; gate (tests/lib/common.sh)
# for root_step.

# The archive the host uses (its first deb.debian.org-style URI), so that a
# root sees the same packages as the host.
GSD_MIRROR=${GSD_MIRROR:-}

root_mirror() {
	local m=$GSD_MIRROR
	if [ -z "$m" ]; then
		m=$(grep -rhsE '^(URIs:|deb) ' /etc/apt/sources.list \
			/etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources |
			grep -oE 'https?://[^ ]*/debian/?( |$)' | head -n 1) || :
		m=${m%% }
	fi
	printf '%s\n' "${m:-http://deb.debian.org/debian}"
}

# root_sources SUITE MIRROR: the sources.list of a fresh installation of
# SUITE: the release, its updates and its security suite.
root_sources() {
	local suite=$1 mirror=${2%/} sec
	sec=${mirror%/debian}/debian-security
	printf 'deb %s %s main\n' "$mirror" "$suite"
	printf 'deb %s %s-updates main\n' "$mirror" "$suite"
	printf 'deb %s %s-security main\n' "$sec" "$suite"
}

# root_tarball SUITE: print the path of the cached minbase tarball of
# SUITE (amd64), building it first if it is not there.  Diagnostics and
# debootstrap's log go to stderr and $GSD_RESULTS/root-SUITE.log.
root_tarball() {
	local suite=$1 tar dir mirror log
	tar=$GSD_CACHE/roots/$suite-amd64-minbase.tar.gz
	log=$GSD_RESULTS/root-$suite.log
	if [ -s "$tar" ]; then
		printf '%s\n' "$tar"
		return 0
	fi
	command -v debootstrap >/dev/null || {
		echo "tests/run: debootstrap is not installed" >&2
		return 1
	}
	mirror=$(root_mirror)
	dir=$GSD_CACHE/roots/$suite.building
	rm -rf "$dir"
	mkdir -p "$dir"
	echo "debootstrap --variant=minbase $suite from $mirror (log: $log)" >&2
	if ! debootstrap --variant=minbase --arch=amd64 "$suite" "$dir" \
		"$mirror" >"$log" 2>&1; then
		echo "tests/run: debootstrap $suite failed: $(tail -n 1 "$log")" >&2
		rm -rf "$dir"
		return 1
	fi
	root_sources "$suite" "$mirror" >"$dir/etc/apt/sources.list"
	# Nothing of the build host: the root starts with empty apt lists.
	rm -rf "$dir/var/lib/apt/lists/"* "$dir/var/cache/apt/archives/"*.deb
	if ! { tar -C "$dir" -czf "$tar.tmp" . && mv "$tar.tmp" "$tar"; }; then
		rm -f "$tar.tmp"
		echo "tests/run: cannot write $tar" >&2
		return 1
	fi
	rm -rf "$dir"
	printf '%s\n' "$tar"
}

# root_mounted DIR: something is still mounted at or below DIR.
root_mounted() {
	local dir
	dir=$(cd "$1" 2>/dev/null && pwd) || return 1
	awk -v d="$dir/" 'index($2 "/", d) == 1 { f = 1 } END { exit !f }' /proc/mounts
}

# root_remove DIR: unmount, then delete DIR; refuses while anything is
# still mounted below it (a bound /dev would be deleted with it).
root_remove() {
	local dir=$1
	root_umount "$dir"
	if root_mounted "$dir"; then
		echo "tests/run: $dir still has mounts; not removing it" >&2
		return 1
	fi
	rm -rf "$dir"
}

# root_unpack TARBALL DIR: a fresh root in DIR.
root_unpack() {
	local tar=$1 dir=$2
	root_remove "$dir" || return 1
	mkdir -p "$dir"
	tar -C "$dir" -xzf "$tar"
}

# root_prepare TARGET SUITE LABEL DIR LOG: a fresh root of SUITE in DIR
# (the cached tarball, built if missing), gated as "root: LABEL minbase";
# non-zero, after one line naming the problem, when there is none.
root_prepare() {
	local target=$1 suite=$2 label=$3 dir=$4 log=$5 tar t0=$SECONDS
	if ! tar=$(root_tarball "$suite" 2>"$log"); then
		gate "$target" fail "root: $label minbase" "$(tail -n 1 "$log")"
		return 1
	fi
	if ! root_unpack "$tar" "$dir" 2>>"$log"; then
		gate "$target" fail "root: $label minbase" "$(tail -n 1 "$log")"
		return 1
	fi
	gate "$target" ok "root: $label minbase" "$tar, $((SECONDS - t0))s"
}

# root_mount DIR [APT_ARCHIVES]: the kernel file systems, the host's name
# resolution, and optionally a folder of cached .deb files for apt.
root_mount() {
	local dir=$1 debs=${2:-}
	mountpoint -q "$dir/proc" || mount -t proc proc "$dir/proc"
	mountpoint -q "$dir/sys" || mount -t sysfs sysfs "$dir/sys"
	mountpoint -q "$dir/dev" || mount --rbind /dev "$dir/dev"
	mkdir -p "$dir/dev/shm"
	cp -L /etc/resolv.conf "$dir/etc/resolv.conf" 2>/dev/null || :
	if [ -n "$debs" ]; then
		mkdir -p "$debs" "$dir/var/cache/apt/archives"
		mountpoint -q "$dir/var/cache/apt/archives" ||
			mount --bind "$debs" "$dir/var/cache/apt/archives"
	fi
}

# root_umount DIR: undo root_mount (and any mount below DIR).
root_umount() {
	local dir=$1 m
	[ -d "$dir" ] || return 0
	dir=$(cd "$dir" && pwd)
	# Deepest first.
	awk -v d="$dir/" 'index($2 "/", d) == 1 { print $2 }' /proc/mounts |
		sort -r | while read -r m; do
			umount -l "$m" 2>/dev/null || :
		done
}

# root_run DIR COMMAND...: run COMMAND as root in the chroot, with the
# environment of a fresh login (no variable of the harness leaks in).
root_run() {
	local dir=$1
	shift
	env -i HOME=/root TERM="${TERM:-dumb}" LANG=C.UTF-8 \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		chroot "$dir" "$@"
}

# root_step TARGET DIR NAME LOG COMMAND...: COMMAND in the root DIR
# (root_run), its output in LOG, gated on its exit status; the gate says
# how long it took.  On failure the note names apt's first error (a missing
# package, a 404) and the log's last lines follow.
root_step() {
	local target=$1 dir=$2 name=$3 log=$4 rc=0 t0=$SECONDS err
	shift 4
	root_run "$dir" "$@" >"$log" 2>&1 || rc=$?
	if [ $rc -eq 0 ]; then
		gate "$target" ok "$name" "$((SECONDS - t0))s"
	else
		err=$(grep -m 1 '^E: ' "$log") || :
		gate "$target" fail "$name" \
			"${err:+$err; }exit status $rc after $((SECONDS - t0))s, log $log"
		tail -n 15 "$log" | sed 's/^/        /'
	fi
	return $rc
}
