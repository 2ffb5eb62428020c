// SPDX-License-Identifier: GPL-2.0-only
/*
 * Job submission tests for lima (Mali-400/450), which has no IGT
 * tests, and its implicit-sync test.  Raw ioctls of include/uapi/drm/
 * lima_drm.h, the same from Linux 5.4 to 6.12 for what is used here.
 *
 * The job: a GP (geometry processor) frame of six registers whose vertex
 * shader command list is empty (start == end: the kernel does not start
 * the VS) and whose PLBU command list is the single END command
 * {0x00000000, 0x50000000}, the command Mesa's lima driver ends every
 * PLBU list with.  The PLBU reads it, raises PLBU_END_CMD_LST and the job
 * completes without drawing anything.  The tile heap range of the frame
 * points into the same BO and is not used.  lima refuses a GP frame whose
 * two lists are both empty, and a submit without BOs (EINVAL).
 *
 * lima's in-syncs are two syncobj handles (0: none), looked up with
 * drm_syncobj_find_fence: an unknown handle is ENOENT, a syncobj without
 * a fence EINVAL; an unknown out-sync or BO handle is ENOENT.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common.h"
#include <drm/lima_drm.h>

#define LIMA_BO_SIZE		0x3000
#define LIMA_HEAP_OFFSET	0x1000
#define LIMA_MAX_EXTRA_BOS	3
#define BAD_HANDLE		0x7fffffffu

struct lima {
	int fd;
	uint32_t ctx;
	uint32_t bo;		/* the PLBU command list, then the tile heap */
	uint32_t va;		/* its GPU address */
};

/* Open lima's render node, create a context and the job's BO. */
static int lima_open(struct lima *l)
{
	struct drm_lima_ctx_create cc;
	struct drm_lima_gem_create gc;
	struct drm_lima_gem_info gi;
	uint32_t *cmd;

	GPU_OPEN(l->fd, "lima");
	memset(&cc, 0, sizeof(cc));
	CHECK(xioctl(l->fd, DRM_IOCTL_LIMA_CTX_CREATE, &cc) == 0);
	l->ctx = cc.id;
	memset(&gc, 0, sizeof(gc));
	gc.size = LIMA_BO_SIZE;
	CHECK(xioctl(l->fd, DRM_IOCTL_LIMA_GEM_CREATE, &gc) == 0);
	l->bo = gc.handle;
	memset(&gi, 0, sizeof(gi));
	gi.handle = l->bo;
	CHECK(xioctl(l->fd, DRM_IOCTL_LIMA_GEM_INFO, &gi) == 0);
	l->va = gi.va;
	CHECK((cmd = bo_mmap(l->fd, gi.offset, LIMA_BO_SIZE)) != NULL);
	memset(cmd, 0, LIMA_BO_SIZE);
	cmd[0] = 0x00000000;	/* PLBU: END */
	cmd[1] = 0x50000000;
	munmap(cmd, LIMA_BO_SIZE);
	return PASS;
}

/*
 * One GP job on L's context: its own BO (read/write) and EXTRA BOs (read),
 * in-syncs IN0/IN1 and out-sync OUT (0: none); ioctl's return value.
 */
static int lima_submit(struct lima *l, const uint32_t *extra,
		       uint32_t nextra, uint32_t in0, uint32_t in1,
		       uint32_t out, uint32_t flags)
{
	struct drm_lima_gem_submit_bo bos[1 + LIMA_MAX_EXTRA_BOS];
	struct drm_lima_gp_frame frame;
	struct drm_lima_gem_submit s;
	uint32_t i;

	if (nextra > LIMA_MAX_EXTRA_BOS) {
		errno = E2BIG;
		return -1;
	}
	memset(bos, 0, sizeof(bos));
	bos[0].handle = l->bo;
	bos[0].flags = LIMA_SUBMIT_BO_READ | LIMA_SUBMIT_BO_WRITE;
	for (i = 0; i < nextra; i++) {
		bos[i + 1].handle = extra[i];
		bos[i + 1].flags = LIMA_SUBMIT_BO_READ;
	}
	memset(&frame, 0, sizeof(frame));
	frame.frame[0] = l->va;				/* VS list: empty */
	frame.frame[1] = l->va;
	frame.frame[2] = l->va;				/* PLBU list: END */
	frame.frame[3] = l->va + 8;
	frame.frame[4] = l->va + LIMA_HEAP_OFFSET;	/* tile heap */
	frame.frame[5] = l->va + LIMA_BO_SIZE;
	memset(&s, 0, sizeof(s));
	s.ctx = l->ctx;
	s.pipe = LIMA_PIPE_GP;
	s.nr_bos = 1 + nextra;
	s.frame_size = sizeof(frame);
	s.bos = (uintptr_t)bos;
	s.frame = (uintptr_t)&frame;
	s.flags = flags;
	s.out_sync = out;
	s.in_sync[0] = in0;
	s.in_sync[1] = in1;
	return xioctl(l->fd, DRM_IOCTL_LIMA_GEM_SUBMIT, &s);
}

/* The fence in syncobj OUT signalled without error. */
static int lima_expect_success(struct lima *l, uint32_t out)
{
	int sf, st;

	CHECK(syncobj_wait(l->fd, out, WAIT_NS) == 0);
	CHECK((sf = syncobj_sync_file(l->fd, out)) >= 0);
	st = sync_file_status(sf);
	close(sf);
	if (st != 1) {
		msg("the GP job ended with status %d, not 1: the GPU refused it",
		    st);
		return FAIL;
	}
	return PASS;
}

int t_lima_trivial_job(void)
{
	struct drm_lima_gem_wait w;
	struct lima l;
	uint32_t out;
	int r;

	r = lima_open(&l);
	if (r != PASS)
		return r;
	CHECK((out = syncobj_create(l.fd, 0)) != 0);
	CHECK(lima_submit(&l, NULL, 0, 0, 0, out, 0) == 0);
	CHECK(lima_expect_success(&l, out) == PASS);
	/* The job's fence is on its BO too, and signalled: the BO is idle. */
	memset(&w, 0, sizeof(w));
	w.handle = l.bo;
	w.op = LIMA_GEM_WAIT_WRITE;
	CHECK(xioctl(l.fd, DRM_IOCTL_LIMA_GEM_WAIT, &w) == 0);
	/* A job without an out-sync is accepted and runs: the BO idles. */
	CHECK(lima_submit(&l, NULL, 0, 0, 0, 0, 0) == 0);
	w.timeout_ns = now_ns() + WAIT_NS;
	CHECK(xioctl(l.fd, DRM_IOCTL_LIMA_GEM_WAIT, &w) == 0);
	close(l.fd);
	return PASS;
}

/*
 * A job blocked by an in-sync holding an unsignalled vgem fence (as a
 * sync_file: Linux 6.0+) must wait for it.  PASS without running where
 * vgem or that export is missing (the caller's other checks still count).
 */
static int lima_blocked_in_sync(struct lima *l)
{
	struct drm_syncobj_handle h;
	struct vgem_buf v;
	uint32_t in, out;
	int r, sf, vsf;

	r = vgem_fence_sync_file(&v, &vsf);
	if (r == SKIP) {
		msg("note: the blocked in-sync check did not run");
		return PASS;
	}
	if (r != PASS)
		return r;
	CHECK((in = syncobj_create(l->fd, 0)) != 0);
	memset(&h, 0, sizeof(h));
	h.fd = vsf;
	h.handle = in;
	h.flags = DRM_SYNCOBJ_FD_TO_HANDLE_FLAGS_IMPORT_SYNC_FILE;
	CHECK(xioctl(l->fd, DRM_IOCTL_SYNCOBJ_FD_TO_HANDLE, &h) == 0);
	close(vsf);
	CHECK((out = syncobj_create(l->fd, 0)) != 0);
	CHECK(lima_submit(l, NULL, 0, in, 0, out,
			  LIMA_SUBMIT_FLAG_EXPLICIT_FENCE) == 0);
	CHECK((sf = syncobj_sync_file(l->fd, out)) >= 0);
	r = expect_blocked_until_signal(sf, &v);
	close(sf);
	vgem_close(&v);
	if (r != PASS)
		return r;
	return lima_expect_success(l, out);
}

/* A job on a second file waits, through in_sync[1], for the first's. */
int t_lima_in_out_sync(void)
{
	uint32_t a_out, b_in, b_out;
	struct lima a, b;
	int r;

	r = lima_open(&a);
	if (r != PASS)
		return r;
	r = lima_open(&b);
	if (r != PASS)
		return r;
	CHECK((a_out = syncobj_create(a.fd, 0)) != 0);
	CHECK((b_out = syncobj_create(b.fd, 0)) != 0);
	CHECK(lima_submit(&a, NULL, 0, 0, 0, a_out, 0) == 0);
	CHECK((b_in = syncobj_share(a.fd, a_out, b.fd)) != 0);
	CHECK(lima_submit(&b, NULL, 0, 0, b_in, b_out,
			  LIMA_SUBMIT_FLAG_EXPLICIT_FENCE) == 0);
	CHECK(lima_expect_success(&b, b_out) == PASS);
	/* B finished, so A had. */
	CHECK(syncobj_wait(a.fd, a_out, 0) == 0);
	CHECK(lima_expect_success(&a, a_out) == PASS);
	r = lima_blocked_in_sync(&b);
	close(b.fd);
	close(a.fd);
	return r;
}

int t_lima_bad_in_sync(void)
{
	uint32_t empty, good, out, bad = BAD_HANDLE;
	struct lima l;
	int r;

	r = lima_open(&l);
	if (r != PASS)
		return r;
	CHECK((out = syncobj_create(l.fd, 0)) != 0);
	CHECK((empty = syncobj_create(l.fd, 0)) != 0);
	CHECK((good = syncobj_create(l.fd, DRM_SYNCOBJ_CREATE_SIGNALED)) != 0);
	r = lima_submit(&l, NULL, 0, bad, 0, out, 0);
	CHECK(expect_errno(r, ENOENT, "unknown in_sync[0]") == PASS);
	r = lima_submit(&l, NULL, 0, good, bad, out, 0);
	CHECK(expect_errno(r, ENOENT, "good in_sync[0], unknown in_sync[1]") == PASS);
	r = lima_submit(&l, NULL, 0, empty, 0, out, 0);
	CHECK(expect_errno(r, EINVAL, "in-sync without a fence") == PASS);
	r = lima_submit(&l, NULL, 0, 0, 0, bad, 0);
	CHECK(expect_errno(r, ENOENT, "unknown out-sync") == PASS);
	r = lima_submit(&l, &bad, 1, 0, 0, out, 0);
	CHECK(expect_errno(r, ENOENT, "unknown BO") == PASS);
	/* The out-sync was never given a fence. */
	errno = 0;
	CHECK(syncobj_wait(l.fd, out, 0) == -1 && errno == EINVAL);
	/* The context still runs jobs. */
	CHECK(lima_submit(&l, NULL, 0, good, 0, out, 0) == 0);
	CHECK(lima_expect_success(&l, out) == PASS);
	close(l.fd);
	return PASS;
}

/*
 * Close the file right after queueing a burst of jobs: the last out-fence
 * (taken out as a sync_file before the close) signals, completed or
 * cancelled, and a new file still runs jobs.
 */
int t_lima_submit_and_close(void)
{
	struct lima l;
	uint32_t out;
	int i, r, sf, st;

	r = lima_open(&l);
	if (r != PASS)
		return r;
	CHECK((out = syncobj_create(l.fd, 0)) != 0);
	for (i = 0; i < 16; i++)
		CHECK(lima_submit(&l, NULL, 0, 0, 0, out, 0) == 0);
	CHECK((sf = syncobj_sync_file(l.fd, out)) >= 0);
	st = sync_file_status(sf);
	close(l.fd);
	CHECK(sync_file_wait(sf, WAIT_NS) == 0);
	CHECK(sync_file_status(sf) != 0);
	msg("the last job was %s when the file was closed",
	    st ? "already done" : "in flight");
	close(sf);

	r = lima_open(&l);
	if (r != PASS)
		return r == SKIP ? FAIL : r;
	CHECK((out = syncobj_create(l.fd, 0)) != 0);
	CHECK(lima_submit(&l, NULL, 0, 0, 0, out, 0) == 0);
	CHECK(lima_expect_success(&l, out) == PASS);
	close(l.fd);
	return PASS;
}

int t_lima_implicit_sync(void)
{
	struct vgem_buf v;
	uint32_t h, out;
	struct lima l;
	int r, sf;

	r = lima_open(&l);
	if (r != PASS)
		return r;
	r = vgem_fenced_buf(&v);
	if (r != PASS)
		return r;
	CHECK((h = vgem_import(&v, l.fd)) != 0);
	CHECK((out = syncobj_create(l.fd, 0)) != 0);
	CHECK(lima_submit(&l, &h, 1, 0, 0, out, 0) == 0);
	CHECK((sf = syncobj_sync_file(l.fd, out)) >= 0);
	r = expect_blocked_until_signal(sf, &v);
	close(sf);
	vgem_close(&v);
	close(l.fd);
	return r;
}
