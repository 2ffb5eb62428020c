#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the x86_64 debug kernel described by debug.config (next to this
# script) from Debian's linux-source-6.1 tarball, with its modules.
#
# The source is unpacked once into the cache. Each build folder is named
# after a hash of the fragment's option lines, the base config and the
# source version, so changing an option gives a fresh build and anything
# else (comments included) an incremental, usually no-op, make. Runs are
# serialised with flock.
# Build folders of older fragments are left in the cache.
#
# On success, prints exactly these lines on stdout (messages go to stderr):
#   KDIR=<build folder, usable as KDIR for out-of-tree modules>
#   KERNEL_IMAGE=<build folder>/arch/x86/boot/bzImage
#   MODULES_DIR=<build folder>/modroot/lib/modules/<release>
#
# Environment:
#   GSD_KERNEL_CACHE    cache (default /var/cache/gpu-sched-deps/kernel)
#   GSD_KERNEL_TARBALL  source (default /usr/src/linux-source-6.1.tar.xz)
#   GSD_KERNEL_JOBS     make -j value (default: nproc)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
fragment=$here/debug.config
base=tinyconfig
tarball=${GSD_KERNEL_TARBALL:-/usr/src/linux-source-6.1.tar.xz}
cache=${GSD_KERNEL_CACHE:-/var/cache/gpu-sched-deps/kernel}
jobs=${GSD_KERNEL_JOBS:-$(nproc)}
src=
out=
log=

msg() { echo "build-debug-kernel: $*" >&2; }
die() { msg "$*"; exit 1; }

# Run a command with its output in the log; on failure show the log.
step() {
	echo "+ $*" >>"$log"
	if ! "$@" >>"$log" 2>&1; then
		msg "FAILED: $*"
		# With make -j the first error can be far from the end.
		msg "first errors in $log:"
		grep -m 10 -E 'error:|Error [0-9]' "$log" >&2 || true
		msg "last lines of $log:"
		tail -n 40 "$log" >&2
		exit 1
	fi
}

kmake() {
	nice -n 10 make -C "$src" O="$out" ARCH=x86_64 "$@"
}

# The source's identity: the owning package's version, else its content.
source_version() {
	local pkg

	if pkg=$(dpkg -S "$tarball" 2>/dev/null); then
		pkg=${pkg%%:*}
		echo "$pkg $(dpkg-query -W -f='${Version}' "$pkg")"
	else
		sha256sum <"$tarball" | cut -c1-16
	fi
}

unpack_source() {
	[ -d "$src" ] && return
	msg "unpacking $tarball into $src"
	rm -rf "$src.tmp"
	mkdir -p "$src.tmp"
	step nice -n 10 tar -xJf "$tarball" -C "$src.tmp" --strip-components=1
	mv "$src.tmp" "$src"
}

# The fragment's settings, in order: "CONFIG_X=v" and "# CONFIG_X is not set".
option_lines() {
	grep -E '^(CONFIG_[A-Za-z0-9_]+=|# CONFIG_[A-Za-z0-9_]+ is not set$)' \
		"$fragment" || true
}

# Print each setting of the fragment that the resolved .config does not
# have with exactly the requested value ("unset" for "is not set").
dropped_options() {
	local line opt want got

	option_lines | while IFS= read -r line; do
		case $line in
		CONFIG_*)
			opt=${line%%=*}
			want=${line#*=}
			;;
		*)
			opt=${line#\# }
			opt=${opt%% *}
			want=
			;;
		esac
		got=$(sed -n "s/^$opt=//p" "$out/.config")
		if [ "$got" != "$want" ]; then
			echo "  $opt: asked ${want:-unset}, got ${got:-unset}"
		fi
	done
}

configure() {
	local bad

	if [ ! -f "$out/.config-checked" ]; then
		msg "configuring $out ($base + $fragment)"
		step kmake "$base"
		step "$src/scripts/kconfig/merge_config.sh" -m -O "$out" \
			"$out/.config" "$fragment"
		step kmake olddefconfig
	fi
	bad=$(dropped_options)
	if [ -n "$bad" ]; then
		rm -f "$out/.config-checked"
		msg "options of $fragment dropped or changed by Kconfig:"
		echo "$bad" >&2
		die "fix the fragment (missing dependencies?); see $out/.config"
	fi
	touch "$out/.config-checked"
}

# Reinstall the modules only when a module was rebuilt, so that a no-op
# run leaves alone the tree a harness may be reading.
install_modules() {
	local stamp=$out/modroot/.installed

	if [ -f "$stamp" ] && [ -z "$(find "$out" -path "$out/modroot" \
			-prune -o -name '*.ko' -newer "$stamp" -print -quit)" ]; then
		return
	fi
	rm -rf "$out/modroot"
	step kmake INSTALL_MOD_PATH="$out/modroot" modules_install
	touch "$stamp"
}

main() {
	local srcver id release

	[ -r "$tarball" ] || die "no $tarball (apt-get install linux-source-6.1)"
	[ -r "$fragment" ] || die "no $fragment"
	mkdir -p "$cache"
	cache=$(cd "$cache" && pwd)

	exec 9>"$cache/lock"
	if ! flock -n 9; then
		msg "another build holds $cache/lock, waiting"
		flock 9
	fi

	srcver=$(source_version)
	src=$cache/src-$(printf '%s' "$srcver" | tr -c 'A-Za-z0-9.+~-' _)
	id=$({ printf '%s\n%s\n' "$base" "$srcver"; option_lines; } |
		sha256sum | cut -c1-16)
	out=$cache/build-$id
	log=$out/build.log
	mkdir -p "$out"
	: >"$log"

	unpack_source
	configure
	msg "building in $out (log: $log)"
	step kmake -j"$jobs" bzImage modules
	release=$(cat "$out/include/config/kernel.release")
	install_modules
	[ -f "$out/modroot/lib/modules/$release/modules.dep" ] ||
		die "no modules.dep in $out/modroot/lib/modules/$release"

	echo "KDIR=$out"
	echo "KERNEL_IMAGE=$out/arch/x86/boot/bzImage"
	echo "MODULES_DIR=$out/modroot/lib/modules/$release"
}

# Everything runs from main, parsed whole before it starts: editing this
# file while a build runs cannot change what the running build does.
main "$@"; exit
