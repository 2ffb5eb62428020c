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
 * <driver>-device subtests open a real GPU's render node, and skip when the
 * board has none.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <linux/dma-buf.h>
#include <linux/sync_file.h>

/* The kernel's uAPI headers as they are in its tree, not headers_install'ed. */
#ifndef __user
#define __user
#endif
#include <drm/drm.h>
#include <drm/vgem_drm.h>

#include "../vgpu/gsd_vgpu_drm.h"

#define PASS	0
#define SKIP	77
#define FAIL	98

/* A job long enough to still be queued when the test looks at it. */
#define LONG_JOB_NS	300000000ull
#define SHORT_JOB_NS	1000000ull
/* Generous bounds for things that must happen: only a hang exceeds them. */
#define WAIT_NS		30000000000ll

static const char *subtest;

static void msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "%s: ", subtest);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		msg("check failed at line %d: %s (errno %d: %s)",	\
		    __LINE__, #cond, errno, strerror(errno));		\
		return FAIL;						\
	}								\
} while (0)

static int xioctl(int fd, unsigned long req, void *arg)
{
	int ret;

	do {
		ret = ioctl(fd, req, arg);
	} while (ret == -1 && (errno == EINTR || errno == EAGAIN));
	return ret;
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000l };

	nanosleep(&ts, NULL);
}

/* The driver name behind a DRM node, or "" */
static void drm_driver_name(int fd, char *name, size_t len)
{
	struct drm_version v;

	memset(&v, 0, sizeof(v));
	memset(name, 0, len);
	v.name = name;
	v.name_len = len - 1;
	if (ioctl(fd, DRM_IOCTL_VERSION, &v))
		name[0] = '\0';
}

/*
 * open_driver(DRIVER, PREFIX): the first /dev/dri/PREFIX* node of DRIVER
 * ("renderD" or "card"), or -1.
 */
static int open_driver(const char *driver, const char *prefix)
{
	char path[300], name[64];
	struct dirent *de;
	DIR *dir;
	int fd = -1;

	dir = opendir("/dev/dri");
	if (!dir)
		return -1;
	while ((de = readdir(dir))) {
		if (strncmp(de->d_name, prefix, strlen(prefix)))
			continue;
		snprintf(path, sizeof(path), "/dev/dri/%s", de->d_name);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		drm_driver_name(fd, name, sizeof(name));
		if (!strcmp(name, driver))
			break;
		close(fd);
		fd = -1;
	}
	closedir(dir);
	return fd;
}

static int open_vgpu(void)
{
	return open_driver(GSD_VGPU_NAME, "renderD");
}

/* ------------------------------------------------------------ helpers */

static uint32_t syncobj_create(int fd, uint32_t flags)
{
	struct drm_syncobj_create c = { .flags = flags };

	if (xioctl(fd, DRM_IOCTL_SYNCOBJ_CREATE, &c))
		return 0;
	return c.handle;
}

static void syncobj_destroy(int fd, uint32_t handle)
{
	struct drm_syncobj_destroy d = { .handle = handle };

	xioctl(fd, DRM_IOCTL_SYNCOBJ_DESTROY, &d);
}

/*
 * syncobj_wait(fd, handle, timeout_ns): 0 when signalled within timeout_ns
 * (0: only look), else -1 with errno (ETIME: not signalled).
 */
static int syncobj_wait(int fd, uint32_t handle, int64_t timeout_ns)
{
	struct drm_syncobj_wait w = {
		.handles = (uintptr_t)&handle,
		.count_handles = 1,
		.timeout_nsec = timeout_ns ? now_ns() + timeout_ns : 0,
	};

	return xioctl(fd, DRM_IOCTL_SYNCOBJ_WAIT, &w);
}

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

struct vgem_buf {
	int card;		/* vgem's card node */
	uint32_t handle;	/* in vgem */
	int dmabuf;
	uint32_t fence;		/* vgem fence id */
};

/* A vgem buffer with an unsignalled vgem fence, exported as a dma-buf. */
static int vgem_fenced_buf(struct vgem_buf *b)
{
	struct drm_mode_create_dumb dumb = {
		.width = 1024, .height = 1, .bpp = 32,
	};
	struct drm_prime_handle prime;
	struct drm_vgem_fence_attach attach;

	b->card = open_driver("vgem", "card");
	if (b->card < 0) {
		msg("no vgem device");
		return SKIP;
	}
	CHECK(xioctl(b->card, DRM_IOCTL_MODE_CREATE_DUMB, &dumb) == 0);
	b->handle = dumb.handle;
	memset(&prime, 0, sizeof(prime));
	prime.handle = b->handle;
	prime.flags = DRM_CLOEXEC | DRM_RDWR;
	CHECK(xioctl(b->card, DRM_IOCTL_PRIME_HANDLE_TO_FD, &prime) == 0);
	b->dmabuf = prime.fd;
	memset(&attach, 0, sizeof(attach));
	attach.handle = b->handle;
	attach.flags = VGEM_FENCE_WRITE;
	CHECK(xioctl(b->card, DRM_IOCTL_VGEM_FENCE_ATTACH, &attach) == 0);
	b->fence = attach.out_fence;
	return PASS;
}

static int vgem_signal(struct vgem_buf *b)
{
	struct drm_vgem_fence_signal sig = { .fence = b->fence };

	return xioctl(b->card, DRM_IOCTL_VGEM_FENCE_SIGNAL, &sig);
}

/*
 * Implicit sync: a job using a vgem buffer (imported via PRIME) that
 * carries an unsignalled vgem fence must not complete before that fence.
 * vgem signals its fences by itself after about 10 s: everything up to
 * the signal happens well within that.
 */
static int t_vgem_implicit_sync(void)
{
	struct drm_prime_handle prime;
	struct vgem_buf b;
	uint32_t out;
	int fd, r;

	VGPU_OPEN(fd);
	r = vgem_fenced_buf(&b);
	if (r != PASS)
		return r;
	memset(&prime, 0, sizeof(prime));
	prime.fd = b.dmabuf;
	CHECK(xioctl(fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &prime) == 0);
	CHECK((out = syncobj_create(fd, 0)) != 0);
	CHECK(vgpu_submit(fd, &prime.handle, 1, NULL, 0, out,
			  SHORT_JOB_NS) == 0);
	/* Give a wrong implementation the time to run the 1 ms job. */
	errno = 0;
	CHECK(syncobj_wait(fd, out, 200000000ll) == -1 && errno == ETIME);
	CHECK(vgem_signal(&b) == 0);
	CHECK(syncobj_wait(fd, out, WAIT_NS) == 0);
	close(b.dmabuf);
	close(b.card);
	close(fd);
	return PASS;
}

/*
 * Explicit sync on a foreign fence: the vgem fence, taken out of the
 * dma-buf as a sync_file and imported into a syncobj, is the in-sync.
 */
static int t_vgem_in_sync(void)
{
	struct dma_buf_export_sync_file ex;
	struct drm_syncobj_handle h;
	struct vgem_buf b;
	uint32_t in, out;
	int fd, r;

	VGPU_OPEN(fd);
	r = vgem_fenced_buf(&b);
	if (r != PASS)
		return r;
	memset(&ex, 0, sizeof(ex));
	ex.flags = DMA_BUF_SYNC_WRITE;
	if (xioctl(b.dmabuf, DMA_BUF_IOCTL_EXPORT_SYNC_FILE, &ex)) {
		CHECK(errno == ENOTTY);
		msg("no DMA_BUF_IOCTL_EXPORT_SYNC_FILE (kernel < 6.0)");
		vgem_signal(&b);
		return SKIP;
	}
	CHECK((in = syncobj_create(fd, 0)) != 0);
	memset(&h, 0, sizeof(h));
	h.fd = ex.fd;
	h.handle = in;
	h.flags = DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_IMPORT_SYNC_FILE;
	CHECK(xioctl(fd, DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE, &h) == 0);
	close(ex.fd);
	CHECK((out = syncobj_create(fd, 0)) != 0);
	CHECK(vgpu_submit(fd, NULL, 0, &in, 1, out, SHORT_JOB_NS) == 0);
	errno = 0;
	CHECK(syncobj_wait(fd, out, 200000000ll) == -1 && errno == ETIME);
	CHECK(vgem_signal(&b) == 0);
	CHECK(syncobj_wait(fd, out, WAIT_NS) == 0);
	close(b.dmabuf);
	close(b.card);
	close(fd);
	return PASS;
}

/* ------------------------------------------------------------ real GPUs */

/* The board's GPU driver answers on its render node and has syncobjs. */
static int t_device(const char *driver)
{
	uint32_t s;
	int fd;

	fd = open_driver(driver, "renderD");
	if (fd < 0) {
		msg("no %s render node", driver);
		return SKIP;
	}
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
