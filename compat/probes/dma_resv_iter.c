// SPDX-License-Identifier: GPL-2.0-only
/*
 * DMA_RESV_ITER: struct dma_resv_iter and the locked iterator
 * dma_resv_for_each_fence(cursor, obj, X, fence) exist.  X is
 * "bool all_fences" before 5.19 and an enum dma_resv_usage from 5.19 on;
 * the probe passes 1, which is valid for both (DMA_RESV_USAGE tells them
 * apart).
 *
 * Upstream: "dma-buf: add dma_resv_for_each_fence v3" (Linux 5.16); the
 * usage argument came with "dma-buf: add enum dma_resv_usage v4" (5.19).
 * Fallback: on 5.4-5.15 gsd_resv_for_each_wait_fence walks the exclusive
 * fence and the shared list by hand, under the reservation lock.
 */
#include <linux/dma-resv.h>

unsigned int gsd_probe(struct dma_resv *obj);
unsigned int gsd_probe(struct dma_resv *obj)
{
	struct dma_resv_iter cursor;
	struct dma_fence *fence;
	unsigned int n = 0;

	dma_resv_for_each_fence(&cursor, obj, 1, fence)
		n++;
	return n;
}
