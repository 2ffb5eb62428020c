#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# run-board.sh: the gpu-sched-deps board test, for CI labs (LAVA, KernelCI)
# and the qemu rehearsal.  POSIX sh, busybox-compatible; downloads nothing.
#
#   1. loads gpu-sched-deps and the (patched) driver of the board's GPU,
#      found from the device tree's compatible strings (panfrost, lima,
#      v3d, etnaviv), and checks that the driver runs on gpu-sched-deps,
#      and vgem for the implicit-sync tests when the kernel has it;
#      with no such GPU (or GSD_VGPU=1) it loads vgem and gsd_vgpu, the
#      test-only virtual driver of tests/board/vgpu;
#   2. runs the scheduler suite (gpu-sched-deps-test.ko: KUnit, or its
#      fallback runner) and turns its KTAP into one line per case;
#   3. runs the userspace tests (gsd_board_tests) and the IGT binaries for
#      the board's driver when they are installed (exit 0/77/98 ->
#      ok/skip/not ok);
#   4. gates: no crit/alert/emerg line in dmesg (the whole boot, as
#      KernelCI's baseline), lockdep still on where /proc/lockdep_stats
#      exists, no WARNING/BUG/Oops/lockdep splat since the start.
#
# Output: KTAP version 1 on stdout (or /dev/kmsg with GSD_KMSG=1), one line
# per test, ending with "# Totals: pass:P fail:F skip:S total:T"; LAVA
# test-case signals through lava-test-case when it exists, else echoed when
# a LAVA environment is detected (GSD_LAVA=1 forces, GSD_LAVA=0 disables).
# Exit status 1 if any test failed.
#
# Settings (environment):
#   GSD_KO_DIR      folder of .ko files to insmod (with an optional "deps"
#                   file of "name dep dep..." lines); default: modprobe
#   GSD_TESTS_DIR   folder of gsd_board_tests (default: next to this script,
#                   then PATH)
#   GSD_IGT_DIR     folder of IGT test binaries (default: the usual install
#                   folders, then PATH)
#   GSD_VGPU        auto (default: when no board GPU), 1 or 0
#   GSD_GPU         force the driver (panfrost|lima|v3d|etnaviv|none)
#   GSD_SUITE_WAIT  seconds to wait for the scheduler suite (default 600)
#   GSD_TEST_TIMEOUT seconds per userspace test (default 300)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
GSD_KO_DIR=${GSD_KO_DIR:-}
GSD_TESTS_DIR=${GSD_TESTS_DIR:-}
GSD_IGT_DIR=${GSD_IGT_DIR:-}
GSD_VGPU=${GSD_VGPU:-auto}
GSD_GPU=${GSD_GPU:-}
GSD_SUITE_WAIT=${GSD_SUITE_WAIT:-600}
GSD_TEST_TIMEOUT=${GSD_TEST_TIMEOUT:-300}
GSD_KMSG=${GSD_KMSG:-0}
GSD_LAVA=${GSD_LAVA:-}

tmp=$(mktemp -d /tmp/gsd-board.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
: >"$tmp/results"
n=0

# ------------------------------------------------------------ output

out() {
	if [ "$GSD_KMSG" = 1 ]; then
		echo "$*" >/dev/kmsg
	else
		echo "$*"
	fi
}

kmsg() {
	echo "gsd-board: $*" >/dev/kmsg 2>/dev/null || :
}

if [ -z "$GSD_LAVA" ]; then
	GSD_LAVA=0
	if command -v lava-test-case >/dev/null 2>&1 ||
	   env | grep -q '^LAVA_'; then
		GSD_LAVA=1
	fi
fi

lava() {	# lava ID pass|fail|skip
	[ "$GSD_LAVA" = 1 ] || return 0
	if command -v lava-test-case >/dev/null 2>&1; then
		lava-test-case "$1" --result "$2" >/dev/null 2>&1 || :
	else
		out "<LAVA_SIGNAL_TESTCASE TEST_CASE_ID=$1 RESULT=$2>"
	fi
}

# result ok|fail|skip NAME [REASON]: one KTAP line (printed at the end), a
# LAVA signal now.  Diagnostics for the line are in $tmp/diag.
result() {
	n=$((n + 1))
	{
		if [ -s "$tmp/diag" ]; then
			sed 's/^/# /' "$tmp/diag"
		fi
		case $1 in
		ok) echo "ok $n $2" ;;
		skip) echo "ok $n $2 # SKIP ${3:-}" ;;
		*) [ -z "${3:-}" ] || echo "# $2: $3"
		   echo "not ok $n $2" ;;
		esac
	} >>"$tmp/results"
	: >"$tmp/diag"
	case $1 in
	ok) lava "$2" pass ;;
	skip) lava "$2" skip ;;
	*) lava "$2" fail ;;
	esac
	kmsg "$2: $1${3:+ ($3)}"
}
: >"$tmp/diag"

# ------------------------------------------------------------ modules

loaded() {
	[ -d "/sys/module/$1" ]
}

# load NAME: modprobe, or insmod from GSD_KO_DIR with its deps first.
# (local: busybox ash, dash and bash all have it.)
# shellcheck disable=SC3043,SC2013
load() {
	local d
	loaded "$1" && return 0
	if [ -n "$GSD_KO_DIR" ] && [ -f "$GSD_KO_DIR/$1.ko" ]; then
		if [ -f "$GSD_KO_DIR/deps" ]; then
			for d in $(sed -n "s/^$1 //p" "$GSD_KO_DIR/deps"); do
				load "$d" || return 1
			done
		fi
		loaded "$1" || insmod "$GSD_KO_DIR/$1.ko" 2>>"$tmp/diag"
		return
	fi
	modprobe "$1" 2>>"$tmp/diag"
}

available() {
	if [ -n "$GSD_KO_DIR" ] && [ -f "$GSD_KO_DIR/$1.ko" ]; then
		return 0
	fi
	loaded "$1" || modinfo "$1" >/dev/null 2>&1
}

# ------------------------------------------------------------ the GPU

# The compatible strings of enabled device-tree nodes, one per line.
dt_compatibles() {
	[ -d /proc/device-tree ] || return 0
	find /proc/device-tree/ -name compatible 2>/dev/null |
	while read -r f; do
		st=${f%/compatible}/status
		if [ -f "$st" ]; then
			case $(tr -d '\000' <"$st") in
			ok|okay) ;;
			*) continue ;;
			esac
		fi
		tr '\000' '\n' <"$f"
	done
}

gpu_driver() {
	dt_compatibles | while read -r c; do
		case $c in
		arm,mali-t[0-9]*|arm,mali-bifrost|arm,mali-valhall*)
			echo panfrost ;;
		arm,mali-400|arm,mali-450) echo lima ;;
		brcm,2711-v3d|brcm,7268-v3d|brcm,2712-v3d) echo v3d ;;
		vivante,gc) echo etnaviv ;;
		esac
	done | head -n 1
}

# ------------------------------------------------------------ steps

kmsg "begin (kernel $(uname -r))"
start_marker="gsd-board: begin"
[ -w /proc/sys/kernel/hung_task_timeout_secs ] &&
	echo 300 >/proc/sys/kernel/hung_task_timeout_secs

# Lines of dmesg since this run began, without timestamps.
dmesg_since() {
	dmesg | sed 's/^\[ *[0-9.]*\] //' |
		awk -v m="$start_marker" 'index($0, m) == 1 { n = NR; next }
			{ l[NR] = $0 } END { for (i = n + 1; i <= NR; i++) print l[i] }'
}

gpu=${GSD_GPU:-$(gpu_driver)}
[ "$gpu" != none ] || gpu=
if [ "$GSD_VGPU" = auto ]; then
	if [ -z "$gpu" ]; then GSD_VGPU=1; else GSD_VGPU=0; fi
fi

# 1. Modules.
if load gpu_sched_deps; then
	result ok load.gpu_sched_deps
else
	result fail load.gpu_sched_deps "cannot load gpu-sched-deps"
fi

for drv in panfrost lima v3d etnaviv; do
	if [ "$drv" != "$gpu" ]; then
		result skip "driver.$drv" "no $drv GPU in the device tree"
		continue
	fi
	if ! load "$drv"; then
		result fail "driver.$drv" "cannot load $drv"
	elif [ -d "/sys/module/gpu_sched_deps/holders/$drv" ]; then
		result ok "driver.$drv"
	else
		result fail "driver.$drv" \
			"$drv does not use gpu-sched-deps (the in-tree driver is loaded?)"
	fi
done

if [ "$GSD_VGPU" = 1 ]; then
	for m in vgem gsd_vgpu; do
		if load "$m"; then
			result ok "load.$m"
		else
			result fail "load.$m" "cannot load $m"
		fi
	done
else
	# The <driver>-implicit-sync tests fence a vgem buffer.
	if ! available vgem; then
		result skip load.vgem "no vgem module (CONFIG_DRM_VGEM)"
	elif load vgem; then
		result ok load.vgem
	else
		result fail load.vgem "cannot load vgem"
	fi
	result skip load.gsd_vgpu "the board has a GPU"
fi

# 2. The scheduler suite: cases as "sched.<suite>.<case>".
suite_lines() {
	awk '
	function flush_suite() {
		if (suite != "" && !done)
			print "fail sched." suite " suite ended without a result"
	}
	/^    # Subtest: / { flush_suite(); suite = $3; done = 0; next }
	/^    (not )?ok [0-9]+ / && suite != "" {
		line = $0; sub(/^    /, "", line)
		st = (line ~ /^not ok/) ? "fail" : "ok"
		sub(/^(not )?ok [0-9]+ (- )?/, "", line)
		name = line; reason = ""
		if (line ~ / # SKIP/) {
			st = "skip"; reason = line
			sub(/ # SKIP ?/, "\t", reason); sub(/^[^\t]*\t/, "", reason)
			sub(/ # SKIP.*/, "", name)
		}
		sub(/ #.*/, "", name)
		print st " sched." suite "." name " " reason
		next
	}
	/^(not )?ok [0-9]+ / && suite != "" { done = 1 }
	END { flush_suite() }'
}

if available gpu_sched_deps_test; then
	if load gpu_sched_deps_test; then
		waited=0
		while ! dmesg_since | grep -q '# Totals:'; do
			[ "$waited" -lt "$GSD_SUITE_WAIT" ] || break
			sleep 1
			waited=$((waited + 1))
		done
		dmesg_since >"$tmp/suite"
		suite_lines <"$tmp/suite" >"$tmp/cases"
		while read -r st name reason; do
			result "$st" "$name" "$reason"
		done <"$tmp/cases"
		if ! grep -q '# Totals:' "$tmp/suite"; then
			result fail sched.totals "no '# Totals:' after ${GSD_SUITE_WAIT}s"
		elif [ ! -s "$tmp/cases" ]; then
			result fail sched.totals "no test case in the suite output"
		else
			grep '# Totals:' "$tmp/suite" | tail -n 1 |
				sed 's/^ *# Totals:/suite totals:/' >"$tmp/diag"
			result ok sched.totals
		fi
		rmmod gpu_sched_deps_test 2>>"$tmp/diag" || :
	else
		result fail sched.suite "cannot load gpu-sched-deps-test"
	fi
else
	result fail sched.suite "gpu-sched-deps-test.ko is not installed"
fi

# 3. Userspace tests, IGT-style binaries.
# run_igt_style ID BIN SUBTEST: one result from the exit status.
run_igt_style() {
	id=$1 bin=$2 sub=$3
	set +e
	if command -v timeout >/dev/null 2>&1; then
		timeout "$GSD_TEST_TIMEOUT" "$bin" --run-subtest "$sub" \
			>"$tmp/out" 2>&1
	else
		"$bin" --run-subtest "$sub" >"$tmp/out" 2>&1
	fi
	rc=$?
	set -e
	tail -n 20 "$tmp/out" >"$tmp/diag"
	case $rc in
	0) : >"$tmp/diag"; result ok "$id" ;;
	77) : >"$tmp/diag"
	    result skip "$id" "$(tail -n 1 "$tmp/out" | tr -d '#')" ;;
	79) result skip "$id" "no such subtest" ;;
	98) result fail "$id" "failed" ;;
	124|143) result fail "$id" "timed out after ${GSD_TEST_TIMEOUT}s" ;;
	*) result fail "$id" "exit status $rc" ;;
	esac
}

find_bin() {	# find_bin NAME DIR...
	b=$1
	shift
	for d in "$@"; do
		[ -n "$d" ] && [ -x "$d/$b" ] && { echo "$d/$b"; return 0; }
	done
	command -v "$b" 2>/dev/null
}

tests_bin=$(find_bin gsd_board_tests "$GSD_TESTS_DIR" "$here" \
	"$here/userspace") || tests_bin=
if [ -n "$tests_bin" ]; then
	for sub in $("$tests_bin" --list-subtests); do
		run_igt_style "user.$sub" "$tests_bin" "$sub"
	done
else
	result fail user.gsd_board_tests "gsd_board_tests is not installed"
fi

# IGT for the board's driver (lima and etnaviv have none).
igt_bins() {
	case $1 in
	panfrost) echo panfrost_submit panfrost_gem_new panfrost_get_param \
		panfrost_prime ;;
	v3d) echo v3d_submit_cl v3d_submit_csd v3d_job_submission v3d_wait_bo ;;
	esac
}

for drv in panfrost v3d; do
	for b in $(igt_bins $drv); do
		if [ "$drv" != "$gpu" ]; then
			result skip "igt.$b" "no $drv GPU"
			continue
		fi
		bin=$(find_bin "$b" "$GSD_IGT_DIR" /usr/libexec/igt-gpu-tools \
			/usr/local/libexec/igt-gpu-tools) || bin=
		if [ -z "$bin" ]; then
			result skip "igt.$b" "IGT binary $b is not installed"
			continue
		fi
		subs=$("$bin" --list-subtests 2>/dev/null) || subs=
		if [ -z "$subs" ]; then
			result fail "igt.$b" "$b --list-subtests printed nothing"
			continue
		fi
		for sub in $subs; do
			run_igt_style "igt.$b.$sub" "$bin" "$sub"
		done
	done
done

# 4. Unload what only the tests need; gates.
if [ "$GSD_VGPU" = 1 ]; then
	if rmmod gsd_vgpu 2>>"$tmp/diag" && ! loaded gsd_vgpu; then
		result ok unload.gsd_vgpu
	else
		result fail unload.gsd_vgpu "rmmod gsd_vgpu failed"
	fi
fi

# KernelCI's baseline: any crit, alert or emerg line of the boot fails.
for lvl in crit:2 alert:1 emerg:0; do
	name=${lvl%%:*}
	pri=${lvl##*:}
	dmesg -r 2>/dev/null | awk -v p="$pri" '
		match($0, /^<[0-9]+>/) {
			v = substr($0, 2, RLENGTH - 2) % 8
			if (v == p) print
		}' >"$tmp/lvl"
	if [ -s "$tmp/lvl" ]; then
		head -n 10 "$tmp/lvl" >"$tmp/diag"
		result fail "gate.dmesg_$name" "$(wc -l <"$tmp/lvl") line(s)"
	else
		result ok "gate.dmesg_$name"
	fi
done

if [ -r /proc/lockdep_stats ]; then
	if grep -q 'debug_locks: *1' /proc/lockdep_stats; then
		result ok gate.lockdep
	else
		result fail gate.lockdep "lockdep turned itself off (a lock splat)"
	fi
else
	result skip gate.lockdep "no lockdep in this kernel"
fi

# Splats since the start; the suite brackets the ones it provokes on
# purpose with gsd-expect-splat: begin/end.
dmesg_since | awk '
	/gsd-expect-splat: begin/ { skip = 1 }
	/gsd-expect-splat: end/ { skip = 0; next }
	!skip' | grep -E 'WARNING:|BUG:|Oops|Kernel panic|Call [Tt]race|INFO: task .* blocked|refcount_t:|list_(add|del) corruption|possible (recursive|circular) locking|inconsistent lock state|KASAN:|UBSAN:|rcu_.*stall' \
	>"$tmp/splat" || :
if [ -s "$tmp/splat" ]; then
	head -n 10 "$tmp/splat" >"$tmp/diag"
	result fail gate.no_splat "$(wc -l <"$tmp/splat") line(s)"
else
	result ok gate.no_splat
fi

# ------------------------------------------------------------ report

pass=$(grep -c '^ok [0-9]* [^#]*$' "$tmp/results" || :)
skip=$(grep -c '^ok [0-9]* .* # SKIP' "$tmp/results" || :)
fail=$(grep -c '^not ok ' "$tmp/results" || :)
kmsg "ktap begin"
{
	echo "KTAP version 1"
	echo "1..$n"
	cat "$tmp/results"
	echo "# Totals: pass:$pass fail:$fail skip:$skip total:$n"
} | while IFS= read -r line; do
	out "$line"
done
kmsg "done"
[ "$fail" -eq 0 ]
