/* SPDX-License-Identifier: (GPL-2.0-only OR MIT) */
/*
 * gsd_vgpu: the interface of the virtual render driver the board tests
 * drive (tests/board/vgpu).  Shared by the module and the test programs.
 * Not a stable uAPI: the driver exists for tests only.
 */
#ifndef GSD_VGPU_DRM_H
#define GSD_VGPU_DRM_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <uapi/drm/drm.h>
#else
#include <stdint.h>
#include <drm/drm.h>
#endif

#define GSD_VGPU_NAME		"gsd_vgpu"

/* Limits of a submission; anything above is -EINVAL. */
#define GSD_VGPU_MAX_BOS	64
#define GSD_VGPU_MAX_IN_SYNCS	64
#define GSD_VGPU_MAX_DURATION_NS	1000000000ull

/**
 * struct drm_gsd_vgpu_create_bo - a shmem buffer object
 * @size: bytes, rounded up to pages; non-zero
 * @flags: must be 0
 * @handle: returned GEM handle
 */
struct drm_gsd_vgpu_create_bo {
	__u64 size;
	__u32 flags;
	__u32 handle;
};

/**
 * struct drm_gsd_vgpu_submit - one job, shaped like panfrost's submit
 * @bo_handles: user pointer to @bo_handle_count u32 GEM handles; the job
 *	waits for every fence on their reservation objects and publishes its
 *	finished fence on them as a writer
 * @in_syncs: user pointer to @in_sync_count u32 syncobj handles to wait for
 * @bo_handle_count: number of BOs
 * @in_sync_count: number of in-syncs
 * @out_sync: syncobj receiving the job's finished fence, 0 for none
 * @flags: must be 0
 * @duration_ns: how long the job "executes" (a CPU timer)
 */
struct drm_gsd_vgpu_submit {
	__u64 bo_handles;
	__u64 in_syncs;
	__u32 bo_handle_count;
	__u32 in_sync_count;
	__u32 out_sync;
	__u32 flags;
	__u64 duration_ns;
};

/**
 * struct drm_gsd_vgpu_stats - counters of the device
 * @jobs_alive: jobs submitted and not yet freed by the scheduler
 * @jobs_completed: jobs whose timer expired (executed)
 */
struct drm_gsd_vgpu_stats {
	__u64 jobs_alive;
	__u64 jobs_completed;
};

#define DRM_GSD_VGPU_CREATE_BO	0x00
#define DRM_GSD_VGPU_SUBMIT	0x01
#define DRM_GSD_VGPU_STATS	0x02

#define DRM_IOCTL_GSD_VGPU_CREATE_BO \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_GSD_VGPU_CREATE_BO, \
		 struct drm_gsd_vgpu_create_bo)
#define DRM_IOCTL_GSD_VGPU_SUBMIT \
	DRM_IOW(DRM_COMMAND_BASE + DRM_GSD_VGPU_SUBMIT, \
		struct drm_gsd_vgpu_submit)
#define DRM_IOCTL_GSD_VGPU_STATS \
	DRM_IOR(DRM_COMMAND_BASE + DRM_GSD_VGPU_STATS, \
		struct drm_gsd_vgpu_stats)

#endif /* GSD_VGPU_DRM_H */
