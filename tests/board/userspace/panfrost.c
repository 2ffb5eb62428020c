// SPDX-License-Identifier: GPL-2.0-only
/*
 * The implicit-sync test for panfrost (Mali Midgard/Bifrost
 * job manager GPUs).  Its submit tests are IGT's panfrost_submit.
 *
 * The job: a chain of one job descriptor of type NULL (1), 64-bit
 * descriptor, index 1, no dependencies, no next job.  The job manager
 * completes a NULL job without doing any work and writes its status into
 * the descriptor's first word.  Should a GPU refuse it, panfrost reports
 * a job fault and signals the job's fence with an error: the test accepts
 * either, because what it asserts is only when the fence signals.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common.h"
#include <drm/panfrost_drm.h>

#define PAN_BO_SIZE		4096
/* Word 4 of a job header: bit 0 64-bit descriptor, bits 1..7 the type,
 * bits 16..31 the job index.
 */
#define PAN_JOB_64BIT		0x1u
#define PAN_JOB_TYPE_NULL	1u
#define PAN_JOB_WORD4(type, index) \
	(PAN_JOB_64BIT | ((type) << 1) | ((uint32_t)(index) << 16))

int t_panfrost_implicit_sync(void)
{
	struct drm_panfrost_create_bo c;
	struct drm_panfrost_mmap_bo m;
	struct drm_panfrost_submit s;
	struct vgem_buf v;
	uint32_t bos[2], out, *job;
	int fd, r, sf;

	GPU_OPEN(fd, "panfrost");
	r = vgem_fenced_buf(&v);
	if (r != PASS)
		return r;
	memset(&c, 0, sizeof(c));
	c.size = PAN_BO_SIZE;
	CHECK(xioctl(fd, DRM_IOCTL_PANFROST_CREATE_BO, &c) == 0);
	memset(&m, 0, sizeof(m));
	m.handle = c.handle;
	CHECK(xioctl(fd, DRM_IOCTL_PANFROST_MMAP_BO, &m) == 0);
	CHECK((job = bo_mmap(fd, m.offset, PAN_BO_SIZE)) != NULL);
	memset(job, 0, PAN_BO_SIZE);
	job[4] = PAN_JOB_WORD4(PAN_JOB_TYPE_NULL, 1);
	munmap(job, PAN_BO_SIZE);

	bos[0] = c.handle;
	CHECK((bos[1] = vgem_import(&v, fd)) != 0);
	CHECK((out = syncobj_create(fd, 0)) != 0);
	memset(&s, 0, sizeof(s));
	s.jc = c.offset;
	s.bo_handles = (uintptr_t)bos;
	s.bo_handle_count = 2;
	s.out_sync = out;
	CHECK(xioctl(fd, DRM_IOCTL_PANFROST_SUBMIT, &s) == 0);
	CHECK((sf = syncobj_sync_file(fd, out)) >= 0);
	r = expect_blocked_until_signal(sf, &v);
	msg("the NULL job ended with fence status %d", sync_file_status(sf));
	close(sf);
	vgem_close(&v);
	close(fd);
	return r;
}
