# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
#
# Target debian11 (sourced by tests/run): gpu-sched-deps as a Debian 11
# (bullseye) user meets it, with bullseye's DKMS 2.8.4, gcc-10 and 5.10
# headers.  In a bullseye minbase root (tests/lib/root.sh, cached as a
# tarball; sources bullseye, bullseye-updates, bullseye-security), as root
# and with an empty environment:
#
#   apt-get install dkms linux-headers-<ABI>-amd64   (ABI pinned, below)
#   apt-get install ./gpu-sched-deps-dkms_*.deb      (built on the host by
#                                                     `make deb`), reinstall,
#                                                     purge
#   make dkms-install, make dkms-remove              (from a checkout copied
#                                                     into the root)
#   make W=1 C=1                                     (gcc-10, sparse)
#
# then on the host, against the same headers unpacked with dpkg -x, the
# W=1 C=1 build with CC=gcc-12 (bullseye has no gcc-12).  Each install is
# checked with dkms status, modinfo (path, vermagic, compiler) and, after
# each removal, for leftovers under /usr/src, /var/lib/dkms and
# /lib/modules/*/updates.  Nothing of this reaches the host's dpkg state or
# apt sources; that is checked too.  Last, Debian 11's stock kernel
# (linux-image-<ABI>-amd64-unsigned, fetched in the root) boots under qemu
# with the suites and the coexistence test, as stock-amd64 does for 6.1.
#
# GSD_DEB11_ABI: the pinned kernel ABI (default 5.10.0-32, bullseye main's
# 5.10.223; bullseye-security lists newer amd64 ones).  apt runs with
# --no-install-recommends: with them, `apt install ./gpu-sched-deps-dkms_*.deb`
# also pulls linux-headers-amd64 (the newest ABI of bullseye-security) and
# DKMS builds for both kernels; GSD_DEB11_RECOMMENDS=1 runs that path.
# The .deb files apt downloads are kept in GSD_CACHE/debian11-debs.
#
# Needs tests/lib/common.sh, tests/lib/root.sh, tests/fresh/fresh.sh
# (fresh_export).

DEB11_ABI=${GSD_DEB11_ABI:-5.10.0-32}
DEB11_KVER=$DEB11_ABI-amd64

# deb11_step NAME LOG COMMAND...: one command in the root, gated.
deb11_step() {
	root_step debian11 "$DEB11_ROOT" "$@"
}

# deb11_in COMMAND...: run COMMAND in the root, its output on stdout.
deb11_in() {
	root_run "$DEB11_ROOT" "$@" 2>&1
}

# deb11_apt_opts: the options of every apt-get install here.
deb11_apt_opts() {
	if [ "${GSD_DEB11_RECOMMENDS:-0}" = 1 ]; then
		echo "-y -q"
	else
		echo "-y -q --no-install-recommends"
	fi
}

# deb11_suites: each of the three suites is in apt's policy after update;
# a missing one is named.
deb11_suites() {
	local pol s missing=''
	pol=$(deb11_in apt-cache policy)
	for s in bullseye bullseye-updates bullseye-security; do
		printf '%s\n' "$pol" | grep -q " $s/main amd64 Packages" ||
			missing="$missing $s"
	done
	if [ -z "$missing" ]; then
		gate debian11 ok "apt sources: bullseye, bullseye-updates, bullseye-security"
	else
		gate debian11 fail "apt sources: bullseye, bullseye-updates, bullseye-security" \
			"no package list for:$missing"
	fi
	[ -z "$missing" ]
}

# deb11_installed LABEL: gpu-sched-deps is installed for DEB11_KVER, as
# dkms status and modinfo see it, built with bullseye's gcc-10.
deb11_installed() {
	local label=$1 st path magic comment ver
	st=$(deb11_in dkms status)
	if printf '%s\n' "$st" | grep -qE "^gpu-sched-deps(, |/)$GSD_VERSION, $DEB11_KVER, x86_64: installed"; then
		gate debian11 ok "$label: dkms status" "$(printf '%s\n' "$st" | grep "$DEB11_KVER" | head -n 1)"
	else
		gate debian11 fail "$label: dkms status" "no 'installed' line for $DEB11_KVER: '$(printf '%s' "$st" | tr '\n' ' ')'"
	fi
	path=$(deb11_in modinfo -k "$DEB11_KVER" -n gpu-sched-deps)
	magic=$(deb11_in modinfo -k "$DEB11_KVER" -F vermagic gpu-sched-deps)
	ver=$(deb11_in modinfo -k "$DEB11_KVER" -F version gpu-sched-deps)
	if [ "$path" = "/lib/modules/$DEB11_KVER/updates/dkms/gpu-sched-deps.ko" ] &&
	   [ "${magic%% *}" = "$DEB11_KVER" ] && [ "$ver" = "$GSD_VERSION" ]; then
		gate debian11 ok "$label: modinfo" "$path, vermagic $magic"
	else
		gate debian11 fail "$label: modinfo" "path '$path', vermagic '$magic', version '$ver'"
	fi
	comment=$(deb11_in readelf -p .comment "$path" | grep -o 'GCC: .*' | sort -u)
	case $comment in
	"GCC: (Debian 10."*) gate debian11 ok "$label: built with bullseye's gcc-10" "$comment" ;;
	*) gate debian11 fail "$label: built with bullseye's gcc-10" "compiler: '$comment'" ;;
	esac
}

# deb11_clean LABEL: nothing of gpu-sched-deps is left in the root.
deb11_clean() {
	local label=$1 left st
	left=$(deb11_in sh -c 'ls -d /usr/src/gpu-sched-deps-* /var/lib/dkms/gpu-sched-deps 2>/dev/null
		find /lib/modules -path "*/updates/*" ! -type d 2>/dev/null')
	st=$(deb11_in dkms status | grep gpu-sched-deps) || :
	if [ -z "$left" ] && [ -z "$st" ]; then
		gate debian11 ok "$label: nothing left" "no file under /usr/src, /var/lib/dkms, /lib/modules/*/updates; dkms status empty"
	else
		gate debian11 fail "$label: nothing left" "$(printf '%s %s' "$left" "$st" | tr '\n' ' ')"
	fi
}

# deb11_headers: print the folder of DEB11_KVER's headers unpacked on the
# host (dpkg -x of the headers, -common and kbuild packages apt fetched in
# the root), the -common include rewritten to the unpacked copy.
deb11_headers() {
	local debs=$GSD_CACHE/debian11-debs dest=$GSD_CACHE/debian11/headers-$DEB11_KVER
	local p f list='' kdir
	for p in "linux-headers-$DEB11_KVER" "linux-headers-$DEB11_ABI-common" linux-kbuild-5.10; do
		f=$(find "$debs" -maxdepth 1 -name "${p}_*.deb" | sort -V | tail -n 1)
		[ -n "$f" ] || {
			echo "tests/run: no $p package in $debs (the root's apt install did not fetch it)" >&2
			return 1
		}
		list="$list ${f##*/}"
	done
	kdir=$dest/usr/src/linux-headers-$DEB11_KVER
	if [ "$(cat "$dest/.gsd-unpacked" 2>/dev/null)" != "$list" ]; then
		rm -rf "$dest"
		mkdir -p "$dest"
		for f in $list; do
			dpkg -x "$debs/$f" "$dest" || return 1
		done
		sed -i "s|^include /usr/src/|include $dest/usr/src/|" "$kdir/Makefile"
		printf '%s\n' "$list" >"$dest/.gsd-unpacked"
	fi
	[ -f "$kdir/scripts/basic/fixdep" ] || {
		echo "tests/run: $kdir/scripts/basic/fixdep is missing (linux-kbuild-5.10)" >&2
		return 1
	}
	printf '%s\n' "$kdir"
}

# deb11_image_deb: the cached image package of DEB11_KVER, if any.
deb11_image_deb() {
	find "$GSD_CACHE/debian11-debs" -maxdepth 1 \
		-name "linux-image-$DEB11_KVER-unsigned_*.deb" 2>/dev/null | sort -V | tail -n 1
}

# deb11_image: print the folder the image package is unpacked in (cached;
# boot/vmlinuz-KVER, lib/modules/KVER with modules.dep).
deb11_image() {
	local deb dest=$GSD_CACHE/debian11/image-$DEB11_KVER
	deb=$(deb11_image_deb)
	[ -n "$deb" ] || {
		echo "tests/run: linux-image-$DEB11_KVER-unsigned was not downloaded (see apt-image.log)" >&2
		return 1
	}
	if [ "$(cat "$dest/.gsd-unpacked" 2>/dev/null)" != "${deb##*/}" ]; then
		rm -rf "$dest"
		mkdir -p "$dest"
		dpkg -x "$deb" "$dest" || return 1
		depmod -b "$dest" "$DEB11_KVER" >&2 || return 1
		printf '%s\n' "${deb##*/}" >"$dest/.gsd-unpacked"
	fi
	printf '%s\n' "$dest"
}

# deb11_boot KDIR: Debian 11's stock 5.10 amd64 kernel under qemu with the
# suites and the coexistence test (boot_target), our modules built on the
# host against KDIR with CC=gcc-12 (the host has no gcc-10; the kernel
# checks no compiler version when loading a module).
# shellcheck disable=SC2034 # the T_* variables are boot_target's input
deb11_boot() {
	local kdir=$1 img
	if ! img=$(deb11_image 2>"$GSD_RESULTS/debian11/image.log"); then
		gate debian11 fail "boot: Debian 11 kernel $DEB11_KVER" "$(tail -n 1 "$GSD_RESULTS/debian11/image.log")"
		return 0
	fi
	T_KDIR=$kdir T_IMAGE=$img/boot/vmlinuz-$DEB11_KVER
	T_MODDIR=$img/lib/modules/$DEB11_KVER
	T_ARCH=x86_64 T_KARCH='' T_CROSS='' T_CC=gcc-12
	T_BUSYBOX=$(busybox_for amd64)
	T_TIMEOUT=${GSD_QEMU_TIMEOUT:-900} T_MEM=1024
	T_KMEMLEAK=0 T_POWER="poweroff -f" T_LEGACY=0
	boot_target debian11
}

# deb11_root_make LOG ARGS...: make ARGS in the root, the log's in-root
# paths rewritten to host paths (for our_diagnostics).
deb11_root_make() {
	root_run "$DEB11_ROOT" make "$@" 2>&1 |
		sed "s|/root/gpu-sched-deps|$DEB11_ROOT/root/gpu-sched-deps|g"
	return "${PIPESTATUS[0]}"
}

# deb11_host: the host's dpkg and apt sources know nothing of bullseye.
deb11_host() {
	local pk src
	pk=$(dpkg-query -W -f='${Package}\n' 2>/dev/null |
		grep -E '^(linux-(headers|image|kbuild)-5\.10|gpu-sched-deps-dkms$)' | tr '\n' ' ') || :
	src=$(grep -rlsw bullseye /etc/apt/sources.list /etc/apt/sources.list.d/ | tr '\n' ' ') || :
	if [ -z "$pk$src" ]; then
		gate debian11 ok "host untouched: no Debian 11 package in its dpkg, no bullseye in its apt sources"
	else
		gate debian11 fail "host untouched: no Debian 11 package in its dpkg, no bullseye in its apt sources" \
			"${pk:+packages: $pk}${src:+sources: $src}"
	fi
}

target_debian11() {
	local dir=$GSD_RESULTS/debian11 t0 deb opts kdir chk=/root/gpu-sched-deps
	local out magic probe
	GSD_VERSION=$(sed -n 's/^VERSION := *//p' "$GSD_TOP/Makefile")
	DEB11_ROOT=$dir/root
	mkdir -p "$dir"
	root_remove "$DEB11_ROOT" || {
		gate debian11 fail "root" "cannot remove the previous root $DEB11_ROOT"
		return 0
	}
	rm -rf "$dir/checkout" "$dir/w1" "$dir/gcc12"
	rm -f "$dir"/*.log
	opts=$(deb11_apt_opts)

	# The package, built on the host as the README says.
	fresh_export "$dir/checkout"
	t0=$SECONDS
	if (cd "$dir/checkout" && make --no-print-directory deb) >"$dir/make-deb.log" 2>&1; then
		deb=$(ls "$dir/checkout"/gpu-sched-deps-dkms_*_all.deb)
		gate debian11 ok "make deb (host)" "${deb##*/}, $((SECONDS - t0))s"
	else
		gate debian11 fail "make deb (host)" "$(tail -n 1 "$dir/make-deb.log")"
		return 0
	fi

	root_prepare debian11 bullseye "Debian 11" "$DEB11_ROOT" "$dir/root.log" ||
		return 0
	trap 'root_umount "$DEB11_ROOT"' EXIT
	root_mount "$DEB11_ROOT" "$GSD_CACHE/debian11-debs"
	cp "$deb" "$DEB11_ROOT/root/"
	deb=/root/${deb##*/}

	deb11_step "apt-get update" "$dir/apt-update.log" apt-get update -q || return 0
	deb11_suites || return 0
	out=$(deb11_in apt-cache policy "linux-headers-$DEB11_KVER" | sed -n 's/^ *Candidate: //p')
	if [ -z "$out" ] || [ "$out" = "(none)" ]; then
		gate debian11 fail "pinned kernel: linux-headers-$DEB11_KVER" \
			"bullseye offers no linux-headers-$DEB11_KVER (GSD_DEB11_ABI=$DEB11_ABI)"
		return 0
	fi
	# shellcheck disable=SC2086 # $opts: apt-get options
	deb11_step "apt install dkms linux-headers-$DEB11_KVER" "$dir/apt-install.log" \
		env DEBIAN_FRONTEND=noninteractive apt-get install $opts \
		dkms "linux-headers-$DEB11_KVER" || return 0
	say "  in the root: dkms $(deb11_in dpkg-query -W -f='${Version}' dkms)," \
		"$(deb11_in gcc-10 --version | head -n 1), headers $out"

	# The .deb: install, reinstall, purge.
	# shellcheck disable=SC2086
	if deb11_step "apt install ./${deb##*/}" "$dir/deb-install.log" \
		sh -c 'cd /root && DEBIAN_FRONTEND=noninteractive apt-get install '"$opts"' "$1"' \
		sh "./${deb##*/}"; then
		grep -E '^(Building (for|initial)|Loading|DKMS|It is likely)|Installing to' \
			"$dir/deb-install.log" | sed 's/^/        /'
		deb11_installed ".deb"
	fi
	if deb11_step "apt install --reinstall ./${deb##*/}" "$dir/deb-reinstall.log" \
		sh -c 'cd /root && DEBIAN_FRONTEND=noninteractive apt-get install --reinstall '"$opts"' "$1"' \
		sh "./${deb##*/}"; then
		deb11_installed ".deb reinstalled"
	fi
	deb11_step "apt purge gpu-sched-deps-dkms" "$dir/deb-purge.log" \
		env DEBIAN_FRONTEND=noninteractive apt-get purge -y -q gpu-sched-deps-dkms || :
	out=$(deb11_in dpkg-query -W -f='${db:Status-Status}' gpu-sched-deps-dkms) || :
	if [ "$out" = not-installed ] || [ -z "$out" ] ||
	   case $out in *"no packages found"*) true ;; *) false ;; esac; then
		gate debian11 ok "purge: dpkg forgets the package" "${out:-not-installed}"
	else
		gate debian11 fail "purge: dpkg forgets the package" "status '$out'"
	fi
	deb11_clean "purge"

	# make dkms-install / dkms-remove from a checkout in the root.
	fresh_export "$DEB11_ROOT$chk"
	if deb11_step "make dkms-install (checkout in the root)" "$dir/dkms-install.log" \
		make -C "$chk" --no-print-directory dkms-install; then
		grep '^gpu-sched-deps: ' "$dir/dkms-install.log" | sed 's/^/        /'
		if grep -q "^gpu-sched-deps: $GSD_VERSION installed for $DEB11_KVER: /lib/modules/$DEB11_KVER/updates/dkms/gpu-sched-deps.ko" \
			"$dir/dkms-install.log"; then
			gate debian11 ok "make dkms-install: says where it installed the module"
		else
			gate debian11 fail "make dkms-install: says where it installed the module" \
				"no 'installed for $DEB11_KVER' line in $dir/dkms-install.log"
		fi
		deb11_installed "make dkms-install"
	fi
	deb11_step "make dkms-remove" "$dir/dkms-remove.log" \
		make -C "$chk" --no-print-directory dkms-remove || :
	deb11_clean "make dkms-remove"

	# W=1 C=1 with gcc-10 in the root (sparse from bullseye).
	# shellcheck disable=SC2086
	if deb11_step "apt install sparse" "$dir/apt-sparse.log" \
		env DEBIAN_FRONTEND=noninteractive apt-get install $opts sparse; then
		build_gates debian11 "gpu-sched-deps.ko (W=1 C=1, gcc-10, in the root)" \
			"$DEB11_ROOT$chk" "$dir/build-gcc10.log" -- \
			deb11_root_make -C "$chk" -j"$GSD_JOBS" \
			KDIR="/lib/modules/$DEB11_KVER/build" W=1 C=1 modules || :
	fi
	# Debian 11's stock kernel, for the boot below: fetched in the root
	# (bullseye's sources), into the cached archives folder.
	if [ -z "$(deb11_image_deb)" ]; then
		deb11_step "apt-get download linux-image-$DEB11_KVER-unsigned" \
			"$dir/apt-image.log" sh -c \
			'cd /var/cache/apt/archives && apt-get download -q "$1"' sh \
			"linux-image-$DEB11_KVER-unsigned" || :
	fi
	deb11_host
	root_umount "$DEB11_ROOT"
	trap - EXIT

	# W=1 C=1 with gcc-12 on the host, against the same headers.
	if ! kdir=$(deb11_headers 2>"$dir/headers.log"); then
		gate debian11 fail "build: gpu-sched-deps.ko (W=1 C=1, gcc-12, host)" \
			"no unpacked $DEB11_KVER headers: $(tail -n 1 "$dir/headers.log")"
		return 0
	fi
	copy_tree "$dir/gcc12"
	if build_gates debian11 "gpu-sched-deps.ko (W=1 C=1, gcc-12, host)" \
		"$dir/gcc12" "$dir/build-gcc12.log" -- \
		kmake -C "$dir/gcc12" KDIR="$kdir" CC=gcc-12 W=1 C=1 modules; then
		out=$(readelf -p .comment "$dir/gcc12/gpu-sched-deps.ko" | grep -o 'GCC: .*' | sort -u)
		magic=$(modinfo -F vermagic "$dir/gcc12/gpu-sched-deps.ko")
		# The probes' canary object says which compiler the feature tests ran.
		probe=$(grep -o 'gcc-[0-9]*' "$dir/gcc12/compat/generated/.probes/.gsd_canary.o.cmd" 2>/dev/null | sort -u | tr '\n' ' ')
		case $out:$probe in
		"GCC: (Debian 12."*:"gcc-12 ")
			gate debian11 ok "gcc-12 build: the feature tests and the module used gcc-12" \
				"$out; vermagic $magic" ;;
		*)
			gate debian11 fail "gcc-12 build: the feature tests and the module used gcc-12" \
				"module: '$out', feature tests: '$probe'" ;;
		esac
	fi
	deb11_boot "$kdir"
}
