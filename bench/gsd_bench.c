// SPDX-License-Identifier: GPL-2.0-only
/*
 * gsd_bench - the GPU scheduler benchmark of gpu-sched-deps.
 *
 * One source, built twice (see bench/Kbuild):
 * - gsd-bench-deps.ko against gpu-sched-deps: our include/ comes first, so
 *   <drm/gpu_scheduler.h> is ours and every call binds to gsd_drm_sched_*;
 * - gsd-bench-intree.ko (-DGSD_BENCH_INTREE) against the kernel's own
 *   <drm/gpu_scheduler.h> and gpu-sched.ko; the compat feature tests
 *   (compat/generated/gsd_config.h) pick the in-tree call forms.
 *
 * Module init runs every workload and prints, per figure, one line per
 * repetition and one summary line on the console:
 *
 *	gsd-bench-rep: <impl> <workload> <param> rep=<i> value=<v> unit=<u>
 *	gsd-bench: <impl> <workload> <param> median=<x> min=<y> max=<z> unit=<u>
 *
 * <impl> is "deps" or "intree", or "floor" for the scheduler-free baseline
 * that both builds measure.  Nothing is asserted: bench/report turns the
 * lines into tables.
 *
 * The mock hardware completes instantly: run_job initialises the job's
 * hardware fence and queues an irq_work that signals it, so completion
 * arrives in hard-irq context as from a real interrupt, right after run_job
 * returned (the irq_work is raised with a self-IPI).
 *
 * Workloads (module parameter "only", default all):
 *  a  throughput: jobs/s through 1 entity on 1 scheduler, and through 8
 *     entities on 2 schedulers; from the first job_init to the last
 *     free_job; switches: context switches per job.  The _cpu0 variants run
 *     the scheduler threads and the submitter on CPU 0 only.
 *  b  dep_latency: a chain of jobs alternating between two schedulers, each
 *     depending on the finished fence of the one before; time from that
 *     fence's signal timestamp to the dependent job's run_job (median over
 *     the chain); dep_chain: time per link of the whole chain;
 *     run_to_finished: from run_job to the job's finished fence.  The floor
 *     does the same with two kernel threads and bare fences.  The _cpu0
 *     variants run both threads on CPU 0.
 *  c  add_dep: drm_sched_job_add_dependency() cost per dependency for N
 *     fences of distinct contexts, and of one context; allocations per job
 *  d  implicit: drm_sched_job_add_implicit_dependencies() (write access) on
 *     a reservation object with one write and S read fences: time per call,
 *     allocations per call, and temporary allocations per call (freed again
 *     before the call returned)
 *  e  mem_per_job: slab growth per queued job with 10000 jobs queued
 *
 * Allocations are counted with probes on the kmem tracepoints (kmalloc,
 * kmem_cache_alloc, kfree, kmem_cache_free), counting only what the
 * benchmark's own task allocates in process context while a call runs.
 * They see every slab allocation (kmalloc, kvmalloc up to its kmalloc
 * attempt, xarray nodes, fence caches) but not vmalloc.
 */
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/dma-fence.h>
#include <linux/dma-resv.h>
#include <linux/irq_work.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/vmstat.h>
#include <drm/drm_gem.h>
#include <drm/gpu_scheduler.h>
#include <trace/events/kmem.h>

#include <gsd_compat.h>

#ifdef GSD_BENCH_INTREE
#define GB_IMPL		"intree"
/* The in-tree scheduler must have the 5.16 job API (arm, add_dependency). */
#if !defined(GSD_HAVE_KERNEL_SCHED_INIT_ARGS) && \
	!defined(GSD_HAVE_KERNEL_SCHED_INIT_DEV) && \
	!defined(GSD_HAVE_KERNEL_SCHED_JOB_INIT_CREDITS)
#error "the kernel's own scheduler has no drm_sched_job_arm(): nothing to compare with"
#endif
#else
#define GB_IMPL		"deps"
#endif

/* Schedulers run a kthread each, except the in-tree one from 6.8 on. */
#if !defined(GSD_BENCH_INTREE) || !defined(GSD_HAVE_KERNEL_SCHED_INIT_ARGS_SUBMIT_WQ)
#define GB_SCHED_THREAD	1
#endif

#define GB_MAX_REPS	32
#define GB_WAIT		(120 * HZ)	/* a hang, not a measurement */
#define GB_HW_LIMIT	64		/* jobs on the mock hardware at once */
/*
 * The short timing figures (a, b) take this many times "reps" repetitions:
 * on a shared host, many short samples show the undisturbed speed better
 * than a few long ones.
 */
#define GB_SHORT_REPS	4
#define GB_CHAIN_LEN	200
#define GB_ADD_DEP_MAX	4096
#define GB_IMPLICIT_CALLS 20
#define GB_MEM_JOBS	10000
/* A repetition longer than this caps the repetitions of its figure at 3. */
#define GB_SLOW_REP_NS	(2ULL * NSEC_PER_SEC)

static int reps = 5;
module_param(reps, int, 0444);
MODULE_PARM_DESC(reps, "repetitions per figure (plus one warm-up), 1..32");

static int tput_jobs = 1000;
module_param(tput_jobs, int, 0444);
MODULE_PARM_DESC(tput_jobs, "jobs per repetition of the throughput figures");

static char *only = "abcde";
module_param(only, charp, 0444);
MODULE_PARM_DESC(only, "workloads to run at load: letters a..e (default all)");

static int round_no;
module_param_named(round, round_no, int, 0644);
MODULE_PARM_DESC(round, "label of the next run in the console output");

static int gb_run_set(const char *val, const struct kernel_param *kp);

static const struct kernel_param_ops gb_run_ops = {
	.set = gb_run_set,
};

/*
 * Writing workload letters to /sys/module/gsd_bench_<impl>/parameters/run
 * runs them there and then, so that a boot can alternate between the two
 * builds of the benchmark at short intervals, both loaded.
 */
module_param_cb(run, &gb_run_ops, NULL, 0200);
MODULE_PARM_DESC(run, "write workload letters (a..e) to run them now");

/* ------------------------------------------------------------------------
 * Results
 */

/* One figure: a value per repetition, in thousandths of its unit. */
struct gb_stat {
	s64 v[GB_MAX_REPS];
	int n;
};

static int gb_cmp_s64(const void *a, const void *b)
{
	s64 x = *(const s64 *)a, y = *(const s64 *)b;

	return x < y ? -1 : x > y;
}

static void gb_print_milli(char *buf, size_t len, s64 v)
{
	const char *sign = v < 0 ? "-" : "";
	u64 a = v < 0 ? -v : v;

	snprintf(buf, len, "%s%llu.%03llu", sign, a / 1000, a % 1000);
}

static void gb_add(struct gb_stat *st, s64 milli)
{
	if (st->n < GB_MAX_REPS)
		st->v[st->n++] = milli;
}

/* Print the repetitions and the summary of @st for @impl. */
static void gb_report_impl(const char *impl, const char *wl,
			   const char *param, const char *unit,
			   struct gb_stat *st)
{
	char med[32], lo[32], hi[32], one[32];
	s64 sorted[GB_MAX_REPS];
	int i;

	if (!st->n) {
		pr_info("gsd-bench-error: %s %s %s: no result\n", impl, wl,
			param);
		return;
	}
	for (i = 0; i < st->n; i++) {
		gb_print_milli(one, sizeof(one), st->v[i]);
		pr_info("gsd-bench-rep: %s %s %s rep=%d value=%s unit=%s round=%d\n",
			impl, wl, param, i, one, unit, round_no);
	}
	memcpy(sorted, st->v, st->n * sizeof(s64));
	sort(sorted, st->n, sizeof(s64), gb_cmp_s64, NULL);
	/* The median of an even count is the mean of the middle two. */
	gb_print_milli(med, sizeof(med),
		       (sorted[(st->n - 1) / 2] + sorted[st->n / 2]) / 2);
	gb_print_milli(lo, sizeof(lo), sorted[0]);
	gb_print_milli(hi, sizeof(hi), sorted[st->n - 1]);
	pr_info("gsd-bench: %s %s %s median=%s min=%s max=%s unit=%s\n",
		impl, wl, param, med, lo, hi, unit);
}

static void gb_report(const char *wl, const char *param, const char *unit,
		      struct gb_stat *st)
{
	gb_report_impl(GB_IMPL, wl, param, unit, st);
}

static s64 gb_elapsed(ktime_t t0)
{
	return ktime_to_ns(ktime_sub(ktime_get(), t0));
}

/* Repetitions of a figure: @reps, but only 3 when one takes long. */
static bool gb_more_reps(int done, s64 last_ns)
{
	if (done >= reps)
		return false;
	return done < 3 || last_ns < GB_SLOW_REP_NS;
}

/* Repetitions of a short timing figure. */
static bool gb_more_short_reps(int done)
{
	return done < min(reps * GB_SHORT_REPS, GB_MAX_REPS);
}

/* ------------------------------------------------------------------------
 * Plain fences: dependencies that signal only when the benchmark says so
 */

static const char *gb_fence_driver(struct dma_fence *f)
{
	return "gsd_bench";
}

static const char *gb_fence_timeline(struct dma_fence *f)
{
	return "gsd_bench";
}

static const struct dma_fence_ops gb_stub_ops = {
	.get_driver_name = gb_fence_driver,
	.get_timeline_name = gb_fence_timeline,
};

static DEFINE_SPINLOCK(gb_stub_lock);

/* An unsignalled fence of @context; dma_fence_put() frees it. */
static struct dma_fence *gb_stub_new(u64 context, u64 seqno)
{
	struct dma_fence *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (f)
		dma_fence_init(f, &gb_stub_ops, &gb_stub_lock, context, seqno);
	return f;
}

static void gb_stubs_free(struct dma_fence **f, unsigned int n)
{
	unsigned int i;

	if (!f)
		return;
	for (i = 0; i < n; i++) {
		if (!f[i])
			continue;
		dma_fence_signal(f[i]);
		dma_fence_put(f[i]);
	}
	kvfree(f);
}

/* @n fences of distinct contexts, or of one context with rising seqnos. */
static struct dma_fence **gb_stubs_new(unsigned int n, bool one_context)
{
	struct dma_fence **f = kvcalloc(n, sizeof(*f), GFP_KERNEL);
	u64 base = dma_fence_context_alloc(one_context ? 1 : n);
	unsigned int i;

	if (!f)
		return NULL;
	for (i = 0; i < n; i++) {
		f[i] = one_context ? gb_stub_new(base, i + 1) :
				     gb_stub_new(base + i, 1);
		if (!f[i]) {
			gb_stubs_free(f, n);
			return NULL;
		}
	}
	return f;
}

/* ------------------------------------------------------------------------
 * Allocation counting
 */

#define GB_TRACK_LIVE	256

/* What the tracked task allocated since gb_track_start(). */
struct gb_track {
	struct task_struct *task;
	unsigned int allocs;
	unsigned int temps;	/* allocations freed again */
	unsigned int lost;	/* allocations not remembered: table full */
	u64 bytes;
	const void *live[GB_TRACK_LIVE];
	unsigned int nlive;
};

static struct gb_track gb_track;
static bool gb_probes_on;

static bool gb_tracked(const void *ptr)
{
	return !ZERO_OR_NULL_PTR(ptr) && in_task() &&
	       current == READ_ONCE(gb_track.task);
}

static void gb_note_alloc(const void *ptr, size_t bytes)
{
	if (!gb_tracked(ptr))
		return;
	gb_track.allocs++;
	gb_track.bytes += bytes;
	if (gb_track.nlive < GB_TRACK_LIVE)
		gb_track.live[gb_track.nlive++] = ptr;
	else
		gb_track.lost++;
}

static void gb_note_free(const void *ptr)
{
	unsigned int i;

	if (!gb_tracked(ptr))
		return;
	for (i = 0; i < gb_track.nlive; i++) {
		if (gb_track.live[i] == ptr) {
			gb_track.live[i] = gb_track.live[--gb_track.nlive];
			gb_track.temps++;
			return;
		}
	}
}

static void gb_tp_kmalloc(void *data, unsigned long call_site,
			  const void *ptr, size_t bytes_req,
			  size_t bytes_alloc, gfp_t gfp_flags, int node)
{
	gb_note_alloc(ptr, bytes_alloc);
}

static void gb_tp_cache_alloc(void *data, unsigned long call_site,
			      const void *ptr, struct kmem_cache *s,
			      gfp_t gfp_flags, int node)
{
	gb_note_alloc(ptr, kmem_cache_size(s));
}

static void gb_tp_kfree(void *data, unsigned long call_site,
			const void *ptr)
{
	gb_note_free(ptr);
}

static void gb_tp_cache_free(void *data, unsigned long call_site,
			     const void *ptr, const struct kmem_cache *s)
{
	gb_note_free(ptr);
}

static int gb_probes_register(void)
{
	int ret;

	ret = register_trace_kmalloc(gb_tp_kmalloc, NULL);
	if (ret)
		return ret;
	ret = register_trace_kmem_cache_alloc(gb_tp_cache_alloc, NULL);
	if (ret)
		goto out_kmalloc;
	ret = register_trace_kfree(gb_tp_kfree, NULL);
	if (ret)
		goto out_cache_alloc;
	ret = register_trace_kmem_cache_free(gb_tp_cache_free, NULL);
	if (ret)
		goto out_kfree;
	gb_probes_on = true;
	return 0;

out_kfree:
	unregister_trace_kfree(gb_tp_kfree, NULL);
out_cache_alloc:
	unregister_trace_kmem_cache_alloc(gb_tp_cache_alloc, NULL);
out_kmalloc:
	unregister_trace_kmalloc(gb_tp_kmalloc, NULL);
	tracepoint_synchronize_unregister();
	return ret;
}

static void gb_probes_unregister(void)
{
	if (!gb_probes_on)
		return;
	unregister_trace_kmem_cache_free(gb_tp_cache_free, NULL);
	unregister_trace_kfree(gb_tp_kfree, NULL);
	unregister_trace_kmem_cache_alloc(gb_tp_cache_alloc, NULL);
	unregister_trace_kmalloc(gb_tp_kmalloc, NULL);
	tracepoint_synchronize_unregister();
	gb_probes_on = false;
}

static void gb_track_start(void)
{
	memset(&gb_track, 0, sizeof(gb_track));
	barrier();
	WRITE_ONCE(gb_track.task, current);
}

static void gb_track_stop(void)
{
	WRITE_ONCE(gb_track.task, NULL);
	barrier();
}

/* ------------------------------------------------------------------------
 * The mock hardware and the scheduler glue
 */

struct gb_hw {
	struct dma_fence base;		/* first: the default release frees us */
	struct irq_work work;
};

struct gb_sched {
	struct drm_gpu_scheduler base;
	spinlock_t fence_lock;		/* lock of the hardware fences */
	u64 hw_context;
	atomic64_t hw_seqno;
	char name[16];
};

/* One batch of jobs: freed when the last of them is. */
struct gb_run {
	atomic_t pending;		/* jobs not freed, plus one for the submitter */
	struct completion done;
	ktime_t *run_at;		/* run_job time per job index, or NULL */
	bool no_hw;			/* run_job returns NULL: done at once */
};

struct gb_job {
	struct drm_sched_job base;
	struct gb_run *run;
	struct gb_hw *hw;		/* until run_job hands it to the "GPU" */
	unsigned int index;
};

static struct gb_job *to_gb_job(struct drm_sched_job *job)
{
	return container_of(job, struct gb_job, base);
}

static const struct dma_fence_ops gb_hw_ops = {
	.get_driver_name = gb_fence_driver,
	.get_timeline_name = gb_fence_timeline,
};

/* The "interrupt" of the mock hardware: the job is done. */
static void gb_hw_complete(struct irq_work *work)
{
	struct gb_hw *hw = container_of(work, struct gb_hw, work);

	dma_fence_signal(&hw->base);
	dma_fence_put(&hw->base);
}

static struct dma_fence *gb_run_job(struct drm_sched_job *sched_job)
{
	struct gb_job *job = to_gb_job(sched_job);
	struct gb_sched *gs = container_of(sched_job->sched, struct gb_sched,
					   base);
	struct gb_hw *hw = job->hw;

	if (job->run->run_at)
		job->run->run_at[job->index] = ktime_get();
	if (!hw)
		return NULL;
	job->hw = NULL;
	dma_fence_init(&hw->base, &gb_hw_ops, &gs->fence_lock, gs->hw_context,
		       atomic64_inc_return(&gs->hw_seqno));
	/* One reference for the scheduler, one for the interrupt. */
	dma_fence_get(&hw->base);
	irq_work_queue(&hw->work);
	return &hw->base;
}

static enum drm_gpu_sched_stat gb_timedout_job(struct drm_sched_job *job)
{
	return DRM_GPU_SCHED_STAT_NOMINAL;
}

static void gb_free_job(struct drm_sched_job *sched_job)
{
	struct gb_job *job = to_gb_job(sched_job);
	struct gb_run *run = job->run;

	drm_sched_job_cleanup(sched_job);
	kfree(job->hw);		/* only if it never ran */
	kfree(job);
	if (atomic_dec_and_test(&run->pending))
		complete(&run->done);
}

static const struct drm_sched_backend_ops gb_ops = {
	.run_job = gb_run_job,
	.timedout_job = gb_timedout_job,
	.free_job = gb_free_job,
};

static int gb_sched_init(struct gb_sched *gs, const char *name)
{
	spin_lock_init(&gs->fence_lock);
	gs->hw_context = dma_fence_context_alloc(1);
	atomic64_set(&gs->hw_seqno, 0);
	strscpy(gs->name, name, sizeof(gs->name));
#if !defined(GSD_BENCH_INTREE)
	return drm_sched_init(&gs->base, &gb_ops, GB_HW_LIMIT, 0,
			      MAX_SCHEDULE_TIMEOUT, NULL, NULL, gs->name);
#elif defined(GSD_HAVE_KERNEL_SCHED_INIT_ARGS)
	{
		const struct drm_sched_init_args args = {
			.ops = &gb_ops,
#ifdef GSD_HAVE_KERNEL_SCHED_INIT_ARGS_SUBMIT_WQ
			.num_rqs = DRM_SCHED_PRIORITY_COUNT,
#endif
			.credit_limit = GB_HW_LIMIT,
			.hang_limit = 0,
			.timeout = MAX_SCHEDULE_TIMEOUT,
			.name = gs->name,
		};

		return drm_sched_init(&gs->base, &args);
	}
#elif defined(GSD_HAVE_KERNEL_SCHED_INIT_DEV)
	return drm_sched_init(&gs->base, &gb_ops, GB_HW_LIMIT, 0,
			      MAX_SCHEDULE_TIMEOUT, NULL, NULL, gs->name, NULL);
#else
	return drm_sched_init(&gs->base, &gb_ops, GB_HW_LIMIT, 0,
			      MAX_SCHEDULE_TIMEOUT, NULL, NULL, gs->name);
#endif
}

static int gb_job_init(struct drm_sched_job *job,
		       struct drm_sched_entity *entity)
{
#if defined(GSD_BENCH_INTREE) && defined(GSD_HAVE_KERNEL_SCHED_JOB_INIT_CLIENT_ID)
	return drm_sched_job_init(job, entity, 1, NULL, 0);
#elif defined(GSD_BENCH_INTREE) && defined(GSD_HAVE_KERNEL_SCHED_JOB_INIT_CREDITS)
	return drm_sched_job_init(job, entity, 1, NULL);
#else
	return drm_sched_job_init(job, entity, NULL);
#endif
}

static void gb_run_init(struct gb_run *run)
{
	memset(run, 0, sizeof(*run));
	atomic_set(&run->pending, 1);
	init_completion(&run->done);
}

/* Wait until every job of @run was freed. */
static int gb_run_wait(struct gb_run *run)
{
	if (atomic_dec_and_test(&run->pending))
		complete(&run->done);
	if (!wait_for_completion_timeout(&run->done, GB_WAIT)) {
		/* The jobs still point at @run: never free it now. */
		pr_err("gsd-bench-error: %s: jobs not freed after %d s; stuck\n",
		       GB_IMPL, GB_WAIT / HZ);
		for (;;)
			msleep(1000);
	}
	return 0;
}

/* A job of @run for @entity, initialised; NULL on failure. */
static struct gb_job *gb_job_new(struct gb_run *run,
				 struct drm_sched_entity *entity,
				 unsigned int index)
{
	struct gb_hw *hw = NULL;
	struct gb_job *job;

	job = kzalloc(sizeof(*job), GFP_KERNEL);
	if (!job)
		return NULL;
	if (!run->no_hw) {
		hw = kmalloc(sizeof(*hw), GFP_KERNEL);
		if (!hw)
			goto err_job;
		init_irq_work(&hw->work, gb_hw_complete);
	}
	if (gb_job_init(&job->base, entity))
		goto err_hw;
	/* drm_sched_job_init() may reset the job: set our fields after it. */
	job->run = run;
	job->hw = hw;
	job->index = index;
	return job;

err_hw:
	kfree(hw);
err_job:
	kfree(job);
	return NULL;
}

/*
 * Arm and push a job of @run: the scheduler owns it from here.  Returns a
 * reference on its finished fence if @want_finished, else NULL.
 */
static struct dma_fence *gb_job_submit(struct gb_job *job, bool want_finished)
{
	struct dma_fence *finished = NULL;

	atomic_inc(&job->run->pending);
	drm_sched_job_arm(&job->base);
	if (want_finished)
		finished = dma_fence_get(&job->base.s_fence->finished);
	drm_sched_entity_push_job(&job->base);
	return finished;
}

/* A job that is not pushed after all. */
static void gb_job_abort(struct gb_job *job)
{
	drm_sched_job_cleanup(&job->base);
	kfree(job->hw);
	kfree(job);
}

/* Schedulers and entities of one workload; entity i on scheduler i % n. */
struct gb_setup {
	struct gb_sched *scheds;
	unsigned int nsched;
	struct drm_sched_entity *ents;
	struct drm_gpu_scheduler **lists;	/* must outlive the entities */
	unsigned int nent;
};

static void gb_setup_fini(struct gb_setup *s)
{
	unsigned int i;

	for (i = 0; s->ents && i < s->nent; i++)
		drm_sched_entity_destroy(&s->ents[i]);
	for (i = 0; s->scheds && i < s->nsched; i++)
		drm_sched_fini(&s->scheds[i].base);
	kfree(s->ents);
	kfree(s->lists);
	kfree(s->scheds);
	memset(s, 0, sizeof(*s));
}

static int gb_setup_init(struct gb_setup *s, unsigned int nsched,
			 unsigned int nent)
{
	unsigned int i;
	char name[16];
	int ret;

	memset(s, 0, sizeof(*s));
	s->scheds = kcalloc(nsched, sizeof(*s->scheds), GFP_KERNEL);
	s->ents = kcalloc(nent, sizeof(*s->ents), GFP_KERNEL);
	s->lists = kcalloc(nent, sizeof(*s->lists), GFP_KERNEL);
	if (!s->scheds || !s->ents || !s->lists) {
		ret = -ENOMEM;
		goto err;
	}
	for (i = 0; i < nsched; i++) {
		snprintf(name, sizeof(name), "gb-%s-%u", GB_IMPL, i);
		ret = gb_sched_init(&s->scheds[i], name);
		if (ret)
			goto err;
		s->nsched++;
	}
	for (i = 0; i < nent; i++) {
		s->lists[i] = &s->scheds[i % nsched].base;
		ret = drm_sched_entity_init(&s->ents[i],
					    DRM_SCHED_PRIORITY_NORMAL,
					    &s->lists[i], 1, NULL);
		if (ret)
			goto err;
		s->nent++;
	}
	return 0;

err:
	gb_setup_fini(s);
	return ret;
}

/*
 * Run every scheduler thread of @s on CPU 0: with one CPU the figures
 * measure the work done, not how promptly the host runs the other
 * virtual CPU when a wake-up crosses over.
 */
static int gb_setup_pin(struct gb_setup *s)
{
#ifdef GB_SCHED_THREAD
	unsigned int i;
	int ret;

	for (i = 0; i < s->nsched; i++) {
		ret = set_cpus_allowed_ptr(s->scheds[i].base.thread,
					   cpumask_of(0));
		if (ret)
			return ret;
	}
	return 0;
#else
	return -EOPNOTSUPP;
#endif
}

/*
 * Context switches so far of the scheduler threads of @s and of the
 * submitting task: how often the scheduler sleeps and is woken per job.
 */
static u64 gb_setup_switches(struct gb_setup *s)
{
	u64 n = current->nvcsw + current->nivcsw;
#ifdef GB_SCHED_THREAD
	unsigned int i;

	for (i = 0; i < s->nsched; i++)
		n += READ_ONCE(s->scheds[i].base.thread->nvcsw) +
		     READ_ONCE(s->scheds[i].base.thread->nivcsw);
#endif
	return n;
}

/* ------------------------------------------------------------------------
 * a: throughput
 */

/* @pin: the schedulers and the submitting task all on CPU 0. */
static int gb_throughput(unsigned int nsched, unsigned int nent,
			 const char *param, bool pin)
{
	struct gb_stat st = {}, sw = {};
	struct gb_setup s;
	int rep, ret = 0;

	ret = gb_setup_init(&s, nsched, nent);
	if (ret)
		return ret;
	if (pin) {
		ret = gb_setup_pin(&s) ?:
		      set_cpus_allowed_ptr(current, cpumask_of(0));
		if (ret) {
			gb_setup_fini(&s);
			return ret;
		}
	}

	for (rep = -1; gb_more_short_reps(st.n); rep++) {
		struct gb_run run;
		unsigned int i;
		u64 switches;
		ktime_t t0;
		s64 ns;

		gb_run_init(&run);
		switches = gb_setup_switches(&s);
		t0 = ktime_get();
		for (i = 0; i < tput_jobs; i++) {
			struct gb_job *job = gb_job_new(&run, &s.ents[i % nent],
							i);

			if (!job) {
				ret = -ENOMEM;
				break;
			}
			gb_job_submit(job, false);
		}
		gb_run_wait(&run);
		ns = gb_elapsed(t0);
		switches = gb_setup_switches(&s) - switches;
		if (ret)
			break;
		if (rep >= 0) {	/* the first round only warms up */
			gb_add(&st, div64_s64((s64)tput_jobs * NSEC_PER_SEC *
					      1000, ns));
			gb_add(&sw, div64_s64(switches * 1000, tput_jobs));
		}
	}
	if (pin)
		set_cpus_allowed_ptr(current, cpu_possible_mask);
	gb_setup_fini(&s);
	gb_report(pin ? "throughput_cpu0" : "throughput", param, "jobs/s",
		  &st);
	gb_report(pin ? "switches_cpu0" : "switches", param, "switches/job",
		  &sw);
	return ret;
}

/* ------------------------------------------------------------------------
 * b: dependency release latency, and the floor
 */

/* Median of @v[0..n-1], which is sorted in place. */
static s64 gb_median(s64 *v, unsigned int n)
{
	sort(v, n, sizeof(*v), gb_cmp_s64, NULL);
	return (v[(n - 1) / 2] + v[n / 2]) / 2;
}

/* Nanoseconds from @from to @to. */
static s64 gb_ns(ktime_t from, ktime_t to)
{
	return ktime_to_ns(ktime_sub(to, from));
}

/*
 * The figures of one run of a chain of @k links, link i having started
 * ("run_job") at @run[i] and signalled its fence at @sig[i]; @tmp holds @k
 * values.  Latency: median over the links of the time from the signal of
 * the previous link to the start of the next.  Per link: the time of the
 * whole chain divided by its links.  Run to finished: median time from the
 * start of a link to its signal.
 */
static void gb_chain_figures(const ktime_t *run, const ktime_t *sig,
			     unsigned int k, s64 *tmp, struct gb_stat *lat,
			     struct gb_stat *link, struct gb_stat *hw)
{
	unsigned int i;

	for (i = 1; i < k; i++)
		tmp[i - 1] = gb_ns(sig[i - 1], run[i]);
	gb_add(lat, gb_median(tmp, k - 1) * 1000);
	gb_add(link, div64_s64(gb_ns(run[0], run[k - 1]) * 1000, k - 1));
	for (i = 0; i < k; i++)
		tmp[i] = gb_ns(run[i], sig[i]);
	gb_add(hw, gb_median(tmp, k) * 1000);
}

/*
 * @pin: run both scheduler threads on CPU 0, so that each link of the
 * chain is a wake-up on one CPU and the figure does not depend on how
 * promptly the host runs the other virtual CPU.
 */
static int gb_dep_chain(bool pin)
{
	const unsigned int k = GB_CHAIN_LEN;
	struct gb_stat lat_st = {}, link_st = {}, hw_st = {};
	struct dma_fence **fin = NULL;
	ktime_t *run_at = NULL, *sig = NULL;
	struct gb_setup s;
	s64 *tmp = NULL;
	char param[16];
	int rep, ret;

	ret = gb_setup_init(&s, 2, 2);
	if (ret)
		return ret;
	if (pin) {
		ret = gb_setup_pin(&s);
		if (ret)
			goto out;
	}
	fin = kcalloc(k, sizeof(*fin), GFP_KERNEL);
	tmp = kcalloc(k, sizeof(*tmp), GFP_KERNEL);
	run_at = kcalloc(k, sizeof(*run_at), GFP_KERNEL);
	sig = kcalloc(k, sizeof(*sig), GFP_KERNEL);
	if (!fin || !tmp || !run_at || !sig) {
		ret = -ENOMEM;
		goto out;
	}

	for (rep = -1; gb_more_short_reps(lat_st.n); rep++) {
		struct dma_fence *gate, *prev;
		struct gb_run run;
		unsigned int i, n;

		gate = gb_stub_new(dma_fence_context_alloc(1), 1);
		if (!gate) {
			ret = -ENOMEM;
			break;
		}
		gb_run_init(&run);
		run.run_at = run_at;
		prev = dma_fence_get(gate);
		for (i = 0; i < k; i++) {
			struct gb_job *job = gb_job_new(&run, &s.ents[i % 2],
							i);

			if (!job) {
				ret = -ENOMEM;
				break;
			}
			/* The reference on prev is handed over. */
			ret = drm_sched_job_add_dependency(&job->base, prev);
			prev = NULL;
			if (ret) {
				gb_job_abort(job);
				break;
			}
			fin[i] = gb_job_submit(job, true);
			prev = dma_fence_get(fin[i]);
		}
		dma_fence_put(prev);
		n = i;
		/* Let both scheduler threads settle on their dependency. */
		msleep(20);
		dma_fence_signal(gate);
		dma_fence_put(gate);
		gb_run_wait(&run);

		for (i = 0; i < n; i++) {
			sig[i] = fin[i]->timestamp;
			dma_fence_put(fin[i]);
			fin[i] = NULL;
		}
		if (rep >= 0 && n == k && !ret)
			gb_chain_figures(run_at, sig, k, tmp, &lat_st, &link_st,
					 &hw_st);
		if (ret)
			break;
	}
	snprintf(param, sizeof(param), "%u", k);
	gb_report(pin ? "dep_latency_cpu0" : "dep_latency", param, "ns",
		  &lat_st);
	gb_report(pin ? "dep_chain_cpu0" : "dep_chain", param, "ns/link",
		  &link_st);
	gb_report(pin ? "run_to_finished_cpu0" : "run_to_finished", param,
		  "ns", &hw_st);
out:
	kfree(sig);
	kfree(run_at);
	kfree(tmp);
	kfree(fin);
	gb_setup_fini(&s);
	return ret;
}

/*
 * The floor: the same chain without a scheduler.  Link i belongs to kernel
 * thread i % 2; a callback on link i - 1's fence wakes the thread, which
 * notes the time and "runs" link i: an irq_work signals link i's fence.
 */
struct gb_link {
	struct dma_fence fence;
	struct irq_work work;
	struct dma_fence_cb cb;		/* on the previous link's fence */
	struct task_struct *waiter;
	bool ready;
	ktime_t run_at;
};

struct gb_floor {
	struct gb_link *links;
	unsigned int k;
	struct completion done[2];
};

struct gb_floor_arg {
	struct gb_floor *fl;
	unsigned int parity;
};

static void gb_link_release(struct dma_fence *f)
{
	/* The links are freed with their array. */
}

static const struct dma_fence_ops gb_link_ops = {
	.get_driver_name = gb_fence_driver,
	.get_timeline_name = gb_fence_timeline,
	.release = gb_link_release,
};

static void gb_link_signal(struct irq_work *work)
{
	dma_fence_signal(&container_of(work, struct gb_link, work)->fence);
}

static void gb_link_wake(struct dma_fence *f, struct dma_fence_cb *cb)
{
	struct gb_link *l = container_of(cb, struct gb_link, cb);

	WRITE_ONCE(l->ready, true);
	wake_up_process(l->waiter);
}

static int gb_floor_thread(void *data)
{
	struct gb_floor_arg *arg = data;
	struct gb_floor *fl = arg->fl;
	unsigned int i;

	/* As the scheduler threads run. */
	sched_set_fifo_low(current);
	for (i = arg->parity; i < fl->k; i += 2) {
		struct gb_link *l = &fl->links[i];

		for (;;) {
			set_current_state(TASK_UNINTERRUPTIBLE);
			if (READ_ONCE(l->ready))
				break;
			schedule();
		}
		__set_current_state(TASK_RUNNING);
		l->run_at = ktime_get();
		irq_work_queue(&l->work);
	}
	complete(&fl->done[arg->parity]);
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (kthread_should_stop())
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

/* One run of the floor's chain; @run and @sig receive its times. */
static int gb_floor_rep(struct gb_floor *fl, bool pin, ktime_t *run,
			ktime_t *sig)
{
	struct gb_floor_arg args[2];
	struct task_struct *t[2];
	struct dma_fence gate;
	u64 ctx = dma_fence_context_alloc(2);
	unsigned int i, k = fl->k;
	int ret;

	memset(fl->links, 0, k * sizeof(*fl->links));
	dma_fence_init(&gate, &gb_link_ops, &gb_stub_lock, ctx, 1);
	for (i = 0; i < 2; i++) {
		init_completion(&fl->done[i]);
		args[i].fl = fl;
		args[i].parity = i;
		t[i] = kthread_create(gb_floor_thread, &args[i], "gb-floor-%u",
				      i);
		if (IS_ERR(t[i])) {
			ret = PTR_ERR(t[i]);
			if (i)
				kthread_stop(t[0]);
			return ret;
		}
		if (pin)
			kthread_bind(t[i], 0);
	}
	for (i = 0; i < k; i++) {
		struct gb_link *l = &fl->links[i];

		dma_fence_init(&l->fence, &gb_link_ops, &gb_stub_lock, ctx + 1,
			       i + 1);
		init_irq_work(&l->work, gb_link_signal);
		l->waiter = t[i % 2];
		/* Nothing is signalled yet: the callbacks are all added. */
		dma_fence_add_callback(i ? &fl->links[i - 1].fence : &gate,
				       &l->cb, gb_link_wake);
	}
	wake_up_process(t[0]);
	wake_up_process(t[1]);
	msleep(20);
	dma_fence_signal(&gate);
	wait_for_completion(&fl->done[0]);
	wait_for_completion(&fl->done[1]);
	kthread_stop(t[0]);
	kthread_stop(t[1]);
	for (i = 0; i < k; i++)
		irq_work_sync(&fl->links[i].work);

	for (i = 0; i < k; i++) {
		run[i] = fl->links[i].run_at;
		sig[i] = fl->links[i].fence.timestamp;
	}
	return 0;
}

static int gb_floor(bool pin)
{
	struct gb_stat lat_st = {}, link_st = {}, hw_st = {};
	struct gb_floor fl = { .k = GB_CHAIN_LEN };
	ktime_t *run, *sig;
	char param[16];
	int rep, ret = 0;
	s64 *tmp;

	fl.links = kcalloc(fl.k, sizeof(*fl.links), GFP_KERNEL);
	tmp = kcalloc(fl.k, sizeof(*tmp), GFP_KERNEL);
	run = kcalloc(fl.k, sizeof(*run), GFP_KERNEL);
	sig = kcalloc(fl.k, sizeof(*sig), GFP_KERNEL);
	if (!fl.links || !tmp || !run || !sig) {
		ret = -ENOMEM;
		goto out;
	}
	for (rep = -1; !ret && gb_more_short_reps(lat_st.n); rep++) {
		ret = gb_floor_rep(&fl, pin, run, sig);
		if (!ret && rep >= 0)
			gb_chain_figures(run, sig, fl.k, tmp, &lat_st, &link_st,
					 &hw_st);
	}
	snprintf(param, sizeof(param), "%u", fl.k);
	gb_report_impl("floor", pin ? "dep_latency_cpu0" : "dep_latency",
		       param, "ns", &lat_st);
	gb_report_impl("floor", pin ? "dep_chain_cpu0" : "dep_chain", param,
		       "ns/link", &link_st);
	gb_report_impl("floor", pin ? "run_to_finished_cpu0" :
		       "run_to_finished", param, "ns", &hw_st);
out:
	kfree(sig);
	kfree(run);
	kfree(tmp);
	kfree(fl.links);
	return ret;
}

/* ------------------------------------------------------------------------
 * c: add_dependency
 */

/*
 * Jobs of a timed batch, initialised before and cleaned up after the clock
 * runs, so that a figure of a few hundred nanoseconds is not mostly the
 * cost of reading the clock.
 */
struct gb_batch {
	struct drm_sched_job *jobs;
	unsigned int n;
};

static int gb_batch_init(struct gb_batch *b, struct drm_sched_entity *entity)
{
	unsigned int i;
	int ret;

	for (i = 0; i < b->n; i++) {
		ret = gb_job_init(&b->jobs[i], entity);
		if (ret) {
			while (i--)
				drm_sched_job_cleanup(&b->jobs[i]);
			return ret;
		}
	}
	return 0;
}

static void gb_batch_cleanup(struct gb_batch *b)
{
	unsigned int i;

	for (i = 0; i < b->n; i++)
		drm_sched_job_cleanup(&b->jobs[i]);
}

/* Add @f[0..n-1] to every job of @b; returns the time taken. */
static s64 gb_batch_add_deps(struct gb_batch *b, struct dma_fence **f,
			     unsigned int n, int *ret)
{
	ktime_t t0 = ktime_get();
	unsigned int j, i;

	for (j = 0; j < b->n && !*ret; j++)
		for (i = 0; i < n && !*ret; i++)
			*ret = drm_sched_job_add_dependency(&b->jobs[j],
							    dma_fence_get(f[i]));
	return gb_elapsed(t0);
}

/* Enough jobs for about GB_ADD_DEP_MAX additions per repetition. */
static unsigned int gb_batch_jobs(unsigned int per_job)
{
	return max(1U, GB_ADD_DEP_MAX / per_job);
}

static int gb_add_dep_one(struct drm_sched_entity *entity,
			  struct dma_fence **f, unsigned int n,
			  const char *wl)
{
	struct gb_stat st = {}, allocs = {};
	struct gb_batch b = { .n = gb_batch_jobs(n) };
	char param[16];
	s64 ns = 0;
	int rep, ret = 0;

	b.jobs = kvcalloc(b.n, sizeof(*b.jobs), GFP_KERNEL);
	if (!b.jobs)
		return -ENOMEM;
	/*
	 * Rep -1 warms up, unless it is slow enough for a warm cache not to
	 * matter; then a pass of one job with the probes counts allocations.
	 */
	for (rep = -1; gb_more_reps(st.n, ns); rep++) {
		ret = gb_batch_init(&b, entity);
		if (ret)
			break;
		ns = gb_batch_add_deps(&b, f, n, &ret);
		gb_batch_cleanup(&b);
		if (ret)
			break;
		if (rep >= 0 || ns >= GB_SLOW_REP_NS)
			gb_add(&st, div64_s64(ns * 1000, (s64)n * b.n));
	}
	if (!ret && gb_probes_on) {
		struct gb_batch one = { .jobs = b.jobs, .n = 1 };

		ret = gb_batch_init(&one, entity);
		if (!ret) {
			gb_track_start();
			gb_batch_add_deps(&one, f, n, &ret);
			gb_track_stop();
			gb_batch_cleanup(&one);
			gb_add(&allocs, (s64)gb_track.allocs * 1000);
		}
	}
	kvfree(b.jobs);
	if (ret)
		pr_err("gsd-bench-error: %s %s %u: error %d\n", GB_IMPL, wl, n,
		       ret);
	snprintf(param, sizeof(param), "%u", n);
	gb_report(wl, param, "ns/dep", &st);
	if (allocs.n) {
		char name[40];

		snprintf(name, sizeof(name), "%s_allocs", wl);
		gb_report(name, param, "allocs/job", &allocs);
	}
	return ret;
}

static int gb_add_dep(void)
{
	static const unsigned int sizes[] = { 1, 16, 256, 1024, 4096 };
	struct dma_fence **distinct, **one;
	struct gb_setup s;
	unsigned int i;
	int ret;

	ret = gb_setup_init(&s, 1, 1);
	if (ret)
		return ret;
	distinct = gb_stubs_new(GB_ADD_DEP_MAX, false);
	one = gb_stubs_new(GB_ADD_DEP_MAX, true);
	if (!distinct || !one) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < ARRAY_SIZE(sizes) && !ret; i++)
		ret = gb_add_dep_one(&s.ents[0], distinct, sizes[i],
				     "add_dep_distinct");
	for (i = 0; i < ARRAY_SIZE(sizes) && !ret; i++)
		ret = gb_add_dep_one(&s.ents[0], one, sizes[i],
				     "add_dep_onectx");
out:
	gb_stubs_free(one, GB_ADD_DEP_MAX);
	gb_stubs_free(distinct, GB_ADD_DEP_MAX);
	gb_setup_fini(&s);
	return ret;
}

/* ------------------------------------------------------------------------
 * d: add_implicit_dependencies
 */

/* A GEM object that is only a reservation object with 1 + @nread fences. */
static struct drm_gem_object *gb_gem_new(unsigned int nread,
					 struct dma_fence ***fences)
{
	struct drm_gem_object *obj;
	struct dma_fence **f;
	unsigned int i;
	int ret;

	obj = kzalloc(sizeof(*obj), GFP_KERNEL);
	f = gb_stubs_new(nread + 1, false);
	if (!obj || !f)
		goto err;
	dma_resv_init(&obj->_resv);
	obj->resv = &obj->_resv;
	dma_resv_lock(obj->resv, NULL);
	ret = gsd_resv_reserve(obj->resv, nread + 1);
	if (!ret) {
		/* The writer first: before 5.19 it replaces all readers. */
		gsd_resv_add_fence(obj->resv, f[0], true);
		for (i = 1; i <= nread; i++)
			gsd_resv_add_fence(obj->resv, f[i], false);
	}
	dma_resv_unlock(obj->resv);
	if (ret) {
		dma_resv_fini(obj->resv);
		goto err;
	}
	*fences = f;
	return obj;

err:
	gb_stubs_free(f, nread + 1);
	kfree(obj);
	return NULL;
}

static void gb_gem_free(struct drm_gem_object *obj, struct dma_fence **f,
			unsigned int nread)
{
	dma_resv_fini(obj->resv);
	kfree(obj);
	gb_stubs_free(f, nread + 1);
}

/*
 * One drm_sched_job_add_implicit_dependencies() call (write access) on
 * each job of @b, under one hold of the reservation lock; returns the time.
 * With @track, the allocations of the calls are counted (in gb_track).
 */
static s64 gb_implicit_batch(struct gb_batch *b, struct drm_gem_object *obj,
			     bool track, int *ret)
{
	unsigned int j;
	ktime_t t0;
	s64 ns;

	dma_resv_lock(obj->resv, NULL);
	if (track)
		gb_track_start();
	t0 = ktime_get();
	for (j = 0; j < b->n && !*ret; j++)
		*ret = drm_sched_job_add_implicit_dependencies(&b->jobs[j], obj,
							       true);
	ns = gb_elapsed(t0);
	if (track)
		gb_track_stop();
	dma_resv_unlock(obj->resv);
	return ns;
}

static int gb_implicit_one(struct drm_sched_entity *entity,
			   unsigned int nread)
{
	struct gb_stat st = {}, allocs = {}, temps = {};
	struct gb_batch b = {
		.n = clamp(gb_batch_jobs(nread + 1), 4U,
			   (unsigned int)GB_IMPLICIT_CALLS * 8),
	};
	struct drm_gem_object *obj;
	struct dma_fence **f;
	char param[16];
	int rep, ret = 0;

	b.jobs = kvcalloc(b.n, sizeof(*b.jobs), GFP_KERNEL);
	obj = gb_gem_new(nread, &f);
	if (!b.jobs || !obj) {
		kvfree(b.jobs);
		if (obj)
			gb_gem_free(obj, f, nread);
		return -ENOMEM;
	}
	for (rep = -1; gb_more_reps(st.n, 0) && !ret; rep++) {
		s64 ns;

		ret = gb_batch_init(&b, entity);
		if (ret)
			break;
		ns = gb_implicit_batch(&b, obj, false, &ret);
		gb_batch_cleanup(&b);
		if (rep >= 0 && !ret)
			gb_add(&st, div64_s64(ns * 1000, b.n));
	}
	/*
	 * Counting is a pass of its own, GB_IMPLICIT_CALLS calls: the probes
	 * cost time.  A temporary allocation is one freed again before the
	 * call that made it returned.
	 */
	if (!ret && gb_probes_on) {
		struct gb_batch one = { .jobs = b.jobs, .n = 1 };
		unsigned int i, na = 0, nt = 0, lost = 0;

		for (i = 0; i < GB_IMPLICIT_CALLS && !ret; i++) {
			ret = gb_batch_init(&one, entity);
			if (ret)
				break;
			gb_implicit_batch(&one, obj, true, &ret);
			gb_batch_cleanup(&one);
			na += gb_track.allocs;
			nt += gb_track.temps;
			lost += gb_track.lost;
		}
		if (lost)
			pr_info("gsd-bench-info: %s implicit %u: %u allocations not followed\n",
				GB_IMPL, nread, lost);
		gb_add(&allocs, div64_s64((s64)na * 1000, GB_IMPLICIT_CALLS));
		gb_add(&temps, div64_s64((s64)nt * 1000, GB_IMPLICIT_CALLS));
	}
	if (ret)
		pr_err("gsd-bench-error: %s implicit %u: error %d\n", GB_IMPL,
		       nread, ret);
	gb_gem_free(obj, f, nread);
	kvfree(b.jobs);
	snprintf(param, sizeof(param), "%u", nread);
	gb_report("implicit", param, "ns/call", &st);
	if (allocs.n) {
		gb_report("implicit_allocs", param, "allocs/call", &allocs);
		gb_report("implicit_temp_allocs", param, "allocs/call", &temps);
	}
	return ret;
}

static int gb_implicit(void)
{
	static const unsigned int sizes[] = { 1, 16, 256 };
	struct gb_setup s;
	unsigned int i;
	int ret;

	ret = gb_setup_init(&s, 1, 1);
	if (ret)
		return ret;
	for (i = 0; i < ARRAY_SIZE(sizes) && !ret; i++)
		ret = gb_implicit_one(&s.ents[0], sizes[i]);
	gb_setup_fini(&s);
	return ret;
}

/* ------------------------------------------------------------------------
 * e: memory per queued job
 */

static s64 gb_slab_bytes(void)
{
	return (s64)(global_node_page_state_pages(NR_SLAB_UNRECLAIMABLE_B) +
		     global_node_page_state_pages(NR_SLAB_RECLAIMABLE_B))
		<< PAGE_SHIFT;
}

static int gb_mem_one(struct gb_setup *s, unsigned int ndeps)
{
	struct gb_stat st = {}, traced = {};
	char param[24];
	int rep, ret = 0;

	for (rep = -1; gb_more_reps(st.n, 0) && st.n < 3 && !ret; rep++) {
		struct dma_fence *blocker, **deps = NULL;
		struct gb_run run;
		unsigned int i, d;
		s64 before, after;

		blocker = gb_stub_new(dma_fence_context_alloc(1), 1);
		if (ndeps)
			deps = gb_stubs_new(ndeps, false);
		if (!blocker || (ndeps && !deps)) {
			if (blocker)
				dma_fence_put(blocker);
			ret = -ENOMEM;
			break;
		}
		gb_run_init(&run);
		run.no_hw = true;
		/* Let earlier frees (RCU-deferred fences) land first. */
		rcu_barrier();
		msleep(50);
		before = gb_slab_bytes();
		if (gb_probes_on)
			gb_track_start();
		for (i = 0; i < GB_MEM_JOBS && !ret; i++) {
			struct gb_job *job = gb_job_new(&run, &s->ents[0], i);

			if (!job) {
				ret = -ENOMEM;
				break;
			}
			if (!i)
				ret = drm_sched_job_add_dependency(&job->base,
								   dma_fence_get(blocker));
			for (d = 0; d < ndeps && !ret; d++)
				ret = drm_sched_job_add_dependency(&job->base,
								   dma_fence_get(deps[d]));
			if (ret) {
				gb_job_abort(job);
				break;
			}
			gb_job_submit(job, false);
		}
		gb_track_stop();
		after = gb_slab_bytes();
		dma_fence_signal(blocker);
		dma_fence_put(blocker);
		gb_stubs_free(deps, ndeps);
		gb_run_wait(&run);
		if (rep >= 0 && !ret) {
			gb_add(&st, div64_s64((after - before) * 1000,
					      GB_MEM_JOBS));
			if (gb_probes_on)
				gb_add(&traced, div64_s64((s64)gb_track.bytes *
							  1000, GB_MEM_JOBS));
		}
	}
	snprintf(param, sizeof(param), "%udeps", ndeps);
	gb_report("mem_per_job", param, "bytes", &st);
	if (traced.n)
		gb_report("mem_alloc_per_job", param, "bytes", &traced);
	return ret;
}

static int gb_mem(void)
{
	static const unsigned int deps[] = { 0, 1, 4 };
	struct gb_stat sz = {};
	struct gb_setup s;
	unsigned int i;
	int ret;

	gb_add(&sz, (s64)sizeof(struct drm_sched_job) * 1000);
	gb_report("sizeof_job", "drm_sched_job", "bytes", &sz);

	ret = gb_setup_init(&s, 1, 1);
	if (ret)
		return ret;
	for (i = 0; i < ARRAY_SIZE(deps) && !ret; i++)
		ret = gb_mem_one(&s, deps[i]);
	gb_setup_fini(&s);
	return ret;
}

/* ------------------------------------------------------------------------
 * Module
 */

static bool gb_loaded;

static void gb_step(const char *what, int ret)
{
	if (ret)
		pr_err("gsd-bench-error: %s %s: error %d\n", GB_IMPL, what, ret);
}

/* Run the workloads named by the letters in @what. */
static void gb_run(const char *what)
{
	ktime_t t0 = ktime_get();
	int ret;

	pr_info("gsd-bench-info: %s begin round=%d reps=%d workloads=%s\n",
		GB_IMPL, round_no, reps, what);

	/* Timing-only workloads first, without the allocation probes. */
	if (strchr(what, 'a')) {
		gb_step("throughput 1e1s", gb_throughput(1, 1, "1e1s", false));
		gb_step("throughput 8e2s", gb_throughput(2, 8, "8e2s", false));
		gb_step("throughput_cpu0 1e1s",
			gb_throughput(1, 1, "1e1s", true));
		gb_step("throughput_cpu0 8e2s",
			gb_throughput(2, 8, "8e2s", true));
	}
	if (strchr(what, 'b')) {
		gb_step("dep_latency", gb_dep_chain(false));
		gb_step("floor", gb_floor(false));
		gb_step("dep_latency_cpu0", gb_dep_chain(true));
		gb_step("floor cpu0", gb_floor(true));
	}

	/*
	 * The probes stay registered for c, d and e: their timed passes pay
	 * an early-return probe call per allocation.
	 */
	ret = gb_probes_register();
	if (ret)
		pr_info("gsd-bench-info: %s no allocation counts: tracepoint probes failed (%d)\n",
			GB_IMPL, ret);
	if (strchr(what, 'c'))
		gb_step("add_dep", gb_add_dep());
	if (strchr(what, 'd'))
		gb_step("implicit", gb_implicit());
	if (strchr(what, 'e'))
		gb_step("mem_per_job", gb_mem());

	gb_probes_unregister();
	/* Fences freed by RCU must be gone before our code is. */
	rcu_barrier();
	pr_info("gsd-bench-info: %s end round=%d took %lld ms\n", GB_IMPL,
		round_no, gb_elapsed(t0) / NSEC_PER_MSEC);
}

static int gb_run_set(const char *val, const struct kernel_param *kp)
{
	char what[16];

	/* Only once loaded: not while insmod parses its arguments. */
	if (!READ_ONCE(gb_loaded))
		return -EBUSY;
	strscpy(what, val, sizeof(what));
	gb_run(strim(what));
	return 0;
}

static int __init gb_init(void)
{
	reps = clamp(reps, 1, GB_MAX_REPS);
	tput_jobs = clamp(tput_jobs, 16, 1000000);
	pr_info("gsd-bench-info: %s loaded reps=%d sizeof_job=%zu\n", GB_IMPL,
		reps, sizeof(struct drm_sched_job));
	if (only && *only)
		gb_run(only);
	WRITE_ONCE(gb_loaded, true);
	return 0;
}

static void __exit gb_exit(void)
{
}

module_init(gb_init);
module_exit(gb_exit);
MODULE_DESCRIPTION("gpu-sched-deps benchmark (" GB_IMPL " scheduler)");
MODULE_LICENSE("GPL");
