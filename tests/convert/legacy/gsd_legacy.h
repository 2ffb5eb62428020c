/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * gsd_legacy: the in-kernel interface of the CI test driver of the driver
 * conversion (drivers/README.md, "CI conversion test").  No uAPI: the KUnit
 * suite of tests/convert/legacy-test calls these functions directly.
 *
 * This header uses no scheduler type, so it reads the same before and after
 * the conversion.
 */
#ifndef GSD_LEGACY_H
#define GSD_LEGACY_H

#include <linux/bits.h>
#include <linux/types.h>

struct dma_fence;
struct drm_gem_object;
struct gsd_legacy_dev;
struct gsd_legacy_ctx;

#define GSD_LEGACY_MAX_IN_FENCES	8
#define GSD_LEGACY_MAX_BOS		8

/* The hardware keeps the job until gsd_legacy_hw_release() or a timeout. */
#define GSD_LEGACY_SUBMIT_HOLD		BIT(0)

/**
 * struct gsd_legacy_submit - one job for gsd_legacy_submit()
 * @in_fences: fences the job waits for (the caller keeps its references)
 * @in_count: number of @in_fences
 * @bos: buffers the job uses, with their reservation objects; a NULL entry
 *	stands for a handle that does not resolve (-ENOENT).  The caller keeps
 *	them alive until @out_fence signalled.
 * @writes: per buffer, whether the job writes it
 * @bo_count: number of @bos
 * @flags: GSD_LEGACY_SUBMIT_*
 * @out_fence: set on success: the job's done fence (a reference the caller
 *	must put)
 */
struct gsd_legacy_submit {
	struct dma_fence **in_fences;
	unsigned int in_count;
	struct drm_gem_object **bos;
	const bool *writes;
	unsigned int bo_count;
	u32 flags;
	struct dma_fence *out_fence;
};

/**
 * struct gsd_legacy_stats - counters of a device, for the tests
 * @jobs_live: jobs allocated and not freed yet
 * @jobs_run: jobs handed to the hardware
 * @timeouts: calls of the timeout handler
 * @dependency_op: whether the scheduler backend has a ->dependency op
 */
struct gsd_legacy_stats {
	unsigned int jobs_live;
	unsigned int jobs_run;
	unsigned int timeouts;
	bool dependency_op;
};

struct gsd_legacy_dev *gsd_legacy_dev_create(unsigned int hw_jobs,
					     long timeout);
unsigned int gsd_legacy_dev_destroy(struct gsd_legacy_dev *ldev);
struct gsd_legacy_ctx *gsd_legacy_ctx_create(struct gsd_legacy_dev *ldev);
void gsd_legacy_ctx_destroy(struct gsd_legacy_ctx *ctx);
int gsd_legacy_submit(struct gsd_legacy_ctx *ctx,
		      struct gsd_legacy_submit *args);
void gsd_legacy_hw_release(struct gsd_legacy_dev *ldev);
void gsd_legacy_query(struct gsd_legacy_dev *ldev,
		      struct gsd_legacy_stats *stats);
bool gsd_legacy_wait_idle(struct gsd_legacy_dev *ldev, long timeout);

#endif /* GSD_LEGACY_H */
