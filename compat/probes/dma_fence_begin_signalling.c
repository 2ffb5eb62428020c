// SPDX-License-Identifier: GPL-2.0-only
/*
 * DMA_FENCE_BEGIN_SIGNALLING: dma_fence_begin_signalling() and
 * dma_fence_end_signalling() exist (lockdep annotations of fence signalling
 * critical sections).
 *
 * Upstream: "dma-fence: basic lockdep annotations" (Linux 5.9).
 * Fallback: gsd_fence_begin_signalling() returns true and
 * gsd_fence_end_signalling() does nothing.
 */
#include <linux/dma-fence.h>

bool gsd_probe(void);
bool gsd_probe(void)
{
	bool cookie = dma_fence_begin_signalling();

	dma_fence_end_signalling(cookie);
	return cookie;
}
