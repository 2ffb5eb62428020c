// SPDX-License-Identifier: GPL-2.0-only
/*
 * DMA_RESV_EXCL_FENCE: the locked exclusive-fence getter is called
 * dma_resv_excl_fence(obj).
 *
 * Upstream: "dma-buf: rename and cleanup dma_resv_get_excl v3" (Linux 5.14);
 * the getter was removed again in 5.19 with the exclusive slot.
 * Fallback: dma_resv_get_excl(obj), its name on 5.4-5.13.  Only used where
 * DMA_RESV_ITER is unset.
 */
#include <linux/dma-resv.h>

struct dma_fence *gsd_probe(struct dma_resv *obj);
struct dma_fence *gsd_probe(struct dma_resv *obj)
{
	return dma_resv_excl_fence(obj);
}
