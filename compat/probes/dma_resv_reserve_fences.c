// SPDX-License-Identifier: GPL-2.0-only
/*
 * DMA_RESV_RESERVE_FENCES: dma_resv_reserve_fences(obj, num_fences) exists;
 * a slot must be reserved before every dma_resv_add_fence().
 *
 * Upstream: "dma-buf/drivers: make reserving a shared slot mandatory v4"
 * (Linux 5.19), which renamed dma_resv_reserve_shared().
 * Fallback: dma_resv_reserve_shared(obj, num_fences), which only shared
 * fences needed (gsd_resv_reserve).
 */
#include <linux/dma-resv.h>

int gsd_probe(void);
int gsd_probe(void)
{
	int (*fn)(struct dma_resv *, unsigned int) = dma_resv_reserve_fences;

	return !!fn;
}
