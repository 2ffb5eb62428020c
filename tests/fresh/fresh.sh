# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
#
# Target fresh (sourced by tests/run): the README's two commands, run as a
# new user would on a freshly installed Debian 12 machine.  A minbase root
# (tests/lib/root.sh, cached as a tarball) gets a clean export of this
# checkout in /root/gpu-sched-deps; inside it, as root and with an empty
# environment: `apt-get install make` (the README's one prerequisite), then
# `make dkms-install`, then `make check` for GSD_FRESH_TARGETS.  Nothing of
# the host's caches is visible in the root; the .deb files apt downloads
# there are kept in GSD_CACHE/fresh-debs between runs unless
# GSD_FRESH_COLD=1, which downloads everything again.
#
# GSD_FRESH_TARGETS: the targets of the inner `make check` (default
# build-arm64-6.1, the first-run path of the arm64 headers; "all" for the
# whole suite, as the README runs it).
#
# Needs tests/lib/common.sh, tests/lib/root.sh.

# fresh_export DEST: the checkout's files as a clone has them (tracked and
# new, not ignored; no build output), copied into DEST.
fresh_export() {
	local dest=$1
	mkdir -p "$dest"
	if [ -d "$GSD_TOP/.git" ] && command -v git >/dev/null; then
		(cd "$GSD_TOP" &&
		 git ls-files -z --cached --others --exclude-standard |
		 while IFS= read -r -d '' f; do
			[ -e "$f" ] && printf '%s\0' "$f"
		 done | tar --null -T - -cf -) | tar -xf - -C "$dest"
	else
		copy_tree "$dest"
	fi
}

# fresh_step NAME LOG COMMAND...: one command in the root, its output in
# LOG, gated on its exit status; prints how long it took.
fresh_step() {
	root_step fresh "$FRESH_ROOT" "$@"
}

# fresh_import TALLY: the inner make check's results, one record each,
# named "<inner target>: <test>".
fresh_import() {
	local st t name note
	[ -f "$1" ] || return 0
	while IFS=$'\t' read -r st t name note; do
		record "$st" fresh "$t: $name" "$note"
	done <"$1"
}

target_fresh() {
	local dir=$GSD_RESULTS/fresh debs='' inner
	local wanted=${GSD_FRESH_TARGETS:-build-arm64-6.1}
	# "all" inside the root is every target but this one.
	[ "$wanted" != all ] || wanted=${ALL_TARGETS/ fresh/}
	FRESH_ROOT=$dir/root
	mkdir -p "$dir"
	rm -f "$dir"/*.log
	root_prepare fresh bookworm "Debian 12" "$FRESH_ROOT" "$dir/root.log" ||
		return 0
	trap 'root_umount "$FRESH_ROOT"' EXIT

	fresh_export "$FRESH_ROOT/root/gpu-sched-deps"
	gate fresh ok "export of the checkout" \
		"$(find "$FRESH_ROOT/root/gpu-sched-deps" -type f | wc -l) files"

	if [ "${GSD_FRESH_COLD:-0}" != 1 ]; then
		debs=$GSD_CACHE/fresh-debs
	fi
	root_mount "$FRESH_ROOT" "$debs"
	say "root $FRESH_ROOT${debs:+ (downloads kept in $debs)}; inner targets: $wanted"

	fresh_step "apt-get install make (the README's prerequisite)" \
		"$dir/prerequisite.log" sh -c \
		'apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends make' ||
		return 0

	fresh_step "make dkms-install" "$dir/dkms-install.log" \
		make -C /root/gpu-sched-deps --no-print-directory dkms-install || :
	sed 's/^/        /' "$dir/dkms-install.log" | grep -v '^        *$' | tail -n 12
	if grep -q '^E: ' "$dir/dkms-install.log"; then
		gate fresh fail "dkms-install: no apt error shown to the user" \
			"$(grep -c '^E: ' "$dir/dkms-install.log") 'E:' line(s)"
	else
		gate fresh ok "dkms-install: no apt error shown to the user"
	fi
	if grep -q 'the running kernel' "$dir/dkms-install.log"; then
		gate fresh ok "dkms-install: says whether the running kernel can use it"
	else
		gate fresh fail "dkms-install: says whether the running kernel can use it"
	fi

	# shellcheck disable=SC2016 # expanded in the root
	fresh_step "make check ($wanted)" "$dir/check.log" sh -c \
		'cd /root/gpu-sched-deps && make check CHECK_ARGS="$1"' sh "$wanted" || :
	inner=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$dir/check.log" | tail -n 1) || :
	say "  inner make check: ${inner:-no tally line}"
	sed -n '/^=== summary/,$p' "$dir/check.log" | sed 's/^/        /'
	fresh_import "$FRESH_ROOT/var/tmp/gsd-check/tally.tsv"

	root_umount "$FRESH_ROOT"
	trap - EXIT
}
