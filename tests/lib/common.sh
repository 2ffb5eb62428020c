# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
#
# Shared helpers of the test harness (sourced by tests/run).
#
# Needs: GSD_TOP (the repository), GSD_RESULTS (results folder),
# GSD_TALLY (the tally file: "STATUS<TAB>target<TAB>name<TAB>note" lines).

say() {
	printf '%s\n' "$*"
}

section() {
	printf '\n=== %s\n' "$*"
}

# record STATUS TARGET NAME [NOTE]: one line in the tally, nothing printed.
record() {
	printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "${4:-}" >>"$GSD_TALLY"
}

# gate TARGET ok|fail|skip NAME [NOTE]: a harness check, recorded and printed.
gate() {
	local target=$1 st=$2 name=$3 note=${4:-}
	case $st in
	ok) st=PASS ;;
	skip) st=SKIP ;;
	*) st=FAIL ;;
	esac
	record "$st" "$target" "$name" "$note"
	printf '  %s  %s%s\n' "$st" "$name" "${note:+: $note}"
}

# copy_tree DEST: a private copy of the repository to build in (objects
# land in the source folder, so every kernel needs its own copy).
copy_tree() {
	local dest=$1
	rm -rf "$dest"
	mkdir -p "$dest"
	(cd "$GSD_TOP" && tar -cf - --exclude=./.git --exclude=./compat/generated \
		--exclude='*.o' --exclude='*.ko' --exclude='*.mod' \
		--exclude='*.mod.c' --exclude='.*.cmd' --exclude='*.a' \
		--exclude=modules.order --exclude=Module.symvers \
		--exclude='.tmp_*' --exclude='.cache.mk' .) |
		tar -xf - -C "$dest"
}

# A kbuild make that ignores the make we may have been started from:
# `make check KDIR=.. ARCH=..` exports its variables and MAKEFLAGS, which
# would otherwise leak into every build of every target.
kmake() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES \
		-u GNUMAKEFLAGS -u KDIR -u ARCH -u CROSS_COMPILE -u CC \
		-u KERNEL_IMAGE -u MODULES_DIR -u W -u C \
		nice -n 10 make -j"$GSD_JOBS" "$@"
}

# our_diagnostics TREE LOG: compiler, sparse and modpost diagnostics in
# LOG that concern our own files (those under TREE), one per line.
our_diagnostics() {
	local tree=$1 log=$2 line file
	while IFS= read -r line; do
		case $line in
		WARNING:*modpost*|ERROR:*modpost*)
			printf '%s\n' "$line"
			continue ;;
		esac
		file=${line%%:*}
		case $file in
		"$tree"/*) ;;
		/*) continue ;;
		*) [ -e "$tree/$file" ] || continue ;;
		esac
		printf '%s\n' "$line"
	done < <(grep -E '^[^ :]+:[0-9]+(:[0-9]+)?: (warning|error):|^(WARNING|ERROR): modpost' "$log" || :)
}

# build_gates TARGET LABEL TREE LOG -- COMMAND...: run a build, then gate
# on its exit status and on diagnostics in our own sources.
build_gates() {
	local target=$1 label=$2 tree=$3 log=$4 rc=0 diags n t0=$SECONDS
	shift 5
	printf '+ %s\n' "$*" >"$log"
	"$@" >>"$log" 2>&1 || rc=$?
	if [ $rc -eq 0 ]; then
		gate "$target" ok "build: $label" "$((SECONDS - t0))s"
	else
		gate "$target" fail "build: $label" "exit status $rc, log $log"
		grep -E 'error:|fatal|No such file|^gpu-sched-deps:|^  fix:' "$log" |
			head -n 8 | sed 's/^/        /'
	fi
	diags=$(our_diagnostics "$tree" "$log")
	if [ -z "$diags" ]; then
		gate "$target" ok "no warnings: $label"
	else
		n=$(printf '%s\n' "$diags" | wc -l)
		gate "$target" fail "no warnings: $label" "$n diagnostic(s) in our sources"
		printf '%s\n' "$diags" | head -n 15 | sed "s|$tree/||; s/^/        /"
	fi
	return $rc
}

# kernel_release KDIR
kernel_release() {
	local r
	r=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' \
		"$1/include/generated/utsrelease.h" 2>/dev/null) || :
	[ -n "$r" ] || r=$(cat "$1/include/config/kernel.release" 2>/dev/null) || :
	printf '%s\n' "$r"
}

# kconfig_has KDIR OPTION: OPTION is =y or =m in the tree's configuration.
kconfig_has() {
	grep -q "^$2=[ym]" "$1/include/config/auto.conf" 2>/dev/null ||
		grep -q "^$2=[ym]" "$1/.config" 2>/dev/null
}

# kernel_arch KDIR: x86_64, arm64 or arm, from the tree's configuration.
kernel_arch() {
	if kconfig_has "$1" CONFIG_X86_64; then echo x86_64
	elif kconfig_has "$1" CONFIG_ARM64; then echo arm64
	elif kconfig_has "$1" CONFIG_ARM; then echo arm
	else echo unknown
	fi
}

# Seconds as "Mm SSs".
fmt_time() {
	printf '%dm%02ds' $(($1 / 60)) $(($1 % 60))
}
