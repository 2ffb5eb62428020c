/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tracepoints of gpu-sched-deps, in a trace system of their own so that they
 * coexist with those of the kernel's gpu-sched (system gpu_scheduler).
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM gpu_sched_deps

#if !defined(GSD_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define GSD_TRACE_H

#include <linux/tracepoint.h>
#include <drm/gpu_scheduler.h>

DECLARE_EVENT_CLASS(gsd_job,
		    TP_PROTO(struct drm_sched_job *job,
			     struct drm_sched_entity *entity),
		    TP_ARGS(job, entity),
		    TP_STRUCT__entry(__field(u64, id)
				     __field(u64, fence_context)
				     __field(u64, fence_seqno)
				     __field(u32, job_count)
				     __field(int, hw_job_count)),
		    TP_fast_assign(__entry->id = job->id;
				   __entry->fence_context = job->s_fence->finished.context;
				   __entry->fence_seqno = job->s_fence->finished.seqno;
				   __entry->job_count = READ_ONCE(entity->job_count);
				   __entry->hw_job_count = atomic_read(&job->sched->hw_rq_count);),
		    TP_printk("id=%llu fence=%llu:%llu queued=%u on_hw=%d",
			      __entry->id, __entry->fence_context,
			      __entry->fence_seqno, __entry->job_count,
			      __entry->hw_job_count)
);

/* A job was pushed to its entity. */
DEFINE_EVENT(gsd_job, gsd_sched_job,
	     TP_PROTO(struct drm_sched_job *job,
		      struct drm_sched_entity *entity),
	     TP_ARGS(job, entity)
);

/* A job is handed to the hardware. */
DEFINE_EVENT(gsd_job, gsd_run_job,
	     TP_PROTO(struct drm_sched_job *job,
		      struct drm_sched_entity *entity),
	     TP_ARGS(job, entity)
);

/* A job's finished fence signals. */
TRACE_EVENT(gsd_sched_process_job,
	    TP_PROTO(struct drm_sched_fence *fence),
	    TP_ARGS(fence),
	    TP_STRUCT__entry(__field(u64, fence_context)
			     __field(u64, fence_seqno)),
	    TP_fast_assign(__entry->fence_context = fence->finished.context;
			   __entry->fence_seqno = fence->finished.seqno;),
	    TP_printk("fence=%llu:%llu signaled",
		      __entry->fence_context, __entry->fence_seqno)
);

/* A job starts waiting for one of its dependencies. */
TRACE_EVENT(gsd_job_wait_dep,
	    TP_PROTO(struct drm_sched_job *job, struct dma_fence *dep),
	    TP_ARGS(job, dep),
	    TP_STRUCT__entry(__field(u64, id)
			     __field(u64, dep_context)
			     __field(u64, dep_seqno)),
	    TP_fast_assign(__entry->id = job->id;
			   __entry->dep_context = dep->context;
			   __entry->dep_seqno = dep->seqno;),
	    TP_printk("id=%llu waits for fence=%llu:%llu",
		      __entry->id, __entry->dep_context, __entry->dep_seqno)
);

#endif /* GSD_TRACE_H */

/* This part must be outside the include guard. */
#undef TRACE_INCLUDE_PATH
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_PATH .
#define TRACE_INCLUDE_FILE gsd_trace
#include <trace/define_trace.h>
