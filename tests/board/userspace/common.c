// SPDX-License-Identifier: GPL-2.0-only
/*
 * Raw DRM helpers of gsd_board_tests (see common.h).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <linux/dma-buf.h>
#include <linux/sync_file.h>

#include "common.h"
#include <drm/vgem_drm.h>

const char *subtest = "gsd_board_tests";

void msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "%s: ", subtest);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

int xioctl(int fd, unsigned long req, void *arg)
{
	int ret;

	do {
		ret = ioctl(fd, req, arg);
	} while (ret == -1 && (errno == EINTR || errno == EAGAIN));
	return ret;
}

int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

void sleep_ms(unsigned int ms)
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

int open_driver(const char *driver, const char *prefix)
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

int expect_errno(int ret, int err, const char *what)
{
	if (ret != -1 || errno != err) {
		msg("%s: got %d (errno %d), expected -1 with errno %d (%s)",
		    what, ret, ret ? errno : 0, err, strerror(err));
		return FAIL;
	}
	return PASS;
}

void *bo_mmap(int fd, uint64_t offset, size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		       (off_t)offset);

	return p == MAP_FAILED ? NULL : p;
}

int lowest_free_fd(void)
{
	int fd = open("/", O_RDONLY | O_CLOEXEC);

	if (fd >= 0)
		close(fd);
	return fd;
}

/* ------------------------------------------------------------ syncobjs */

uint32_t syncobj_create(int fd, uint32_t flags)
{
	struct drm_syncobj_create c = { .flags = flags };

	if (xioctl(fd, DRM_IOCTL_SYNCOBJ_CREATE, &c))
		return 0;
	return c.handle;
}

void syncobj_destroy(int fd, uint32_t handle)
{
	struct drm_syncobj_destroy d = { .handle = handle };

	xioctl(fd, DRM_IOCTL_SYNCOBJ_DESTROY, &d);
}

int syncobj_wait(int fd, uint32_t handle, int64_t timeout_ns)
{
	struct drm_syncobj_wait w = {
		.handles = (uintptr_t)&handle,
		.count_handles = 1,
		.timeout_nsec = timeout_ns ? now_ns() + timeout_ns : 0,
	};

	return xioctl(fd, DRM_IOCTL_SYNCOBJ_WAIT, &w);
}

uint32_t syncobj_share(int from, uint32_t handle, int to)
{
	struct drm_syncobj_handle h;

	memset(&h, 0, sizeof(h));
	h.handle = handle;
	if (xioctl(from, DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, &h))
		return 0;
	h.handle = 0;
	if (xioctl(to, DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE, &h))
		h.handle = 0;
	close(h.fd);
	return h.handle;
}

int syncobj_sync_file(int fd, uint32_t handle)
{
	struct drm_syncobj_handle h;

	memset(&h, 0, sizeof(h));
	h.handle = handle;
	h.flags = DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE;
	if (xioctl(fd, DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, &h))
		return -1;
	return h.fd;
}

/* ------------------------------------------------------------ sync_files */

int sync_file_wait(int sf, int64_t timeout_ns)
{
	struct pollfd p = { .fd = sf, .events = POLLIN };
	int64_t end = now_ns() + timeout_ns;
	int r;

	for (;;) {
		int64_t left = end - now_ns();

		if (left < 0)
			left = 0;
		r = poll(&p, 1, (int)(left / 1000000));
		if (r == 1)
			return 0;
		if (r == 0) {
			errno = ETIME;
			return -1;
		}
		if (errno != EINTR)
			return -1;
	}
}

int sync_file_status(int sf)
{
	struct sync_file_info info;

	memset(&info, 0, sizeof(info));
	if (xioctl(sf, SYNC_IOC_FILE_INFO, &info))
		return -1000;
	return info.status;
}

/* ------------------------------------------------------------ vgem */

int vgem_fenced_buf(struct vgem_buf *b)
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

int vgem_signal(struct vgem_buf *b)
{
	struct drm_vgem_fence_signal sig = { .fence = b->fence };

	return xioctl(b->card, DRM_IOCTL_VGEM_FENCE_SIGNAL, &sig);
}

void vgem_close(struct vgem_buf *b)
{
	close(b->dmabuf);
	close(b->card);
}

uint32_t vgem_import(struct vgem_buf *b, int fd)
{
	struct drm_prime_handle prime;

	memset(&prime, 0, sizeof(prime));
	prime.fd = b->dmabuf;
	if (xioctl(fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &prime))
		return 0;
	return prime.handle;
}

int vgem_sync_file(struct vgem_buf *b)
{
#ifdef DMA_BUF_IOCTL_EXPORT_SYNC_FILE
	struct dma_buf_export_sync_file ex;

	memset(&ex, 0, sizeof(ex));
	ex.flags = DMA_BUF_SYNC_WRITE;
	if (xioctl(b->dmabuf, DMA_BUF_IOCTL_EXPORT_SYNC_FILE, &ex))
		return -1;
	return ex.fd;
#else
	errno = ENOTTY;
	return -1;
#endif
}

int vgem_fence_sync_file(struct vgem_buf *b, int *vsf)
{
	int r = vgem_fenced_buf(b);

	if (r != PASS)
		return r;
	*vsf = vgem_sync_file(b);
	if (*vsf >= 0)
		return PASS;
	if (errno == ENOTTY) {
		msg("no DMA_BUF_IOCTL_EXPORT_SYNC_FILE (Linux < 6.0)");
		r = SKIP;
	} else {
		msg("cannot export the vgem fence: %s", strerror(errno));
		r = FAIL;
	}
	vgem_signal(b);
	vgem_close(b);
	return r;
}

int expect_blocked_until_signal(int sf, struct vgem_buf *b)
{
	errno = 0;
	if (sync_file_wait(sf, BLOCKED_NS) == 0) {
		msg("the job's fence signalled (status %d) before the vgem fence it depends on",
		    sync_file_status(sf));
		return FAIL;
	}
	CHECK(errno == ETIME);
	CHECK(sync_file_status(sf) == 0);
	CHECK(vgem_signal(b) == 0);
	CHECK(sync_file_wait(sf, WAIT_NS) == 0);
	/* Completed, or failed (the job may not suit this GPU): not pending. */
	CHECK(sync_file_status(sf) != 0);
	return PASS;
}
