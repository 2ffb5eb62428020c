// SPDX-License-Identifier: GPL-2.0-only
/*
 * The implicit-sync test for v3d (Broadcom VideoCore VI, e.g. the
 * Raspberry Pi 4).  Its submit tests are IGT's v3d_* binaries.
 *
 * The job: a compute shader dispatch (DRM_IOCTL_V3D_SUBMIT_CSD, V3D 4.1+;
 * the test skips where DRM_V3D_PARAM_SUPPORTS_CSD is 0) of one workgroup
 * of one invocation running an empty shader: three QPU instructions,
 * "nop; thrsw" then two "nop", the encoding of the empty shader IGT's
 * v3d tests run.
 * v3d runs a CSD job and then a cache-clean job that holds the BOs'
 * implicit dependencies; the out-sync gets the cache-clean job's fence,
 * so the fence the test watches is the one that must wait for the vgem
 * fence.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common.h"
#include <drm/v3d_drm.h>

#define V3D_BO_SIZE		4096
/* Fields of the CSD configuration registers (cfg[] of the submit). */
#define CSD_CFG012_WG_COUNT_SHIFT	16
#define CSD_CFG3_BATCHES_PER_SG_M1_SHIFT 12
#define CSD_CFG3_WGS_PER_SG_SHIFT	8
#define CSD_CFG3_WG_SIZE_SHIFT		0
#define CSD_CFG5_PROPAGATE_NANS		0x4u
#define CSD_CFG5_SINGLE_SEG		0x2u
#define CSD_CFG5_THREADING		0x1u

/* Create a BO; its handle and GPU address, or FAIL. */
static int v3d_bo(int fd, uint32_t *handle, uint32_t *addr)
{
	struct drm_v3d_create_bo c;

	memset(&c, 0, sizeof(c));
	c.size = V3D_BO_SIZE;
	CHECK(xioctl(fd, DRM_IOCTL_V3D_CREATE_BO, &c) == 0);
	*handle = c.handle;
	*addr = c.offset;
	return PASS;
}

int t_v3d_implicit_sync(void)
{
	uint32_t shader, shader_addr, unif, unif_addr, bos[3], out;
	struct drm_v3d_submit_csd s;
	struct drm_v3d_get_param p;
	struct drm_v3d_mmap_bo m;
	struct vgem_buf v;
	uint64_t *qpu;
	int fd, r, sf;

	GPU_OPEN(fd, "v3d");
	memset(&p, 0, sizeof(p));
	p.param = DRM_V3D_PARAM_SUPPORTS_CSD;
	CHECK(xioctl(fd, DRM_IOCTL_V3D_GET_PARAM, &p) == 0);
	if (!p.value) {
		msg("this V3D has no compute shader dispatch (V3D < 4.1)");
		close(fd);
		return SKIP;
	}
	r = vgem_fenced_buf(&v);
	if (r != PASS)
		return r;
	CHECK(v3d_bo(fd, &shader, &shader_addr) == PASS);
	CHECK(v3d_bo(fd, &unif, &unif_addr) == PASS);
	memset(&m, 0, sizeof(m));
	m.handle = shader;
	CHECK(xioctl(fd, DRM_IOCTL_V3D_MMAP_BO, &m) == 0);
	CHECK((qpu = bo_mmap(fd, m.offset, V3D_BO_SIZE)) != NULL);
	memset(qpu, 0, V3D_BO_SIZE);
	qpu[0] = 0x3c203186bb800000ull;	/* nop; thrsw */
	qpu[1] = 0x3c003186bb800000ull;	/* nop */
	qpu[2] = 0x3c003186bb800000ull;	/* nop */
	munmap(qpu, V3D_BO_SIZE);

	bos[0] = shader;
	bos[1] = unif;
	CHECK((bos[2] = vgem_import(&v, fd)) != 0);
	CHECK((out = syncobj_create(fd, 0)) != 0);
	memset(&s, 0, sizeof(s));
	s.cfg[0] = 1u << CSD_CFG012_WG_COUNT_SHIFT;	/* 1 x 1 x 1 groups */
	s.cfg[1] = 1u << CSD_CFG012_WG_COUNT_SHIFT;
	s.cfg[2] = 1u << CSD_CFG012_WG_COUNT_SHIFT;
	s.cfg[3] = (1u << CSD_CFG3_WGS_PER_SG_SHIFT) |
		   (0u << CSD_CFG3_BATCHES_PER_SG_M1_SHIFT) |
		   (1u << CSD_CFG3_WG_SIZE_SHIFT);
	s.cfg[4] = 0;					/* batches - 1 */
	s.cfg[5] = shader_addr | CSD_CFG5_PROPAGATE_NANS |
		   CSD_CFG5_SINGLE_SEG | CSD_CFG5_THREADING;
	s.cfg[6] = unif_addr;
	s.bo_handles = (uintptr_t)bos;
	s.bo_handle_count = 3;
	s.out_sync = out;
	CHECK(xioctl(fd, DRM_IOCTL_V3D_SUBMIT_CSD, &s) == 0);
	CHECK((sf = syncobj_sync_file(fd, out)) >= 0);
	r = expect_blocked_until_signal(sf, &v);
	msg("the CSD job ended with fence status %d", sync_file_status(sf));
	close(sf);
	vgem_close(&v);
	close(fd);
	return r;
}
