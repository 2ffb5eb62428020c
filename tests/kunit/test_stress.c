// SPDX-License-Identifier: GPL-2.0-only
/*
 * Stress: several threads push random dependency DAGs over several
 * schedulers and entities.  run_job checks every job's dependencies (see
 * mock_sched.h); here we check that every job ran once, finished cleanly
 * and was freed once.
 */
#include <linux/kthread.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/sched/task.h>

#include "gsd_tests.h"
#include "mock_sched.h"

#define GSD_STRESS_THREADS	4
#define GSD_STRESS_JOBS		750	/* per thread */
#define GSD_STRESS_SCHEDS	3
#define GSD_STRESS_WINDOW	64	/* dependencies come from recent jobs */
#define GSD_STRESS_MAX_DEPS	4

struct gsd_stress {
	struct kunit *test;
	struct mock_sched *ms[GSD_STRESS_SCHEDS];
	spinlock_t lock;		/* protects @recent and @next */
	struct dma_fence *recent[GSD_STRESS_WINDOW];
	unsigned int next;
	atomic_t failures;
	struct mock_job **jobs;
};

struct gsd_stress_worker {
	struct gsd_stress *s;
	unsigned int index;
	struct mock_entity *me[2];
	struct completion done;
};

static u32 gsd_rand(u32 n)
{
	return get_random_u32() % n;
}

static struct dma_fence *gsd_stress_pick(struct gsd_stress *s)
{
	struct dma_fence *f;

	spin_lock(&s->lock);
	f = dma_fence_get(s->recent[gsd_rand(GSD_STRESS_WINDOW)]);
	spin_unlock(&s->lock);
	return f;
}

static void gsd_stress_publish(struct gsd_stress *s, struct dma_fence *f)
{
	struct dma_fence *old;

	spin_lock(&s->lock);
	old = s->recent[s->next];
	s->recent[s->next] = dma_fence_get(f);
	s->next = (s->next + 1) % GSD_STRESS_WINDOW;
	spin_unlock(&s->lock);
	dma_fence_put(old);
}

static int gsd_stress_thread(void *data)
{
	struct gsd_stress_worker *w = data;
	struct gsd_stress *s = w->s;
	unsigned int i, d;

	for (i = 0; i < GSD_STRESS_JOBS; i++) {
		struct mock_job *job;
		unsigned int ndeps = gsd_rand(GSD_STRESS_MAX_DEPS + 1);

		job = mock_job_try_create(s->test, w->me[gsd_rand(2)],
					  1 + gsd_rand(20));
		if (!job) {
			atomic_inc(&s->failures);
			break;
		}
		for (d = 0; d < ndeps; d++) {
			struct dma_fence *f = gsd_stress_pick(s);

			if (f && mock_job_add_dep(job, f))
				atomic_inc(&s->failures);
			dma_fence_put(f);
		}
		mock_job_arm(job);
		gsd_stress_publish(s, job->finished);
		mock_job_push(job);
		s->jobs[w->index * GSD_STRESS_JOBS + i] = job;
		cond_resched();
	}
	complete(&w->done);

	set_current_state(TASK_INTERRUPTIBLE);
	while (!kthread_should_stop()) {
		schedule();
		set_current_state(TASK_INTERRUPTIBLE);
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

static void gsd_stress_dags(struct kunit *test)
{
	static const u32 limits[GSD_STRESS_SCHEDS] = { 2, 4, 8 };
	const unsigned int total = GSD_STRESS_THREADS * GSD_STRESS_JOBS;
	struct task_struct *tasks[GSD_STRESS_THREADS];
	struct gsd_stress_worker *w;
	unsigned int i, ran = 0, bad = 0, missing = 0;
	struct gsd_stress *s;

	s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	w = kunit_kcalloc(test, GSD_STRESS_THREADS, sizeof(*w), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_ASSERT_NOT_NULL(test, w);
	s->jobs = kunit_kcalloc(test, total, sizeof(*s->jobs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s->jobs);
	s->test = test;
	spin_lock_init(&s->lock);

	for (i = 0; i < GSD_STRESS_SCHEDS; i++)
		s->ms[i] = mock_sched_create(test, limits[i], 0,
					     MAX_SCHEDULE_TIMEOUT, NULL);
	for (i = 0; i < GSD_STRESS_THREADS; i++) {
		w[i].s = s;
		w[i].index = i;
		init_completion(&w[i].done);
		w[i].me[0] = mock_entity_create(test, DRM_SCHED_PRIORITY_NORMAL,
					&s->ms[i % GSD_STRESS_SCHEDS], 1);
		w[i].me[1] = mock_entity_create(test,
					i & 1 ? DRM_SCHED_PRIORITY_HIGH :
						DRM_SCHED_PRIORITY_NORMAL,
					&s->ms[(i + 1) % GSD_STRESS_SCHEDS], 1);
	}

	for (i = 0; i < GSD_STRESS_THREADS; i++) {
		tasks[i] = kthread_create(gsd_stress_thread, &w[i],
					  "gsd_stress_%u", i);
		KUNIT_ASSERT_FALSE(test, IS_ERR(tasks[i]));
		get_task_struct(tasks[i]);
	}
	for (i = 0; i < GSD_STRESS_THREADS; i++)
		wake_up_process(tasks[i]);
	for (i = 0; i < GSD_STRESS_THREADS; i++) {
		KUNIT_EXPECT_NE(test, wait_for_completion_timeout(&w[i].done,
								  6 * MOCK_WAIT),
				0);
		kthread_stop(tasks[i]);
		put_task_struct(tasks[i]);
	}
	KUNIT_EXPECT_EQ(test, atomic_read(&s->failures), 0);

	for (i = 0; i < total; i++) {
		struct mock_job *job = s->jobs[i];

		if (!job) {
			missing++;
			continue;
		}
		if (!mock_job_wait_freed(job)) {
			kunit_err(test, "job %u never freed", job->id);
			bad++;
			continue;
		}
		ran += atomic_read(&job->run_count);
		bad += atomic_read(&job->free_count) != 1;
		bad += job->finished->error != 0;
	}
	KUNIT_EXPECT_EQ(test, missing, 0);
	KUNIT_EXPECT_EQ(test, bad, 0);
	KUNIT_EXPECT_EQ(test, ran, total);
	KUNIT_EXPECT_EQ(test, mock_violations(test), 0);
	kunit_info(test, "%u jobs, %d run_job calls on the busiest scheduler",
		   total, atomic_read(&s->ms[0]->runs));

	for (i = 0; i < GSD_STRESS_WINDOW; i++)
		dma_fence_put(s->recent[i]);
}

static struct kunit_case gsd_stress_cases[] = {
	KUNIT_CASE(gsd_stress_dags),
	{}
};

struct kunit_suite gsd_stress_suite = {
	.name = "gpu_sched_deps_stress",
	.init = mock_ctx_init,
	.exit = mock_ctx_exit,
	.test_cases = gsd_stress_cases,
};
