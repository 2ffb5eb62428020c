# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
#
# The CI conversion test (drivers/README.md): gsd_legacy, an old-style test
# driver (tests/convert/legacy), is converted by drivers/convert.sh in each
# old-API form the common rules handle, built against gpu-sched-deps, and
# exercised by the KUnit suite "gsd_legacy" (tests/convert/legacy-test).
# Sourced by tests/run after tests/lib/common.sh (gate, build_gates, kmake).
#
# The sources are the 5.15 form; api-5.10.patch turns them into the 5.10
# form (void timedout_job, six-argument drm_sched_init) and api-5.4.patch,
# on top, into the 5.4 form (run-queue list for drm_sched_entity_init).
# negative.patch is a variant the rules must refuse.

LEGACY_FORMS="5.4 5.10 5.15"

# legacy_features FORM: the old-API features of FORM, as convert.sh -f.
legacy_features() {
	case $1 in
	5.4) echo "timedout-void entity-rq-list sched-init-6" ;;
	5.10) echo "timedout-void sched-init-6" ;;
	5.15) echo none ;;
	*) return 1 ;;
	esac
}

# legacy_src FORM DIR [PATCH]: the old-style sources in FORM (plus PATCH).
legacy_src() {
	local form=$1 dir=$2 extra=${3:-} src=$GSD_TOP/tests/convert/legacy p
	local patches=()
	case $form in
	5.4) patches=("$src/api-5.10.patch" "$src/api-5.4.patch") ;;
	5.10) patches=("$src/api-5.10.patch") ;;
	esac
	[ -z "$extra" ] || patches+=("$extra")
	rm -rf "$dir"
	mkdir -p "$dir"
	cp "$src"/*.[ch] "$src/Makefile" "$dir/"
	for p in "${patches[@]}"; do
		patch -s -p1 --fuzz=0 --no-backup-if-mismatch -d "$dir" <"$p" ||
			return 1
	done
}

# legacy_convert FORM SRC OUT: drivers/convert.sh on the sources in SRC.
legacy_convert() {
	"$GSD_TOP/drivers/convert.sh" -o "$3" -s "$2" \
		-f "$(legacy_features "$1")" -k "API $1" gsd_legacy
}

# legacy_build TARGET LABEL KDIR GSD_DIR DIR LOG [ARCH CROSS]: build the
# converted driver in DIR against GSD_DIR (gpu-sched-deps built for KDIR).
legacy_build() {
	local t=$1 label=$2 kdir=$3 gsd=$4 dir=$5 log=$6 arch=${7:-} cross=${8:-}
	build_gates "$t" "$label" "$dir" "$log" -- \
		kmake -C "$kdir" M="$dir" GSD_DIR="$gsd" \
		KBUILD_EXTRA_SYMBOLS="$gsd/Module.symvers" \
		${arch:+ARCH=$arch} ${cross:+CROSS_COMPILE=$cross} W=1 C=1 modules
}

# legacy_gates TARGET DIR KDIR GSD_DIR: convert every form twice (the
# output must be byte-identical), build each, and check that a variant
# the rules do not fit is refused with one line naming driver, API, piece.
legacy_gates() {
	local t=$1 dir=$2/legacy kdir=$3 gsd=$4 form out err line
	rm -rf "$dir"
	mkdir -p "$dir"
	for form in $LEGACY_FORMS; do
		out=$dir/conv-$form
		err=$dir/convert-$form.log
		if ! legacy_src "$form" "$dir/src-$form" 2>"$err" ||
		   ! legacy_convert "$form" "$dir/src-$form" "$out" 2>>"$err" >/dev/null; then
			gate "$t" fail "convert: gsd_legacy, API $form" "$(tail -n 1 "$err")"
			continue
		fi
		gate "$t" ok "convert: gsd_legacy, API $form" \
			"$(sed -n 's/^applied://p' "$out/.gsd-conversion" | wc -w) rule files"
		if legacy_convert "$form" "$dir/src-$form" "$out.again" 2>>"$err" >/dev/null &&
		   diff -r "$out" "$out.again" >"$dir/diff-$form.log" 2>&1; then
			gate "$t" ok "convert: gsd_legacy, API $form, byte-identical again"
		else
			gate "$t" fail "convert: gsd_legacy, API $form, byte-identical again" \
				"see $dir/diff-$form.log"
		fi
		rm -rf "$out.again"
		legacy_build "$t" "gsd_legacy.ko, API $form (W=1 C=1)" "$kdir" "$gsd" \
			"$out" "$dir/build-$form.log" || :
	done

	# Negative: the fence array set up in the allocation helper instead of
	# the submit leaves the rule placing drm_sched_job_init() unmatched.
	err=$dir/negative.log
	out=$dir/conv-negative
	if ! legacy_src 5.10 "$dir/src-negative" \
		"$GSD_TOP/tests/convert/legacy/negative.patch" 2>"$err"; then
		gate "$t" fail "convert: non-matching gsd_legacy refused" "$(tail -n 1 "$err")"
		return 0
	fi
	if legacy_convert 5.10 "$dir/src-negative" "$out" >/dev/null 2>"$err"; then
		gate "$t" fail "convert: non-matching gsd_legacy refused" "it converted"
	elif line=$(cat "$err") && [ "$(wc -l <"$err")" = 1 ] &&
	     [ "$line" = "convert: gsd_legacy on API 5.10: cocci/gsd_legacy/gsd_legacy_submit.c.cocci: rule job_init did not match" ] &&
	     [ ! -e "$out" ] && [ ! -e "$out.tmp" ]; then
		gate "$t" ok "convert: non-matching gsd_legacy refused" "$line"
	else
		gate "$t" fail "convert: non-matching gsd_legacy refused" \
			"expected one line naming gsd_legacy, API 5.10, rule job_init and no output; see $err"
	fi
}

# shellcheck disable=SC2034 # LEGACY_KOS is read by tests/run
# legacy_boot_modules TARGET DIR KDIR GSD_DIR [ARCH CROSS]: convert the
# 5.4 form (every common rule applies), build it and its KUnit module;
# sets LEGACY_KOS to what was built.  GSD_DIR must be built with
# `make tests` (the suite uses the fault-injection hook).
legacy_boot_modules() {
	local t=$1 dir=$2/legacy kdir=$3 gsd=$4 arch=${5:-} cross=${6:-}
	local out=$2/legacy/conv-5.4 test=$4/tests/convert/legacy-test
	LEGACY_KOS=()
	rm -rf "$dir"
	mkdir -p "$dir"
	if ! legacy_src 5.4 "$dir/src-5.4" 2>"$dir/convert.log" ||
	   ! legacy_convert 5.4 "$dir/src-5.4" "$out" 2>>"$dir/convert.log" >/dev/null; then
		gate "$t" fail "convert: gsd_legacy, API 5.4" "$(tail -n 1 "$dir/convert.log")"
		return 0
	fi
	legacy_build "$t" "gsd_legacy.ko, API 5.4 (W=1 C=1)" "$kdir" "$gsd" "$out" \
		"$dir/build.log" "$arch" "$cross" || return 0
	build_gates "$t" "gsd_legacy_test.ko (W=1 C=1)" "$test" "$dir/build-test.log" -- \
		kmake -C "$kdir" M="$test" GSD_DIR="$gsd" LEGACY_DIR="$out" \
		KBUILD_EXTRA_SYMBOLS="$gsd/Module.symvers $out/Module.symvers" \
		${arch:+ARCH=$arch} ${cross:+CROSS_COMPILE=$cross} W=1 C=1 modules || return 0
	LEGACY_KOS=(--ko "$out/gsd_legacy.ko" --ko "$test/gsd_legacy_test.ko")
}

# new_kernel_gates TARGET DIR KDIR GSD_DIR: a kernel that has the
# dependency API (Debian's linux-source-6.1: its Makefile, scheduler header
# and v3d, unpacked once into the cache) is skipped by convert.sh (exit 3,
# one line, no output) and gets no driver from drivers/plan.sh; a driver
# the kernel has built in (=y) is refused by drivers/build.sh; of the
# default drivers, those the config does not build are skipped.
new_kernel_gates() {
	local t=$1 dir=$2/new-kernel kdir=$3 gsd=$4 tarball=/usr/src/linux-source-6.1.tar.xz
	local ver tree rc=0 msg plan
	rm -rf "$dir"
	mkdir -p "$dir"
	ver=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null) || ver=unknown
	tree=$GSD_CACHE/linux-source-$ver-v3d
	if [ ! -f "$tree/drivers/gpu/drm/v3d/v3d_gem.c" ]; then
		rm -rf "$tree.tmp"
		mkdir -p "$tree.tmp"
		if ! tar -xJf "$tarball" -C "$tree.tmp" --strip-components=1 \
			--wildcards '*/Makefile' '*/include/drm/gpu_scheduler.h' \
			'*/drivers/gpu/drm/v3d/*' 2>"$dir/unpack.log"; then
			gate "$t" fail "convert: a 5.16+ tree is skipped" "cannot unpack $tarball"
			return 0
		fi
		rm -rf "$tree"
		mv "$tree.tmp" "$tree"
	fi
	"$GSD_TOP/drivers/convert.sh" -o "$dir/v3d" "$tree" v3d >/dev/null 2>"$dir/convert.log" || rc=$?
	msg=$(cat "$dir/convert.log")
	if [ $rc -eq 3 ] && [ "$(wc -l <"$dir/convert.log")" = 1 ] &&
	   case $msg in *"skipped, the kernel has the dependency API"*) true ;; *) false ;; esac &&
	   [ ! -e "$dir/v3d" ]; then
		gate "$t" ok "convert: a 5.16+ tree is skipped" "$msg"
	else
		gate "$t" fail "convert: a 5.16+ tree is skipped" "exit $rc: $msg"
	fi
	plan=$("$GSD_TOP/drivers/plan.sh" "$tree" "$kdir" 2>"$dir/plan.log") || plan=error
	if [ -z "$plan" ] && grep -q 'has the dependency API' "$dir/plan.log"; then
		gate "$t" ok "dkms: no driver planned for a 5.16+ tree" "$(cat "$dir/plan.log")"
	else
		gate "$t" fail "dkms: no driver planned for a 5.16+ tree" "plan: '$plan'; see $dir/plan.log"
	fi

	mkdir -p "$dir/kdir-y/include/config"
	echo 5.15.0-gsd-builtin >"$dir/kdir-y/include/config/kernel.release"
	echo CONFIG_DRM_V3D=y >"$dir/kdir-y/include/config/auto.conf"
	rc=0
	GSD_DIR=$gsd OUT=$dir/out-y "$GSD_TOP/drivers/build.sh" "$tree" \
		"$dir/kdir-y" v3d >/dev/null 2>"$dir/builtin.log" || rc=$?
	if [ $rc -ne 0 ] &&
	   grep -q '^build: v3d on 5.15.0-gsd-builtin: CONFIG_DRM_V3D=y, the driver is built into the kernel' "$dir/builtin.log" &&
	   [ -z "$(find "$dir/out-y" -name '*.ko' 2>/dev/null)" ]; then
		gate "$t" ok "build: a built-in (=y) driver is refused" "$(cat "$dir/builtin.log")"
	else
		gate "$t" fail "build: a built-in (=y) driver is refused" "exit $rc; see $dir/builtin.log"
	fi

	# Debian 11's arm64 config has no V3D and no ETNAVIV: of the default
	# four, a driver the config does not build is a skip with its reason;
	# named on the command line, it is a failure.
	mkdir -p "$dir/kdir-n/include/config"
	echo 5.10.0-gsd-unset >"$dir/kdir-n/include/config/kernel.release"
	echo CONFIG_DRM=m >"$dir/kdir-n/include/config/auto.conf"
	rc=0
	GSD_DIR=$gsd OUT=$dir/out-n "$GSD_TOP/drivers/build.sh" "$tree" \
		"$dir/kdir-n" >"$dir/unset.log" 2>&1 || rc=$?
	if [ $rc -eq 0 ] &&
	   [ "$(grep -c '^build: [a-z0-9]* on 5.10.0-gsd-unset: skipped: CONFIG_DRM_[A-Z0-9]* is not set' "$dir/unset.log")" = 4 ] &&
	   [ -z "$(find "$dir/out-n" -name '*.ko' 2>/dev/null)" ]; then
		gate "$t" ok "build: drivers the config does not build are skipped" \
			"$(sed -n 's/^build: v3d on [^:]*: //p' "$dir/unset.log")"
	else
		gate "$t" fail "build: drivers the config does not build are skipped" "exit $rc; see $dir/unset.log"
	fi
	rc=0
	GSD_DIR=$gsd OUT=$dir/out-n "$GSD_TOP/drivers/build.sh" "$tree" \
		"$dir/kdir-n" v3d >"$dir/unset-named.log" 2>&1 || rc=$?
	if [ $rc -ne 0 ] &&
	   grep -q '^build: v3d on 5.10.0-gsd-unset: CONFIG_DRM_V3D is not set.*(needs =m)' "$dir/unset-named.log"; then
		gate "$t" ok "build: a driver asked for by name but not configured fails" "$(cat "$dir/unset-named.log")"
	else
		gate "$t" fail "build: a driver asked for by name but not configured fails" "exit $rc; see $dir/unset-named.log"
	fi
}
