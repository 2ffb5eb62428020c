#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Convert one DRM driver of a kernel source tree to the gpu-sched-deps
# dependency API (drm_sched_job_arm, drm_sched_job_add_dependency, ...).
#
#   drivers/convert.sh [-o OUTDIR] KSRC DRIVER
#   drivers/convert.sh [-o OUTDIR] -s SRCDIR -f FEATURES -k KERNEL DRIVER
#
# Copies KSRC/drivers/gpu/drm/DRIVER to OUTDIR (default:
# build/drivers/<kernel version>/DRIVER in this repository), applies the
# semantic patches drivers/cocci/common/*.cocci and drivers/cocci/DRIVER/*.cocci
# with spatch and the textual patches drivers/patches/DRIVER/*.patch, then
# verifies the result.  On any failure it prints one line naming the driver,
# the kernel and the failed piece, removes OUTDIR and exits non-zero: a
# half-converted driver is never left behind.  The same tree always gives
# byte-identical output.
#
# The second form converts driver sources that are not in a kernel tree (the
# CI test driver, tests/convert/legacy): SRCDIR holds them, FEATURES is the
# old-API feature set that would otherwise be read from KSRC's
# gpu_scheduler.h ("timedout-void entity-rq-list sched-init-6", or "none"),
# and KERNEL names the API in messages.
#
# Rule files (see drivers/README.md):
#   // files: a.c b.h        files the rules apply to (default: all .c/.h)
#   // requires: FEATURE     apply only if KSRC's scheduler has FEATURE
# Every named rule must match at least once, except rules named opt_*
# (optional) and no_* (assertions: must never match).

set -eu
export LC_ALL=C		# file order and sort order independent of the locale

here=$(cd "$(dirname "$0")" && pwd)
out=
srcdir='' given_features='' given_kernel=''

usage() {
	echo "usage: $0 [-o OUTDIR] KSRC DRIVER" >&2
	echo "       $0 [-o OUTDIR] -s SRCDIR -f FEATURES -k KERNEL DRIVER" >&2
	exit 2
}
while getopts o:s:f:k: opt; do
	case $opt in
	o) out=$OPTARG ;;
	s) srcdir=$OPTARG ;;
	f) given_features=$OPTARG ;;
	k) given_kernel=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
if [ -n "$srcdir" ]; then
	if [ $# -ne 1 ] || [ -z "$given_features" ] || [ -z "$given_kernel" ]; then
		usage
	fi
	ksrc=
	drv=$1
else
	if [ $# -ne 2 ] || [ -n "$given_features$given_kernel" ]; then
		usage
	fi
	ksrc=$1
	drv=$2
fi

kver() {
	awk -F' *= *' '$1 == "VERSION" { v = $2 }
		$1 == "PATCHLEVEL" { p = $2 }
		$1 == "SUBLEVEL" { s = $2 }
		$1 == "EXTRAVERSION" { e = $2 }
		END { printf "%s.%s.%s%s\n", v, p, s, e }' "$1/Makefile"
}

if [ -n "$srcdir" ]; then
	kernel=$given_kernel
else
	[ -f "$ksrc/Makefile" ] || { echo "convert: $ksrc is not a kernel source tree" >&2; exit 2; }
	kernel=$(kver "$ksrc")
fi
out=${out:-$(dirname "$here")/build/drivers/$kernel/$drv}
case $out in /*) ;; *) out=$PWD/$out ;; esac
tmp=$out.tmp

fail() {
	echo "convert: $drv on $kernel: $*" >&2
	rm -rf "$tmp" "$out"
	exit 1
}

command -v spatch >/dev/null || fail "spatch not found (apt-get install coccinelle)"
command -v patch >/dev/null || fail "patch not found (apt-get install patch)"
if [ -n "$srcdir" ]; then
	src=$srcdir
	[ -d "$src" ] || fail "no driver sources in $srcdir"
else
	src=$ksrc/drivers/gpu/drm/$drv
	[ -d "$src" ] || fail "no drivers/gpu/drm/$drv in $ksrc"
fi
[ -d "$here/cocci/$drv" ] || fail "no conversion for this driver (drivers/cocci/$drv)"

# What the kernel's own scheduler API looks like decides which of the
# common (API-adapting) rule files apply; with -f it is given.
features=
if [ -n "$srcdir" ]; then
	for f in $given_features; do
		case $f in
		timedout-void|entity-rq-list|sched-init-6) features="$features $f" ;;
		none) ;;
		*) fail "unknown API feature '$f' (-f)" ;;
		esac
	done
else
	hdr=$ksrc/include/drm/gpu_scheduler.h
	[ -f "$hdr" ] || fail "no include/drm/gpu_scheduler.h"
	if grep -q 'drm_sched_job_arm' "$hdr"; then
		echo "convert: $drv on $kernel: skipped, the kernel has the dependency API (5.16+) and its drivers are converted already" >&2
		rm -rf "$tmp" "$out"
		exit 3
	fi
	grep -q 'void (\*timedout_job)' "$hdr" && features="$features timedout-void"
	grep -q 'struct drm_sched_rq \*\*rq_list' "$hdr" && features="$features entity-rq-list"
	# drm_sched_init gained score (5.13) and timeout_wq (5.15).
	has_wq=0 has_score=0
	grep -q 'struct workqueue_struct \*timeout_wq' "$hdr" && has_wq=1
	grep -q 'atomic_t \*score' "$hdr" && has_score=1
	case $has_score$has_wq in
	00) features="$features sched-init-6" ;;
	11) ;;
	*) fail "unsupported drm_sched_init signature in gpu_scheduler.h" ;;
	esac
fi

# The driver's sources, without build leftovers a vendor tree may ship.
rm -rf "$tmp"
mkdir -p "$tmp"
(cd "$src" && find . -type f ! -name '*.o' ! -name '*.ko' ! -name '*.cmd' \
	! -name '*.mod' ! -name '*.mod.c' ! -name '*.a' ! -name '*.d' \
	! -name modules.order ! -name Module.symvers ! -name '*.orig' \
	! -name '*.rej' | sort) > "$tmp/.files"
(cd "$src" && tar -cf - -T "$tmp/.files") | tar -xf - -m --no-same-owner -C "$tmp"
rm -f "$tmp/.files"

has_feature() {
	case " $features " in *" $1 "*) return 0 ;; esac
	return 1
}

# Run one rule file; record which of its rules matched.
apply_cocci() {
	local sp=$1 name files req f rules r log matched
	name=${sp#"$here"/}
	for req in $(sed -n 's|^// requires: *||p' "$sp"); do
		has_feature "$req" || return 0
	done
	files=$(sed -n 's|^// files: *||p' "$sp")
	if [ -z "$files" ]; then
		files=$(cd "$tmp" && find . -name '*.[ch]' | sort)
	fi
	for f in $files; do
		[ -f "$tmp/$f" ] || fail "$name: file $f not found"
	done
	rules=$(sed -n 's/^@ *\([A-Za-z_][A-Za-z0-9_]*\)\( [^@]*\)\{0,1\}@ *$/\1/p' "$sp" |
		grep -v '^\(script\|initialize\|finalize\)$' || true)
	[ -n "$rules" ] || fail "$name: no named rules"
	{
		cat "$sp"
		for r in $rules; do
			printf '\n@script:python depends on %s@\n@@\nprint("GSD-MATCHED %s")\n' "$r" "$r"
		done
	} > "$tmp/.sp.cocci"
	log=$tmp/.sp.log
	if ! (cd "$tmp" && spatch --sp-file .sp.cocci --in-place --no-show-diff --no-includes \
			--very-quiet $files) > "$log" 2>&1; then
		cat "$log" >&2
		fail "$name: spatch failed"
	fi
	if grep -v '^GSD-MATCHED ' "$log" | grep -q .; then
		cat "$log" >&2
		fail "$name: spatch reported problems"
	fi
	matched=$(sed -n 's/^GSD-MATCHED //p' "$log" | sort -u)
	for r in $rules; do
		case $r in
		opt_*) ;;
		no_*)
			if echo "$matched" | grep -qx "$r"; then
				fail "$name: assertion $r matched"
			fi ;;
		*)
			echo "$matched" | grep -qx "$r" ||
				fail "$name: rule $r did not match" ;;
		esac
	done
	rm -f "$tmp/.sp.cocci" "$log"
	applied="$applied $name"
}

applied=
for sp in "$here"/cocci/common/*.cocci "$here"/cocci/"$drv"/*.cocci; do
	if [ -f "$sp" ]; then
		apply_cocci "$sp"
	fi
done

# Textual patches, for what a semantic patch cannot express.  A patch
# applies to the trees that have every file it touches, and must apply
# exactly (no fuzz) there.
for p in "$here"/patches/"$drv"/*.patch; do
	[ -f "$p" ] || continue
	targets=$(sed -n 's|^+++ b/\([^[:space:]]*\).*|\1|p' "$p")
	present=1
	for f in $targets; do
		[ -f "$tmp/$f" ] || present=0
	done
	[ $present = 1 ] || continue
	patch -d "$tmp" -p1 -s --fuzz=0 --no-backup-if-mismatch < "$p" >/dev/null 2>&1 ||
		fail "textual patch ${p#"$here"/} does not apply"
	applied="$applied ${p#"$here"/}"
done

# Verification: the old API must be gone and the new one present.  The
# checks look at the code only: a copy with the comments blanked out.
all=$(cd "$tmp" && find . -name '*.[ch]' | sort)
code=$tmp/.code
mkdir -p "$code"
for f in $all; do
	mkdir -p "$code/$(dirname "$f")"
	perl -0777 -pe 's{/\*.*?\*/}{$& =~ s/[^\n]//gr}gse; s{//[^\n]*}{}g' \
		"$tmp/$f" > "$code/$f"
done
check_absent() {
	if (cd "$code" && grep -En -e "$1" $all) >&2; then
		fail "verify: $2 left"
	fi
}
check_present() {
	(cd "$code" && grep -Eq -e "$1" $all) || fail "verify: $2 missing"
}
# check_before A B WHAT: in every file, each match of B (a perl regex,
# matched across lines) comes after the first match of A.
check_before() {
	(cd "$code" && A=$1 B=$2 perl -0777 -ne '
		my $first = /$ENV{A}/s ? $-[0] : undef;
		while (/$ENV{B}/gs) {
			my $at = $-[0];
			next if defined $first && $first < $at;
			my $line = 1 + (substr($_, 0, $at) =~ tr/\n//);
			print "$ARGV:$line: " . (split /\n/, substr($_, $at))[0] . "\n";
		}' $all) > "$tmp/.before.log"
	if [ -s "$tmp/.before.log" ]; then
		cat "$tmp/.before.log" >&2
		fail "verify: $3"
	fi
	rm -f "$tmp/.before.log"
}
check_absent 'drm_gem_fence_array_add' 'drm_gem_fence_array_add*'
check_absent '\.dependency[[:space:]]*=' 'a ->dependency backend op'
check_present 'drm_sched_job_arm\(' 'drm_sched_job_arm'
check_present 'drm_sched_job_add_dependency\(' 'drm_sched_job_add_dependency'
check_present 'drm_sched_job_add_implicit_dependencies\(' \
	'drm_sched_job_add_implicit_dependencies'
# drm_sched_entity_push_job() takes exactly one argument now.
(cd "$code" && perl -0777 -ne '
	while (/\bdrm_sched_entity_push_job\s*\(((?:[^()]|\((?1)\))*)\)/g) {
		my $a = $1;
		1 while $a =~ s/\([^()]*\)//g;
		print "$ARGV: drm_sched_entity_push_job($1)\n" if $a =~ /,/;
	}' $all) > "$tmp/.push.log"
if [ -s "$tmp/.push.log" ]; then
	cat "$tmp/.push.log" >&2
	fail "verify: two-argument drm_sched_entity_push_job left"
fi
rm -f "$tmp/.push.log"
if has_feature entity-rq-list; then
	check_absent 'DRM_SCHED_PRIORITY_MAX|sched_rq\[' 'a pre-5.10 run-queue access'
fi
if [ -f "$here/cocci/$drv/verify" ]; then
	while IFS=$'\t' read -r kind re what; do
		case $kind in
		absent) check_absent "$re" "$what" ;;
		present) check_present "$re" "$what" ;;
		before) check_before "$re" "${what%%$'\t'*}" "${what#*$'\t'}" ;;
		''|'#'*) ;;
		*) fail "bad line in cocci/$drv/verify: $kind" ;;
		esac
	done < "$here/cocci/$drv/verify"
fi
rm -rf "$code"

# Kbuild for building the result as an external module against
# gpu-sched-deps: GSD_DIR (passed by drivers/build.sh) is a gpu-sched-deps
# tree configured and built for the same kernel; its include/ comes before
# the kernel's headers, so <drm/gpu_scheduler.h> is ours.
cat > "$tmp/Kbuild" <<'EOF'
# SPDX-License-Identifier: GPL-2.0-only
# Generated by gpu-sched-deps drivers/convert.sh; build with drivers/build.sh.
ifeq ($(GSD_DIR),)
$(error GSD_DIR is not set: build with gpu-sched-deps drivers/build.sh)
endif
NOSTDINC_FLAGS += -I$(GSD_DIR)/include -I$(GSD_DIR)/compat \
		  -I$(GSD_DIR)/compat/generated
include $(src)/Makefile
EOF
if [ -f "$here/patches/$drv/Kbuild.append" ]; then
	cat "$here/patches/$drv/Kbuild.append" >> "$tmp/Kbuild"
fi
{
	echo "driver: $drv"
	echo "kernel: $kernel"
	echo "features:$features"
	echo "spatch: $(spatch --version | sed -n '1s/^spatch version \([^ ]*\).*/\1/p')"
	echo "applied:$applied"
} > "$tmp/.gsd-conversion"

rm -rf "$out"
mv "$tmp" "$out"
echo "convert: $drv on $kernel: converted into $out"
