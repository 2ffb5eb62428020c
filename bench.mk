# SPDX-License-Identifier: GPL-2.0-only
#
# `make bench`: gpu-sched-deps against the kernel's own GPU scheduler, in
# one qemu boot of Debian's stock 6.1 amd64 kernel (see bench/run for what
# it installs, builds and measures).  Writes docs/bench/results.{md,csv,json,
# png} and prints the table.  Included by the top Makefile.
#
#   make bench [GSD_BENCH_REPS=3] [GSD_BENCH_ORDER="intree deps ..."]
#              [GSD_BENCH_WORK=/var/tmp/gsd-bench] [GSD_BENCH_OUT=docs/bench]

.PHONY: bench

bench:
	@$(TOP)/bench/run
