// SPDX-License-Identifier: GPL-2.0-only
// files: etnaviv_gem.h
// The BOs' copies of their implicit fences go: they are dependencies of
// the scheduler job now (the in-fence field: patches/etnaviv).

@bo_fences@
@@
 struct etnaviv_gem_submit_bo {
 ...
- struct dma_fence *excl;
- unsigned int nr_shared;
- struct dma_fence **shared;
 ...
 };
