// SPDX-License-Identifier: GPL-2.0-only
/*
 * gsd_board_tests: userspace tests of gpu-sched-deps through a DRM driver.
 *
 *   gsd_board_tests --list-subtests
 *   gsd_board_tests --run-subtest NAME
 *
 * Exit status as IGT's: 0 pass, 77 skip (no such device or feature),
 * 98 fail.  Raw DRM ioctls (no libdrm), so that a static binary runs in a
 * busybox initramfs.
 *
 * The vgpu-* and vgem-* subtests drive gsd_vgpu (tests/board/vgpu), whose
 * jobs run through gpu-sched-deps; the vgem ones also need vgem.  The
 * <driver>-* subtests open a real GPU's render node, and skip when the
 * board has none: <driver>-device here, the job submissions of lima and
 * etnaviv (which have no IGT tests) and the implicit-sync test of every
 * driver in lima.c, etnaviv.c, panfrost.c and v3d.c.
 */
#define _GNU_SOURCE
#include <poll.h>
#include <stdio.h>
#include <unistd.h>

#include <linux/sync_file.h>

#include "common.h"
#include "../vgpu/gsd_vgpu_drm.h"

/* A job long enough to still be queued when the test looks at it. */
#define LONG_JOB_NS	300000000ull
#define SHORT_JOB_NS	1000000ull

static int open_vgpu(void)
{
	return open_driver(GSD_VGPU_NAME, "renderD");
}

/* ------------------------------------------------------------ helpers */

static uint32_t vgpu_bo(int fd, uint64_t size)
{
	struct drm_gsd_vgpu_create_bo c = { .size = size };

	if (xioctl(fd, DRM_IOCTL_GSD_VGPU_CREATE_BO, &c))
		return 0;
	return c.handle;
}

static int vgpu_submit(int fd, const uint32_t *bos, uint32_t nbos,
		       const uint32_t *in, uint32_t nin, uint32_t out,
		       uint64_t duration_ns)
{
	struct drm_gsd_vgpu_submit s = {
		.bo_handles = (uintptr_t)bos,
		.bo_handle_count = nbos,
		.in_syncs = (uintptr_t)in,
		.in_sync_count = nin,
		.out_sync = out,
		.duration_ns = duration_ns,
	};

	return xioctl(fd, DRM_IOCTL_GSD_VGPU_SUBMIT, &s);
}

static int vgpu_stats(int fd, struct drm_gsd_vgpu_stats *st)
{
	return xioctl(fd, DRM_IOCTL_GSD_VGPU_STATS, st);
}

/* Wait until no job of any file is alive; 0 on success. */
static int vgpu_drain(int fd)
{
	struct drm_gsd_vgpu_stats st;
	int64_t end = now_ns() + WAIT_NS;

	do {
		if (vgpu_stats(fd, &st))
			return -1;
		if (!st.jobs_alive)
			return 0;
		sleep_ms(10);
	} while (now_ns() < end);
	msg("%llu job(s) still alive", (unsigned long long)st.jobs_alive);
	errno = ETIME;
	return -1;
}

#define VGPU_OPEN(fd) do {						\
	(fd) = open_vgpu();						\
	if ((fd) < 0) {							\
		msg("no %s render node", GSD_VGPU_NAME);		\
		return SKIP;						\
	}								\
} while (0)

/* ------------------------------------------------------------ vgpu */

static int t_vgpu_trivial_job(void)
{
	struct drm_gsd_vgpu_stats before, after;
	uint32_t bo, out;
	int fd;

	VGPU_OPEN(fd);
	CHECK(vgpu_drain(fd) == 0);
	CHECK(vgpu_stats(fd, &before) == 0);
	CHECK((bo = vgpu_bo(fd, 4096)) != 0);
	CHECK((out = syncobj_create(fd, 0)) != 0);
	CHECK(vgpu_submit(fd, &bo, 1, NULL, 0, out, SHORT_JOB_NS) == 0);
	CHECK(syncobj_wait(fd, out, WAIT_NS) == 0);
	CHECK(vgpu_stats(fd, &after) == 0);
	CHECK(after.jobs_completed == before.jobs_completed + 1);
	/* A job without BOs or syncobjs runs too. */
	CHECK(vgpu_submit(fd, NULL, 0, NULL, 0, 0, SHORT_JOB_NS) == 0);
	CHECK(vgpu_drain(fd) == 0);
	CHECK(vgpu_stats(fd, &after) == 0);
	CHECK(after.jobs_completed == before.jobs_completed + 2);
	close(fd);
	return PASS;
}

/* A chain across two files: B waits for A's out-sync through its in-sync. */
static int t_vgpu_in_out_sync(void)
{
	uint32_t a_out, b_in, b_out;
	struct drm_syncobj_handle h;
	int fa, fb;

	VGPU_OPEN(fa);
	VGPU_OPEN(fb);
	CHECK((a_out = syncobj_create(fa, 0)) != 0);
	CHECK((b_out = syncobj_create(fb, 0)) != 0);
	CHECK(vgpu_submit(fa, NULL, 0, NULL, 0, a_out, LONG_JOB_NS) == 0);
	/* Hand A's out-sync to the other file as a syncobj of its own. */
	memset(&h, 0, sizeof(h));
	h.handle = a_out;
	CHECK(xioctl(fa, DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, &h) == 0);
	h.handle = 0;
	CHECK(xioctl(fb, DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE, &h) == 0);
	close(h.fd);
	b_in = h.handle;
	CHECK(vgpu_submit(fb, NULL, 0, &b_in, 1, b_out, SHORT_JOB_NS) == 0);
	CHECK(syncobj_wait(fb, b_out, WAIT_NS) == 0);
	/* B finished, so A had. */
	CHECK(syncobj_wait(fa, a_out, 0) == 0);
	close(fb);
	close(fa);
	return PASS;
}

/* Nothing of a refused job may stay behind: jobs_alive is back to 0. */
static int expect_refused(int fd, int ret, int err, const char *what)
{
	struct drm_gsd_vgpu_stats st;

	if (ret != -1 || errno != err) {
		msg("%s: got %d (errno %d), expected -1 with errno %d",
		    what, ret, ret ? errno : 0, err);
		return FAIL;
	}
	if (vgpu_stats(fd, &st) || st.jobs_alive) {
		msg("%s: a refused job is still alive", what);
		return FAIL;
	}
	return PASS;
}

static int t_vgpu_bad_in_sync(void)
{
	uint32_t bad = 0x7fffffff, empty, good, out, in[2];
	int fd, r;

	VGPU_OPEN(fd);
	CHECK(vgpu_drain(fd) == 0);
	CHECK((out = syncobj_create(fd, 0)) != 0);
	r = vgpu_submit(fd, NULL, 0, &bad, 1, out, SHORT_JOB_NS);
	CHECK(expect_refused(fd, r, ENOENT, "unknown in-sync") == PASS);
	/* A syncobj without a fence cannot be waited for. */
	CHECK((empty = syncobj_create(fd, 0)) != 0);
	r = vgpu_submit(fd, NULL, 0, &empty, 1, out, SHORT_JOB_NS);
	CHECK(expect_refused(fd, r, EINVAL, "empty in-sync") == PASS);
	/* A bad handle after a good one: the good dependency is dropped. */
	CHECK((good = syncobj_create(fd, DRM_SYNCOBJ_CREATE_SIGNALED)) != 0);
	in[0] = good;
	in[1] = bad;
	r = vgpu_submit(fd, NULL, 0, in, 2, out, SHORT_JOB_NS);
	CHECK(expect_refused(fd, r, ENOENT, "good then unknown in-sync") == PASS);
	r = vgpu_submit(fd, NULL, 0, (uint32_t *)8, 1, out, SHORT_JOB_NS);
	CHECK(expect_refused(fd, r, EFAULT, "in-sync array at a bad address") == PASS);
	/* The out-sync was never touched. */
	errno = 0;
	CHECK(syncobj_wait(fd, out, 0) == -1 && errno == EINVAL);
	/* The device still works. */
	CHECK(vgpu_submit(fd, NULL, 0, &good, 1, out, SHORT_JOB_NS) == 0);
	CHECK(syncobj_wait(fd, out, WAIT_NS) == 0);
	syncobj_destroy(fd, empty);
	close(fd);
	return PASS;
}

static int t_vgpu_bad_handles(void)
{
	uint32_t bo, out, bos[2], bad = 0x7fffffff;
	struct drm_gsd_vgpu_submit s;
	int fd, r;

	VGPU_OPEN(fd);
	CHECK(vgpu_drain(fd) == 0);
	CHECK((bo = vgpu_bo(fd, 4096)) != 0);
	CHECK((out = syncobj_create(fd, 0)) != 0);
	bos[0] = bo;
	bos[1] = bad;
	r = vgpu_submit(fd, bos, 2, NULL, 0, out, SHORT_JOB_NS);
	CHECK(expect_refused(fd, r, ENOENT, "unknown BO after a good one") == PASS);
	r = vgpu_submit(fd, &bo, 1, NULL, 0, bad, SHORT_JOB_NS);
	CHECK(expect_refused(fd, r, ENOENT, "unknown out-sync") == PASS);
	r = vgpu_submit(fd, &bo, 1, NULL, 0, out, GSD_VGPU_MAX_DURATION_NS + 1);
	CHECK(expect_refused(fd, r, EINVAL, "duration above the limit") == PASS);
	r = vgpu_submit(fd, &bo, GSD_VGPU_MAX_BOS + 1, NULL, 0, out, 0);
	CHECK(expect_refused(fd, r, EINVAL, "too many BOs") == PASS);
	memset(&s, 0, sizeof(s));
	s.flags = 1;
	r = xioctl(fd, DRM_IOCTL_GSD_VGPU_SUBMIT, &s);
	CHECK(expect_refused(fd, r, EINVAL, "unknown flag") == PASS);
	/* Nothing was published on the BO or the out-sync: this job and its
	 * out-sync complete on their own.
	 */
	errno = 0;
	CHECK(syncobj_wait(fd, out, 0) == -1 && errno == EINVAL);
	CHECK(vgpu_submit(fd, &bo, 1, NULL, 0, out, SHORT_JOB_NS) == 0);
	CHECK(syncobj_wait(fd, out, WAIT_NS) == 0);
	close(fd);
	return PASS;
}

/*
 * Close a file with one job executing and more queued behind it: every job
 * completes or is cancelled, its fences signal, and none is leaked.
 */
static int t_vgpu_submit_and_close(void)
{
	struct drm_syncobj_handle h;
	struct sync_file_info info;
	struct pollfd p;
	uint32_t bo, out;
	int fd, fd2, i, sf;

	VGPU_OPEN(fd);
	CHECK(vgpu_drain(fd) == 0);
	CHECK((bo = vgpu_bo(fd, 4096)) != 0);
	CHECK((out = syncobj_create(fd, 0)) != 0);
	for (i = 0; i < 4; i++)
		CHECK(vgpu_submit(fd, &bo, 1, NULL, 0, out, LONG_JOB_NS) == 0);
	memset(&h, 0, sizeof(h));
	h.handle = out;
	h.flags = DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE;
	CHECK(xioctl(fd, DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, &h) == 0);
	sf = h.fd;
	close(fd);

	p.fd = sf;
	p.events = POLLIN;
	CHECK(poll(&p, 1, (int)(WAIT_NS / 1000000)) == 1);
	memset(&info, 0, sizeof(info));
	CHECK(xioctl(sf, SYNC_IOC_FILE_INFO, &info) == 0);
	/* Completed (1) or cancelled with an error (< 0), never pending. */
	CHECK(info.status != 0);
	close(sf);

	VGPU_OPEN(fd2);
	CHECK(vgpu_drain(fd2) == 0);
	CHECK((out = syncobj_create(fd2, 0)) != 0);
	CHECK(vgpu_submit(fd2, NULL, 0, NULL, 0, out, SHORT_JOB_NS) == 0);
	CHECK(syncobj_wait(fd2, out, WAIT_NS) == 0);
	close(fd2);
	return PASS;
}

/* ------------------------------------------------------------ vgem */

/*
 * Implicit sync: a job using a vgem buffer (imported via PRIME) that
 * carries an unsignalled vgem fence must not complete before that fence.
 * vgem signals its fences by itself after about 10 s: everything up to
 * the signal happens well within that.
 */
static int t_vgem_implicit_sync(void)
{
	struct vgem_buf b;
	uint32_t h, out;
	int fd, r, sf;

	VGPU_OPEN(fd);
	r = vgem_fenced_buf(&b);
	if (r != PASS)
		return r;
	CHECK((h = vgem_import(&b, fd)) != 0);
	CHECK((out = syncobj_create(fd, 0)) != 0);
	CHECK(vgpu_submit(fd, &h, 1, NULL, 0, out, SHORT_JOB_NS) == 0);
	CHECK((sf = syncobj_sync_file(fd, out)) >= 0);
	/* Gives a wrong implementation the time to run the 1 ms job. */
	r = expect_blocked_until_signal(sf, &b);
	if (r == PASS)
		CHECK(sync_file_status(sf) == 1);
	close(sf);
	vgem_close(&b);
	close(fd);
	return r;
}

/*
 * Explicit sync on a foreign fence: the vgem fence, taken out of the
 * dma-buf as a sync_file and imported into a syncobj, is the in-sync.
 */
static int t_vgem_in_sync(void)
{
	struct drm_syncobj_handle h;
	struct vgem_buf b;
	uint32_t in, out;
	int fd, r, vsf;

	VGPU_OPEN(fd);
	r = vgem_fence_sync_file(&b, &vsf);
	if (r != PASS)
		return r;
	CHECK((in = syncobj_create(fd, 0)) != 0);
	memset(&h, 0, sizeof(h));
	h.fd = vsf;
	h.handle = in;
	h.flags = DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_IMPORT_SYNC_FILE;
	CHECK(xioctl(fd, DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE, &h) == 0);
	close(vsf);
	CHECK((out = syncobj_create(fd, 0)) != 0);
	CHECK(vgpu_submit(fd, NULL, 0, &in, 1, out, SHORT_JOB_NS) == 0);
	errno = 0;
	CHECK(syncobj_wait(fd, out, BLOCKED_NS) == -1 && errno == ETIME);
	CHECK(vgem_signal(&b) == 0);
	CHECK(syncobj_wait(fd, out, WAIT_NS) == 0);
	vgem_close(&b);
	close(fd);
	return PASS;
}

/* ------------------------------------------------------------ real GPUs */

/* The board's GPU driver answers on its render node and has syncobjs. */
static int t_device(const char *driver)
{
	uint32_t s;
	int fd;

	GPU_OPEN(fd, driver);
	CHECK((s = syncobj_create(fd, DRM_SYNCOBJ_CREATE_SIGNALED)) != 0);
	CHECK(syncobj_wait(fd, s, 0) == 0);
	syncobj_destroy(fd, s);
	close(fd);
	return PASS;
}

static int t_panfrost_device(void) { return t_device("panfrost"); }
static int t_lima_device(void) { return t_device("lima"); }
static int t_v3d_device(void) { return t_device("v3d"); }
static int t_etnaviv_device(void) { return t_device("etnaviv"); }

static const struct {
	const char *name;
	int (*fn)(void);
} tests[] = {
	{ "vgpu-trivial-job", t_vgpu_trivial_job },
	{ "vgpu-in-out-sync", t_vgpu_in_out_sync },
	{ "vgpu-bad-in-sync", t_vgpu_bad_in_sync },
	{ "vgpu-bad-handles", t_vgpu_bad_handles },
	{ "vgpu-submit-and-close", t_vgpu_submit_and_close },
	{ "vgem-implicit-sync", t_vgem_implicit_sync },
	{ "vgem-in-sync", t_vgem_in_sync },
	{ "panfrost-device", t_panfrost_device },
	{ "lima-device", t_lima_device },
	{ "v3d-device", t_v3d_device },
	{ "etnaviv-device", t_etnaviv_device },
	{ "lima-trivial-job", t_lima_trivial_job },
	{ "lima-in-out-sync", t_lima_in_out_sync },
	{ "lima-bad-in-sync", t_lima_bad_in_sync },
	{ "lima-submit-and-close", t_lima_submit_and_close },
	{ "lima-implicit-sync", t_lima_implicit_sync },
	{ "etnaviv-trivial-job", t_etnaviv_trivial_job },
	{ "etnaviv-in-out-sync", t_etnaviv_in_out_sync },
	{ "etnaviv-bad-in-sync", t_etnaviv_bad_in_sync },
	{ "etnaviv-submit-and-close", t_etnaviv_submit_and_close },
	{ "etnaviv-implicit-sync", t_etnaviv_implicit_sync },
	{ "panfrost-implicit-sync", t_panfrost_implicit_sync },
	{ "v3d-implicit-sync", t_v3d_implicit_sync },
};

int main(int argc, char **argv)
{
	size_t i;

	if (argc == 2 && !strcmp(argv[1], "--list-subtests")) {
		for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
			printf("%s\n", tests[i].name);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "--run-subtest")) {
		for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
			if (strcmp(argv[2], tests[i].name))
				continue;
			subtest = tests[i].name;
			return tests[i].fn();
		}
		fprintf(stderr, "gsd_board_tests: no subtest %s\n", argv[2]);
		return 79;
	}
	fprintf(stderr,
		"usage: gsd_board_tests --list-subtests | --run-subtest NAME\n");
	return 2;
}
