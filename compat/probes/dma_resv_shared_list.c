// SPDX-License-Identifier: GPL-2.0-only
/*
 * DMA_RESV_SHARED_LIST: the locked shared-list getter is called
 * dma_resv_shared_list(obj) and returns a struct dma_resv_list with a
 * shared_count and a shared[] array.
 *
 * Upstream: "dma-buf: rename and cleanup dma_resv_get_list v2" (Linux 5.14);
 * removed again in 5.19 with the shared list.
 * Fallback: dma_resv_get_list(obj), its name on 5.4-5.13.  Only used where
 * DMA_RESV_ITER is unset.
 */
#include <linux/dma-resv.h>

unsigned int gsd_probe(struct dma_resv *obj);
unsigned int gsd_probe(struct dma_resv *obj)
{
	struct dma_resv_list *list = dma_resv_shared_list(obj);

	return list ? list->shared_count : 0;
}
