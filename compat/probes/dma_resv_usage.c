// SPDX-License-Identifier: GPL-2.0-only
/*
 * DMA_RESV_USAGE: enum dma_resv_usage, DMA_RESV_USAGE_READ/WRITE and
 * dma_resv_usage_rw() exist.
 *
 * Upstream: "dma-buf: add enum dma_resv_usage v4" (Linux 5.19), which
 * replaced the exclusive/shared fence split by one list tagged with usages.
 * Fallback: the exclusive fence stands for WRITE (and KERNEL), the shared
 * fences for READ (gsd_resv_for_each_wait_fence, gsd_resv_add_fence).
 */
#include <linux/dma-resv.h>

int gsd_probe(bool write);
int gsd_probe(bool write)
{
	enum dma_resv_usage usage = dma_resv_usage_rw(write);

	return usage == DMA_RESV_USAGE_READ || usage == DMA_RESV_USAGE_WRITE;
}
