// SPDX-License-Identifier: GPL-2.0-only
/*
 * Job submission tests for etnaviv (Vivante GC), which has no
 * IGT tests, and its implicit-sync test.  Raw ioctls of include/uapi/drm/
 * etnaviv_drm.h: its submit ioctl is the same from Linux 5.4 to 6.12.
 *
 * etnaviv has no syncobjs: a submit takes an in-fence as a sync_file fd
 * (ETNA_SUBMIT_FENCE_FD_IN) and gives its out-fence as a sync_file fd
 * (ETNA_SUBMIT_FENCE_FD_OUT) and as a fence number for
 * DRM_IOCTL_ETNAVIV_WAIT_FENCE.  An in-fence fd that is not a sync_file is
 * EINVAL, as is an unknown BO handle.
 *
 * The job: a command stream of four front-end NOP commands (opcode 3 in
 * bits 31..27 of a 64-bit command), which the kernel's command stream
 * validator (MMUv1 GPUs) accepts; the kernel copies the stream into its
 * own command buffer and links it into the ring, so the front end runs
 * the NOPs and returns: the job completes without touching memory.  It
 * runs on the first core ("pipe") with a 3D pipe, else the first with a
 * 2D pipe, in that pipe's execution state.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "common.h"
#include <drm/etnaviv_drm.h>

/* Feature bits of ETNAVIV_PARAM_GPU_FEATURES_0 (chipFeatures). */
#define ETNA_FEATURE_PIPE_3D	0x00000004u
#define ETNA_FEATURE_PIPE_2D	0x00000200u
/* The kernel's ETNA_MAX_PIPES. */
#define ETNA_PIPES		4
#define ETNA_FE_NOP		0x18000000u
#define ETNA_MAX_BOS		4
#define ETNA_BO_SIZE		4096
#define BAD_HANDLE		0x7fffffffu

static const uint32_t etna_nops[8] = {
	ETNA_FE_NOP, 0, ETNA_FE_NOP, 0, ETNA_FE_NOP, 0, ETNA_FE_NOP, 0,
};

struct etna {
	int fd;
	uint32_t pipe;
	uint32_t exec_state;
	uint32_t bo;
};

static int etna_open(struct etna *e)
{
	struct drm_etnaviv_gem_new bo;
	struct drm_etnaviv_param p;
	uint32_t i;

	GPU_OPEN(e->fd, "etnaviv");
	for (i = 0; i < ETNA_PIPES; i++) {
		memset(&p, 0, sizeof(p));
		p.pipe = i;
		p.param = ETNAVIV_PARAM_GPU_FEATURES_0;
		if (xioctl(e->fd, DRM_IOCTL_ETNAVIV_GET_PARAM, &p))
			continue;	/* ENXIO: no core at this index */
		if (p.value & ETNA_FEATURE_PIPE_3D)
			e->exec_state = ETNA_PIPE_3D;
		else if (p.value & ETNA_FEATURE_PIPE_2D)
			e->exec_state = ETNA_PIPE_2D;
		else
			continue;
		e->pipe = i;
		break;
	}
	if (i == ETNA_PIPES) {
		msg("no etnaviv core with a 3D or 2D pipe");
		close(e->fd);
		return SKIP;
	}
	memset(&bo, 0, sizeof(bo));
	bo.size = ETNA_BO_SIZE;
	bo.flags = ETNA_BO_WC;
	CHECK(xioctl(e->fd, DRM_IOCTL_ETNAVIV_GEM_NEW, &bo) == 0);
	e->bo = bo.handle;
	return PASS;
}

/*
 * One NOP job on E's pipe using E's BO (read/write) and EXTRA BOs (read).
 * FLAGS may hold ETNA_SUBMIT_FENCE_FD_IN (then IN_FD is the in-fence);
 * OUT_FD, when not NULL, gets the out-fence sync_file; FENCE, when not
 * NULL, the fence number.  The ioctl's return value.
 */
static int etna_submit(struct etna *e, const uint32_t *extra,
		       uint32_t nextra, uint32_t flags, int in_fd,
		       int *out_fd, uint32_t *fence)
{
	struct drm_etnaviv_gem_submit_bo bos[1 + ETNA_MAX_BOS];
	struct drm_etnaviv_gem_submit s;
	uint32_t i;
	int r;

	if (nextra > ETNA_MAX_BOS) {
		errno = E2BIG;
		return -1;
	}
	memset(bos, 0, sizeof(bos));
	bos[0].handle = e->bo;
	bos[0].flags = ETNA_SUBMIT_BO_READ | ETNA_SUBMIT_BO_WRITE;
	for (i = 0; i < nextra; i++) {
		bos[i + 1].handle = extra[i];
		bos[i + 1].flags = ETNA_SUBMIT_BO_READ;
	}
	memset(&s, 0, sizeof(s));
	s.pipe = e->pipe;
	s.exec_state = e->exec_state;
	s.nr_bos = 1 + nextra;
	s.bos = (uintptr_t)bos;
	s.stream = (uintptr_t)etna_nops;
	s.stream_size = sizeof(etna_nops);
	s.flags = flags | (out_fd ? ETNA_SUBMIT_FENCE_FD_OUT : 0);
	s.fence_fd = in_fd;
	r = xioctl(e->fd, DRM_IOCTL_ETNAVIV_GEM_SUBMIT, &s);
	if (r)
		return r;
	if (out_fd)
		*out_fd = s.fence_fd;
	if (fence)
		*fence = s.fence;
	return 0;
}

static void etna_timeout(struct drm_etnaviv_timespec *t, int64_t ns)
{
	int64_t end = now_ns() + ns;

	t->tv_sec = end / 1000000000ll;
	t->tv_nsec = end % 1000000000ll;
}

/* DRM_IOCTL_ETNAVIV_WAIT_FENCE: 0 when fence FENCE has signalled. */
static int etna_wait_fence(struct etna *e, uint32_t fence, int64_t ns)
{
	struct drm_etnaviv_wait_fence w;

	memset(&w, 0, sizeof(w));
	w.pipe = e->pipe;
	w.fence = fence;
	if (ns)
		etna_timeout(&w.timeout, ns);
	else
		w.flags = ETNA_WAIT_NONBLOCK;
	return xioctl(e->fd, DRM_IOCTL_ETNAVIV_WAIT_FENCE, &w);
}

/* The out-fence SF signals, without error. */
static int etna_expect_success(int sf)
{
	int st;

	CHECK(sync_file_wait(sf, WAIT_NS) == 0);
	st = sync_file_status(sf);
	if (st != 1) {
		msg("the job ended with status %d, not 1: the GPU refused it",
		    st);
		return FAIL;
	}
	return PASS;
}

int t_etnaviv_trivial_job(void)
{
	struct drm_etnaviv_gem_wait w;
	uint32_t fence;
	struct etna e;
	int r, sf;

	r = etna_open(&e);
	if (r != PASS)
		return r;
	CHECK(etna_submit(&e, NULL, 0, 0, -1, &sf, &fence) == 0);
	CHECK(etna_expect_success(sf) == PASS);
	close(sf);
	/* The same job by its fence number, and its BO: both done. */
	CHECK(etna_wait_fence(&e, fence, 0) == 0);
	memset(&w, 0, sizeof(w));
	w.pipe = e.pipe;
	w.handle = e.bo;
	w.flags = ETNA_WAIT_NONBLOCK;
	CHECK(xioctl(e.fd, DRM_IOCTL_ETNAVIV_GEM_WAIT, &w) == 0);
	/* A job without an out-fence fd, waited for by its fence number. */
	CHECK(etna_submit(&e, NULL, 0, 0, -1, NULL, &fence) == 0);
	CHECK(etna_wait_fence(&e, fence, WAIT_NS) == 0);
	close(e.fd);
	return PASS;
}

/*
 * A job blocked by an in-fence that is an unsignalled vgem fence (as a
 * sync_file: Linux 6.0+) must wait for it.  PASS without running where
 * vgem or that export is missing (the caller's other checks still count).
 */
static int etna_blocked_in_fence(struct etna *e)
{
	struct vgem_buf v;
	int r, sf, vsf;

	r = vgem_fence_sync_file(&v, &vsf);
	if (r == SKIP) {
		msg("note: the blocked in-fence check did not run");
		return PASS;
	}
	if (r != PASS)
		return r;
	CHECK(etna_submit(e, NULL, 0,
			  ETNA_SUBMIT_FENCE_FD_IN | ETNA_SUBMIT_NO_IMPLICIT,
			  vsf, &sf, NULL) == 0);
	close(vsf);
	r = expect_blocked_until_signal(sf, &v);
	vgem_close(&v);
	if (r == PASS)
		r = etna_expect_success(sf);
	close(sf);
	return r;
}

/* A job on a second file waits, through its in-fence, for the first's. */
int t_etnaviv_in_out_sync(void)
{
	struct etna a, b;
	int r, a_sf, b_sf;

	r = etna_open(&a);
	if (r != PASS)
		return r;
	r = etna_open(&b);
	if (r != PASS)
		return r;
	CHECK(etna_submit(&a, NULL, 0, 0, -1, &a_sf, NULL) == 0);
	CHECK(etna_submit(&b, NULL, 0, ETNA_SUBMIT_FENCE_FD_IN, a_sf,
			  &b_sf, NULL) == 0);
	CHECK(etna_expect_success(b_sf) == PASS);
	/* B finished, so A had. */
	CHECK(sync_file_wait(a_sf, 0) == 0);
	CHECK(etna_expect_success(a_sf) == PASS);
	close(a_sf);
	close(b_sf);
	r = etna_blocked_in_fence(&b);
	close(b.fd);
	close(a.fd);
	return r;
}

int t_etnaviv_bad_in_sync(void)
{
	uint32_t bad = BAD_HANDLE;
	int r, sf, mark;
	struct etna e;

	r = etna_open(&e);
	if (r != PASS)
		return r;
	mark = lowest_free_fd();
	CHECK(mark >= 0);
	r = etna_submit(&e, NULL, 0, ETNA_SUBMIT_FENCE_FD_IN, -1, &sf, NULL);
	CHECK(expect_errno(r, EINVAL, "in-fence fd -1") == PASS);
	/* A file that is not a sync_file: the DRM file itself. */
	r = etna_submit(&e, NULL, 0, ETNA_SUBMIT_FENCE_FD_IN, e.fd, &sf,
			NULL);
	CHECK(expect_errno(r, EINVAL, "in-fence fd not a sync_file") == PASS);
	r = etna_submit(&e, &bad, 1, 0, -1, &sf, NULL);
	CHECK(expect_errno(r, EINVAL, "unknown BO") == PASS);
	r = etna_submit(&e, NULL, 0, 0x80000000u, -1, &sf, NULL);
	CHECK(expect_errno(r, EINVAL, "unknown submit flag") == PASS);
	/* No out-fence fd was left open by the refused submits. */
	CHECK(lowest_free_fd() == mark);
	/* The file still runs jobs. */
	CHECK(etna_submit(&e, NULL, 0, 0, -1, &sf, NULL) == 0);
	CHECK(etna_expect_success(sf) == PASS);
	close(sf);
	close(e.fd);
	return PASS;
}

/*
 * Close the file right after queueing a burst of jobs: the last out-fence
 * signals, completed or cancelled, and a new file still runs jobs.
 */
int t_etnaviv_submit_and_close(void)
{
	struct etna e;
	int i, r, sf = -1, st;

	r = etna_open(&e);
	if (r != PASS)
		return r;
	for (i = 0; i < 16; i++) {
		if (sf >= 0)
			close(sf);
		CHECK(etna_submit(&e, NULL, 0, 0, -1, &sf, NULL) == 0);
	}
	st = sync_file_status(sf);
	close(e.fd);
	CHECK(sync_file_wait(sf, WAIT_NS) == 0);
	CHECK(sync_file_status(sf) != 0);
	msg("the last job was %s when the file was closed",
	    st ? "already done" : "in flight");
	close(sf);

	r = etna_open(&e);
	if (r != PASS)
		return r == SKIP ? FAIL : r;
	CHECK(etna_submit(&e, NULL, 0, 0, -1, &sf, NULL) == 0);
	CHECK(etna_expect_success(sf) == PASS);
	close(sf);
	close(e.fd);
	return PASS;
}

int t_etnaviv_implicit_sync(void)
{
	struct vgem_buf v;
	struct etna e;
	uint32_t h;
	int r, sf;

	r = etna_open(&e);
	if (r != PASS)
		return r;
	r = vgem_fenced_buf(&v);
	if (r != PASS)
		return r;
	CHECK((h = vgem_import(&v, e.fd)) != 0);
	CHECK(etna_submit(&e, &h, 1, 0, -1, &sf, NULL) == 0);
	r = expect_blocked_until_signal(sf, &v);
	close(sf);
	vgem_close(&v);
	close(e.fd);
	return r;
}
