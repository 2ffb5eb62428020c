// SPDX-License-Identifier: GPL-2.0-only
/*
 * gsd_vgpu: a virtual DRM render driver for the board tests.
 *
 * It gives the userspace tests of tests/board/ a device to drive where no
 * GPU exists (qemu): a render node with shmem GEM objects, syncobjs, PRIME,
 * and a submit ioctl shaped like panfrost's (BO handles, in-syncs, one
 * out-sync).  Every job goes through gpu-sched-deps: drm_sched_job_init(),
 * syncobj and implicit (reservation object) dependencies, drm_sched_job_arm(),
 * the finished fence published on the BOs and the out-sync, then
 * drm_sched_entity_push_job().  The "hardware" is a FIFO of jobs executed
 * one after the other by an hrtimer, each for the duration the ioctl gave.
 *
 * Used by tests only; never installed by DKMS.
 */

#include <linux/dma-fence.h>
#include <linux/dma-mapping.h>
#include <linux/dma-resv.h>
#include <linux/hrtimer.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include <drm/drm_device.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_gem_shmem_helper.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_syncobj.h>
#include <drm/gpu_scheduler.h>

#include "gsd_vgpu_drm.h"

#define VGPU_HW_JOBS		4
#define VGPU_TIMEOUT_MS		10000
#define VGPU_DRAIN_TIMEOUT_MS	30000

struct vgpu_device {
	struct drm_device drm;
	struct drm_gpu_scheduler sched;

	spinlock_t hw_lock;		/* hw_queue, fence seqno, timer state */
	struct list_head hw_queue;	/* vgpu_hw_fence, head is executing */
	struct hrtimer timer;
	u64 fence_context;
	u64 fence_seqno;

	atomic64_t jobs_alive;
	atomic64_t jobs_completed;
	wait_queue_head_t idle_wq;
};

struct vgpu_file {
	struct drm_sched_entity entity;
};

/* The "hardware" fence of one job: signalled when its timer expires. */
struct vgpu_hw_fence {
	struct dma_fence base;		/* first: dma_fence_free() frees it */
	struct list_head node;
	ktime_t duration;
};

struct vgpu_job {
	struct drm_sched_job base;
	struct vgpu_device *vdev;
	struct drm_gem_object **bos;
	u32 bo_count;
	u64 duration_ns;
	struct dma_fence *hw_fence;
};

static struct vgpu_device *to_vdev(struct drm_device *drm)
{
	return container_of(drm, struct vgpu_device, drm);
}

static struct vgpu_job *to_vjob(struct drm_sched_job *job)
{
	return container_of(job, struct vgpu_job, base);
}

static const char *vgpu_fence_driver_name(struct dma_fence *fence)
{
	return GSD_VGPU_NAME;
}

static const char *vgpu_fence_timeline_name(struct dma_fence *fence)
{
	return "gsd_vgpu-hw";
}

static const struct dma_fence_ops vgpu_fence_ops = {
	.get_driver_name = vgpu_fence_driver_name,
	.get_timeline_name = vgpu_fence_timeline_name,
};

/* Called with hw_lock held: start the head of the queue, if any. */
static void vgpu_hw_kick(struct vgpu_device *vdev)
{
	struct vgpu_hw_fence *head;

	if (hrtimer_is_queued(&vdev->timer) || list_empty(&vdev->hw_queue))
		return;
	head = list_first_entry(&vdev->hw_queue, struct vgpu_hw_fence, node);
	hrtimer_start(&vdev->timer, head->duration, HRTIMER_MODE_REL);
}

static enum hrtimer_restart vgpu_hw_timer(struct hrtimer *timer)
{
	struct vgpu_device *vdev = container_of(timer, struct vgpu_device,
						timer);
	struct vgpu_hw_fence *head;
	unsigned long flags;

	spin_lock_irqsave(&vdev->hw_lock, flags);
	head = list_first_entry_or_null(&vdev->hw_queue, struct vgpu_hw_fence,
					node);
	if (head) {
		list_del_init(&head->node);
		/* Counted first: waiters of the fence may read the count. */
		atomic64_inc(&vdev->jobs_completed);
		dma_fence_signal_locked(&head->base);
		dma_fence_put(&head->base);	/* the queue's reference */
	}
	if (list_empty(&vdev->hw_queue)) {
		spin_unlock_irqrestore(&vdev->hw_lock, flags);
		wake_up_all(&vdev->idle_wq);
		return HRTIMER_NORESTART;
	}
	head = list_first_entry(&vdev->hw_queue, struct vgpu_hw_fence, node);
	hrtimer_forward_now(timer, head->duration);
	spin_unlock_irqrestore(&vdev->hw_lock, flags);
	return HRTIMER_RESTART;
}

static bool vgpu_hw_idle(struct vgpu_device *vdev)
{
	unsigned long flags;
	bool idle;

	spin_lock_irqsave(&vdev->hw_lock, flags);
	idle = list_empty(&vdev->hw_queue);
	spin_unlock_irqrestore(&vdev->hw_lock, flags);
	return idle;
}

static struct dma_fence *vgpu_run_job(struct drm_sched_job *sched_job)
{
	struct vgpu_job *job = to_vjob(sched_job);
	struct vgpu_device *vdev = job->vdev;
	struct vgpu_hw_fence *hw;
	unsigned long flags;

	/* A job cancelled before it ran (its dependency failed): skip it. */
	if (sched_job->s_fence->finished.error)
		return NULL;

	hw = kzalloc(sizeof(*hw), GFP_KERNEL);
	if (!hw)
		return ERR_PTR(-ENOMEM);
	hw->duration = ns_to_ktime(job->duration_ns);
	INIT_LIST_HEAD(&hw->node);

	spin_lock_irqsave(&vdev->hw_lock, flags);
	dma_fence_init(&hw->base, &vgpu_fence_ops, &vdev->hw_lock,
		       vdev->fence_context, ++vdev->fence_seqno);
	dma_fence_get(&hw->base);		/* the queue's reference */
	list_add_tail(&hw->node, &vdev->hw_queue);
	vgpu_hw_kick(vdev);
	spin_unlock_irqrestore(&vdev->hw_lock, flags);

	job->hw_fence = dma_fence_get(&hw->base);
	return &hw->base;			/* the scheduler's reference */
}

static enum drm_gpu_sched_stat vgpu_timedout_job(struct drm_sched_job *job)
{
	/* Jobs are at most a second long: the timer cannot hang. */
	drm_warn(&to_vjob(job)->vdev->drm, "job %llu timed out\n", job->id);
	return DRM_GPU_SCHED_STAT_NOMINAL;
}

static void vgpu_job_put_bos(struct vgpu_job *job)
{
	u32 i;

	if (!job->bos)
		return;
	for (i = 0; i < job->bo_count; i++)
		if (job->bos[i])
			drm_gem_object_put(job->bos[i]);
	kvfree(job->bos);
	job->bos = NULL;
}

static void vgpu_job_free(struct vgpu_job *job)
{
	struct vgpu_device *vdev = job->vdev;

	vgpu_job_put_bos(job);
	dma_fence_put(job->hw_fence);
	kfree(job);
	if (atomic64_dec_and_test(&vdev->jobs_alive))
		wake_up_all(&vdev->idle_wq);
}

static void vgpu_free_job(struct drm_sched_job *sched_job)
{
	drm_sched_job_cleanup(sched_job);
	vgpu_job_free(to_vjob(sched_job));
}

static const struct drm_sched_backend_ops vgpu_sched_ops = {
	.run_job = vgpu_run_job,
	.timedout_job = vgpu_timedout_job,
	.free_job = vgpu_free_job,
};

static int vgpu_open(struct drm_device *drm, struct drm_file *file)
{
	struct vgpu_device *vdev = to_vdev(drm);
	struct drm_gpu_scheduler *sched = &vdev->sched;
	struct vgpu_file *vfile;
	int ret;

	vfile = kzalloc(sizeof(*vfile), GFP_KERNEL);
	if (!vfile)
		return -ENOMEM;
	ret = drm_sched_entity_init(&vfile->entity, DRM_SCHED_PRIORITY_NORMAL,
				    &sched, 1, NULL);
	if (ret) {
		kfree(vfile);
		return ret;
	}
	file->driver_priv = vfile;
	return 0;
}

static void vgpu_postclose(struct drm_device *drm, struct drm_file *file)
{
	struct vgpu_file *vfile = file->driver_priv;

	/* Jobs still queued are run or killed; none outlives the entity. */
	drm_sched_entity_destroy(&vfile->entity);
	kfree(vfile);
}

static int vgpu_ioctl_create_bo(struct drm_device *drm, void *data,
				struct drm_file *file)
{
	struct drm_gsd_vgpu_create_bo *args = data;
	struct drm_gem_shmem_object *shmem;
	int ret;

	if (args->flags || !args->size)
		return -EINVAL;
	shmem = drm_gem_shmem_create(drm, args->size);
	if (IS_ERR(shmem))
		return PTR_ERR(shmem);
	ret = drm_gem_handle_create(file, &shmem->base, &args->handle);
	/* The handle holds the object now, or it is freed here. */
	drm_gem_object_put(&shmem->base);
	return ret;
}

static int vgpu_job_add_in_syncs(struct vgpu_job *job, struct drm_file *file,
				 u64 uptr, u32 count)
{
	u32 *handles;
	u32 i;
	int ret = 0;

	if (!count)
		return 0;
	handles = kvmalloc_array(count, sizeof(*handles), GFP_KERNEL);
	if (!handles)
		return -ENOMEM;
	if (copy_from_user(handles, u64_to_user_ptr(uptr),
			   count * sizeof(*handles))) {
		ret = -EFAULT;
		goto out;
	}
	for (i = 0; i < count; i++) {
		/* -ENOENT for an unknown handle, -EINVAL for an empty one. */
		ret = drm_sched_job_add_syncobj_dependency(&job->base, file,
							   handles[i], 0);
		if (ret)
			break;
	}
out:
	kvfree(handles);
	return ret;
}

/* Wait for every fence on the BOs, then publish @job's finished fence. */
static int vgpu_job_lock_bos(struct vgpu_job *job,
			     struct ww_acquire_ctx *ctx)
{
	u32 i;
	int ret;

	ret = drm_gem_lock_reservations(job->bos, job->bo_count, ctx);
	if (ret)
		return ret;
	for (i = 0; i < job->bo_count; i++) {
		ret = dma_resv_reserve_fences(job->bos[i]->resv, 1);
		if (ret)
			goto fail;
		ret = drm_sched_job_add_implicit_dependencies(&job->base,
							      job->bos[i],
							      true);
		if (ret)
			goto fail;
	}
	return 0;
fail:
	drm_gem_unlock_reservations(job->bos, job->bo_count, ctx);
	return ret;
}

static int vgpu_ioctl_submit(struct drm_device *drm, void *data,
			     struct drm_file *file)
{
	struct vgpu_device *vdev = to_vdev(drm);
	struct vgpu_file *vfile = file->driver_priv;
	struct drm_gsd_vgpu_submit *args = data;
	struct drm_syncobj *out_sync = NULL;
	struct ww_acquire_ctx ctx;
	struct dma_fence *finished;
	struct vgpu_job *job;
	u32 i;
	int ret;

	if (args->flags || args->bo_handle_count > GSD_VGPU_MAX_BOS ||
	    args->in_sync_count > GSD_VGPU_MAX_IN_SYNCS ||
	    args->duration_ns > GSD_VGPU_MAX_DURATION_NS)
		return -EINVAL;

	if (args->out_sync) {
		out_sync = drm_syncobj_find(file, args->out_sync);
		if (!out_sync)
			return -ENOENT;
	}

	job = kzalloc(sizeof(*job), GFP_KERNEL);
	if (!job) {
		ret = -ENOMEM;
		goto out_sync_put;
	}
	job->vdev = vdev;
	job->duration_ns = args->duration_ns;
	atomic64_inc(&vdev->jobs_alive);

	ret = drm_sched_job_init(&job->base, &vfile->entity, vfile);
	if (ret) {
		vgpu_job_free(job);
		goto out_sync_put;
	}

	ret = vgpu_job_add_in_syncs(job, file, args->in_syncs,
				    args->in_sync_count);
	if (ret)
		goto out_cleanup;

	if (args->bo_handle_count) {
		job->bo_count = args->bo_handle_count;
		ret = drm_gem_objects_lookup(file,
					     u64_to_user_ptr(args->bo_handles),
					     job->bo_count, &job->bos);
		if (ret)
			goto out_cleanup;
	}

	ret = vgpu_job_lock_bos(job, &ctx);
	if (ret)
		goto out_cleanup;

	drm_sched_job_arm(&job->base);
	finished = dma_fence_get(&job->base.s_fence->finished);
	for (i = 0; i < job->bo_count; i++)
		dma_resv_add_fence(job->bos[i]->resv, finished,
				   DMA_RESV_USAGE_WRITE);
	drm_sched_entity_push_job(&job->base);
	drm_gem_unlock_reservations(job->bos, job->bo_count, &ctx);

	if (out_sync)
		drm_syncobj_replace_fence(out_sync, finished);
	dma_fence_put(finished);
	goto out_sync_put;

out_cleanup:
	drm_sched_job_cleanup(&job->base);
	vgpu_job_free(job);
out_sync_put:
	if (out_sync)
		drm_syncobj_put(out_sync);
	return ret;
}

static int vgpu_ioctl_stats(struct drm_device *drm, void *data,
			    struct drm_file *file)
{
	struct vgpu_device *vdev = to_vdev(drm);
	struct drm_gsd_vgpu_stats *args = data;

	args->jobs_alive = atomic64_read(&vdev->jobs_alive);
	args->jobs_completed = atomic64_read(&vdev->jobs_completed);
	return 0;
}

static const struct drm_ioctl_desc vgpu_ioctls[] = {
	DRM_IOCTL_DEF_DRV(GSD_VGPU_CREATE_BO, vgpu_ioctl_create_bo,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(GSD_VGPU_SUBMIT, vgpu_ioctl_submit, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(GSD_VGPU_STATS, vgpu_ioctl_stats, DRM_RENDER_ALLOW),
};

DEFINE_DRM_GEM_FOPS(vgpu_fops);

static const struct drm_driver vgpu_driver = {
	.driver_features = DRIVER_GEM | DRIVER_RENDER | DRIVER_SYNCOBJ,
	.open = vgpu_open,
	.postclose = vgpu_postclose,
	.ioctls = vgpu_ioctls,
	.num_ioctls = ARRAY_SIZE(vgpu_ioctls),
	.fops = &vgpu_fops,
	DRM_GEM_SHMEM_DRIVER_OPS,
	.name = GSD_VGPU_NAME,
	.desc = "virtual render driver for gpu-sched-deps tests",
	.date = "20240101",
	.major = 1,
	.minor = 0,
};

static int vgpu_probe(struct platform_device *pdev)
{
	struct vgpu_device *vdev;
	int ret;

	/* PRIME imports map the exporter's pages for this device. */
	ret = dma_coerce_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (ret)
		return ret;

	vdev = devm_drm_dev_alloc(&pdev->dev, &vgpu_driver, struct vgpu_device,
				  drm);
	if (IS_ERR(vdev))
		return PTR_ERR(vdev);
	spin_lock_init(&vdev->hw_lock);
	INIT_LIST_HEAD(&vdev->hw_queue);
	hrtimer_init(&vdev->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	vdev->timer.function = vgpu_hw_timer;
	vdev->fence_context = dma_fence_context_alloc(1);
	init_waitqueue_head(&vdev->idle_wq);
	atomic64_set(&vdev->jobs_alive, 0);
	atomic64_set(&vdev->jobs_completed, 0);

	ret = drm_sched_init(&vdev->sched, &vgpu_sched_ops, VGPU_HW_JOBS, 0,
			     msecs_to_jiffies(VGPU_TIMEOUT_MS), NULL, NULL,
			     "gsd_vgpu");
	if (ret)
		return ret;

	platform_set_drvdata(pdev, vdev);
	ret = drm_dev_register(&vdev->drm, 0);
	if (ret) {
		drm_sched_fini(&vdev->sched);
		return ret;
	}
	return 0;
}

static int vgpu_remove(struct platform_device *pdev)
{
	struct vgpu_device *vdev = platform_get_drvdata(pdev);

	/*
	 * No file is open (each holds a module reference), but jobs of
	 * closed files may still be executing: let them finish and be freed.
	 */
	drm_dev_unregister(&vdev->drm);
	if (!wait_event_timeout(vdev->idle_wq, vgpu_hw_idle(vdev) &&
				!atomic64_read(&vdev->jobs_alive),
				msecs_to_jiffies(VGPU_DRAIN_TIMEOUT_MS)))
		drm_err(&vdev->drm, "%lld job(s) did not drain\n",
			(long long)atomic64_read(&vdev->jobs_alive));
	drm_sched_fini(&vdev->sched);
	hrtimer_cancel(&vdev->timer);
	return 0;
}

static struct platform_driver vgpu_platform_driver = {
	.probe = vgpu_probe,
	.remove = vgpu_remove,
	.driver = {
		.name = GSD_VGPU_NAME,
	},
};

static struct platform_device *vgpu_pdev;

static int __init vgpu_init(void)
{
	int ret;

	ret = platform_driver_register(&vgpu_platform_driver);
	if (ret)
		return ret;
	vgpu_pdev = platform_device_register_simple(GSD_VGPU_NAME, -1, NULL, 0);
	if (IS_ERR(vgpu_pdev)) {
		platform_driver_unregister(&vgpu_platform_driver);
		return PTR_ERR(vgpu_pdev);
	}
	if (!platform_get_drvdata(vgpu_pdev)) {
		/* The probe failed: it logged why. */
		platform_device_unregister(vgpu_pdev);
		platform_driver_unregister(&vgpu_platform_driver);
		return -ENODEV;
	}
	return 0;
}

static void __exit vgpu_exit(void)
{
	platform_device_unregister(vgpu_pdev);
	platform_driver_unregister(&vgpu_platform_driver);
}

module_init(vgpu_init);
module_exit(vgpu_exit);

MODULE_DESCRIPTION("gsd_vgpu: virtual DRM render driver for gpu-sched-deps tests");
MODULE_LICENSE("GPL");
