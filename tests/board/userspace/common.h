/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the files of gsd_board_tests share: exit codes, the
 * CHECK macro, raw DRM helpers (render nodes, syncobjs, sync_files, vgem)
 * and the subtests of the per-driver files.
 */
#ifndef GSD_BOARD_COMMON_H
#define GSD_BOARD_COMMON_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The kernel's uAPI headers as they are in its tree, not headers_install'ed. */
#ifndef __user
#define __user
#endif
#include <drm/drm.h>

#define PASS	0
#define SKIP	77
#define FAIL	98

/* Generous bounds for things that must happen: only a hang exceeds them. */
#define WAIT_NS		30000000000ll
/* How long a job that must stay blocked is given to (wrongly) complete. */
#define BLOCKED_NS	200000000ll

extern const char *subtest;

void msg(const char *fmt, ...);

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		msg("check failed at line %d: %s (errno %d: %s)",	\
		    __LINE__, #cond, errno, strerror(errno));		\
		return FAIL;						\
	}								\
} while (0)

int xioctl(int fd, unsigned long req, void *arg);
int64_t now_ns(void);
void sleep_ms(unsigned int ms);

/* The first /dev/dri/PREFIX* node ("renderD", "card") of DRIVER, or -1. */
int open_driver(const char *driver, const char *prefix);

/* DRIVER's render node, or SKIP from the calling subtest. */
#define GPU_OPEN(fd, driver) do {					\
	(fd) = open_driver((driver), "renderD");			\
	if ((fd) < 0) {							\
		msg("no %s render node", (driver));			\
		return SKIP;						\
	}								\
} while (0)

/* PASS if a call returned -1 with errno ERR, else FAIL with a message. */
int expect_errno(int ret, int err, const char *what);

/* A CPU mapping of a BO at the mmap offset its driver gave; NULL on error. */
void *bo_mmap(int fd, uint64_t offset, size_t size);

/* The lowest free file descriptor number (to find leaked fds), or -1. */
int lowest_free_fd(void);

uint32_t syncobj_create(int fd, uint32_t flags);
void syncobj_destroy(int fd, uint32_t handle);
/*
 * 0 when signalled within timeout_ns (0: only look), else -1 with errno
 * (ETIME: not signalled, EINVAL: no fence yet).
 */
int syncobj_wait(int fd, uint32_t handle, int64_t timeout_ns);
/* The syncobj HANDLE of file FROM as a syncobj of file TO; 0 on error. */
uint32_t syncobj_share(int from, uint32_t handle, int to);
/* The fence in a syncobj as a new sync_file, or -1. */
int syncobj_sync_file(int fd, uint32_t handle);

/* 0 when the sync_file signals within timeout_ns, else -1 (errno ETIME). */
int sync_file_wait(int sf, int64_t timeout_ns);
/*
 * The sync_file's status: 1 signalled, 0 pending, < 0 the fence's error;
 * -1000 if it cannot be read.
 */
int sync_file_status(int sf);

/* A vgem buffer, exported as a dma-buf, with an unsignalled vgem fence. */
struct vgem_buf {
	int card;		/* vgem's card node */
	uint32_t handle;	/* in vgem */
	int dmabuf;
	uint32_t fence;		/* vgem fence id */
};

/* PASS, SKIP (no vgem) or FAIL. */
int vgem_fenced_buf(struct vgem_buf *b);
int vgem_signal(struct vgem_buf *b);
void vgem_close(struct vgem_buf *b);
/* The vgem buffer as a GEM handle of FD (PRIME import); 0 on error. */
uint32_t vgem_import(struct vgem_buf *b, int fd);
/*
 * The vgem fence as a sync_file (DMA_BUF_IOCTL_EXPORT_SYNC_FILE, Linux
 * 6.0+), or -1: errno ENOTTY where the kernel lacks that ioctl.
 */
int vgem_sync_file(struct vgem_buf *b);
/*
 * A fenced vgem buffer and its fence as a sync_file in *VSF, for an in-sync
 * that blocks: PASS; SKIP without vgem or without the sync_file export
 * (Linux < 6.0), the buffer then released; or FAIL.
 */
int vgem_fence_sync_file(struct vgem_buf *b, int *vsf);

/*
 * The implicit-sync assertion: SF, the out-fence of a job that uses the
 * fenced vgem buffer, must stay pending until the vgem fence signals, and
 * then signal.  The job may complete or fail: either signals SF.
 */
int expect_blocked_until_signal(int sf, struct vgem_buf *b);

/* The subtests of the per-driver files. */
int t_lima_trivial_job(void);
int t_lima_in_out_sync(void);
int t_lima_bad_in_sync(void);
int t_lima_submit_and_close(void);
int t_lima_implicit_sync(void);
int t_etnaviv_trivial_job(void);
int t_etnaviv_in_out_sync(void);
int t_etnaviv_bad_in_sync(void);
int t_etnaviv_submit_and_close(void);
int t_etnaviv_implicit_sync(void);
int t_panfrost_implicit_sync(void);
int t_v3d_implicit_sync(void);

#endif
