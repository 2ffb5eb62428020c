# SPDX-License-Identifier: GPL-2.0-only
#
# Yocto/OpenEmbedded recipe for gpu-sched-deps.ko.  Copy it into a layer of
# yours.  PV (from the file name) must equal VERSION in the top Makefile.

SUMMARY = "DRM GPU scheduler with dependency tracking, out of tree"
DESCRIPTION = "gpu-sched-deps.ko: the Linux 5.16 DRM GPU scheduler with \
job dependency tracking, for the 5.4 to 6.12 kernels.  It loads beside the \
kernel's own gpu-sched.ko: its symbols are renamed (gsd_drm_sched_*) and \
exported in the symbol namespace GPU_SCHED_DEPS."
LICENSE = "GPL-2.0-only"
LIC_FILES_CHKSUM = "file://Makefile;beginline=1;endline=1;md5=829e563511c9a1d6d41f17a7a4989d6a"

inherit module

# Where to fetch the sources, e.g. in a .bbappend or local.conf:
#   GSD_SRC_URI = "git://git.example.com/gpu-sched-deps.git;protocol=https;branch=main"
#   SRCREV:pn-gpu-sched-deps = "<the commit of release ${PV}>"
# or build a local checkout instead:
#   INHERIT += "externalsrc"
#   EXTERNALSRC:pn-gpu-sched-deps = "/path/to/gpu-sched-deps"
GSD_SRC_URI ??= ""
SRC_URI = "${GSD_SRC_URI}"
# Yocto 5.1 and later unpack into ${UNPACKDIR}: use "${UNPACKDIR}/git" there.
S = "${WORKDIR}/git"

python () {
    if not d.getVar('GSD_SRC_URI') and not d.getVar('EXTERNALSRC'):
        raise bb.parse.SkipRecipe("set GSD_SRC_URI and SRCREV (or EXTERNALSRC) to build gpu-sched-deps")
}

# The build is the project's own `make` (scripts/preflight.sh, the feature
# tests of compat/configure, then kbuild); module.bbclass runs
# `make ... O=${STAGING_KERNEL_BUILDDIR}`, then `make modules_install` with
# MODLIB under ${D}, and exports ARCH and CROSS_COMPILE.
#
# KDIR is the prepared kernel build tree.  The kernel's source tree
# (STAGING_KERNEL_DIR) was built with O= and holds no generated headers,
# which scripts/preflight.sh requires; STAGING_KERNEL_BUILDDIR does.
EXTRA_OEMAKE += "KDIR=${STAGING_KERNEL_BUILDDIR}"

# The module lands in /lib/modules/${KERNEL_VERSION}/updates/ and is packaged
# as kernel-module-gpu-sched-deps; Module.symvers goes to
# ${includedir}/gpu-sched-deps/ for drivers that DEPEND on this recipe.
