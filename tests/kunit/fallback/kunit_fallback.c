// SPDX-License-Identifier: GPL-2.0-only
/*
 * Runner of the KUnit stand-in used on kernels without a usable KUnit; see
 * fallback/kunit/test.h for what it offers.
 *
 * Every case runs in a kthread of its own: the suite's init hook and the
 * case, then, in a second kthread, the exit hook, as KUnit does.  A failed
 * assertion marks the case failed, wakes the runner and parks its thread
 * for good, so that nothing after the assertion runs.  A parked thread
 * sleeps in this module's code: the module then takes a reference on
 * itself and can no longer be unloaded.  A case that does not return within
 * GSD_KUNIT_CASE_TIMEOUT is reported as failed and left running (its exit
 * hook is not called and its allocations are not freed).
 *
 * The results are printed as KTAP version 1, the way a KUnit module run of
 * Linux 6.6 and later prints them.
 */
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <kunit/test.h>

#define GSD_KUNIT_CASE_TIMEOUT	(100 * HZ)

struct gsd_kunit_alloc {
	struct list_head node;
	void *ptr;
};

enum gsd_kunit_phase {
	GSD_KUNIT_RUN_CASE,
	GSD_KUNIT_RUN_EXIT,
};

struct gsd_kunit_run {
	struct kunit *test;
	struct kunit_suite *suite;
	struct kunit_case *kcase;
	enum gsd_kunit_phase phase;
};

struct gsd_kunit_totals {
	unsigned int pass, fail, skip;
};

static bool gsd_kunit_pinned;

/* A parked case thread sleeps in our code: never unload the module. */
static void gsd_kunit_pin_module(void)
{
	if (!gsd_kunit_pinned) {
		__module_get(THIS_MODULE);
		gsd_kunit_pinned = true;
	}
}

void *kunit_kmalloc(struct kunit *test, size_t size, gfp_t gfp)
{
	struct gsd_kunit_alloc *a;
	unsigned long flags;

	a = kmalloc(sizeof(*a), gfp & ~__GFP_ZERO);
	if (!a)
		return NULL;
	a->ptr = kmalloc(size, gfp);
	if (!a->ptr) {
		kfree(a);
		return NULL;
	}
	spin_lock_irqsave(&test->lock, flags);
	list_add(&a->node, &test->resources);
	spin_unlock_irqrestore(&test->lock, flags);
	return a->ptr;
}

void kunit_kfree(struct kunit *test, const void *ptr)
{
	struct gsd_kunit_alloc *a, *found = NULL;
	unsigned long flags;

	if (!ptr)
		return;
	spin_lock_irqsave(&test->lock, flags);
	list_for_each_entry(a, &test->resources, node) {
		if (a->ptr == ptr) {
			list_del(&a->node);
			found = a;
			break;
		}
	}
	spin_unlock_irqrestore(&test->lock, flags);
	if (WARN_ON(!found))
		return;
	kfree(found->ptr);
	kfree(found);
}

static void gsd_kunit_free_all(struct kunit *test)
{
	struct gsd_kunit_alloc *a, *tmp;

	list_for_each_entry_safe(a, tmp, &test->resources, node) {
		list_del(&a->node);
		kfree(a->ptr);
		kfree(a);
	}
}

void gsd_kunit_set_skip(struct kunit *test, const char *fmt, ...)
{
	va_list args;

	/* A failure recorded earlier stays a failure. */
	if (READ_ONCE(test->status) == KUNIT_FAILURE)
		return;
	va_start(args, fmt);
	vscnprintf(test->status_comment, sizeof(test->status_comment),
		   fmt, args);
	va_end(args);
	WRITE_ONCE(test->status, KUNIT_SKIPPED);
}

void gsd_kunit_fail_at(struct kunit *test, bool fatal, const char *file,
		       int line)
{
	WRITE_ONCE(test->status, KUNIT_FAILURE);
	printk(KERN_ERR KUNIT_SUBTEST_INDENT "# %s: %s FAILED at %s:%d\n",
	       test->name, fatal ? "ASSERTION" : "EXPECTATION", file, line);
}

void gsd_kunit_msg(struct kunit *test, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	printk(KERN_ERR KUNIT_SUBTEST_INDENT "# %s: %pV\n", test->name, &vaf);
	va_end(args);
}

/* "x == 3", or nothing when x is the literal 3 itself. */
static void gsd_kunit_print_value(struct kunit *test, const char *expr,
				  long long v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%lld", v);
	if (strcmp(buf, expr))
		printk(KERN_ERR KUNIT_SUBTEST_INDENT "# %s:     %s == %lld\n",
		       test->name, expr, v);
}

void gsd_kunit_fail_binary(struct kunit *test, bool fatal, const char *file,
			   int line, const char *left, const char *op,
			   const char *right, long long l, long long r)
{
	gsd_kunit_fail_at(test, fatal, file, line);
	printk(KERN_ERR KUNIT_SUBTEST_INDENT "# %s: Expected %s %s %s, but\n",
	       test->name, left, op, right);
	gsd_kunit_print_value(test, left, l);
	gsd_kunit_print_value(test, right, r);
}

void gsd_kunit_end_failure(struct kunit *test, bool fatal)
{
	if (!fatal)
		return;
	if (current != READ_ONCE(test->task)) {
		/* Only the case's own thread can be stopped. */
		kunit_err(test, "assertion failed outside the case's thread; that thread goes on");
		return;
	}
	WRITE_ONCE(test->aborted, true);
	complete(&test->done);
	/* The case ends here: park this thread for good. */
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		schedule();
	}
}

static int gsd_kunit_thread(void *data)
{
	struct gsd_kunit_run *run = data;
	struct kunit *test = run->test;
	int err;

	if (run->phase == GSD_KUNIT_RUN_CASE) {
		err = run->suite->init ? run->suite->init(test) : 0;
		if (err) {
			kunit_err(test, "failed to initialise: %d", err);
			WRITE_ONCE(test->status, KUNIT_FAILURE);
		} else {
			run->kcase->run_case(test);
		}
	} else {
		run->suite->exit(test);
	}
	complete(&test->done);

	/* Leave the module's code only when the runner says so. */
	set_current_state(TASK_INTERRUPTIBLE);
	while (!kthread_should_stop()) {
		schedule();
		set_current_state(TASK_INTERRUPTIBLE);
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

/* Returns false if the phase did not end: the case is still running. */
static bool gsd_kunit_run_phase(struct gsd_kunit_run *run,
				enum gsd_kunit_phase phase)
{
	struct kunit *test = run->test;
	struct task_struct *task;

	run->phase = phase;
	reinit_completion(&test->done);
	WRITE_ONCE(test->aborted, false);
	task = kthread_create(gsd_kunit_thread, run, "gsd_kunit_case");
	if (IS_ERR(task)) {
		kunit_err(test, "cannot start a thread: %ld", PTR_ERR(task));
		WRITE_ONCE(test->status, KUNIT_FAILURE);
		return true;
	}
	get_task_struct(task);
	WRITE_ONCE(test->task, task);
	wake_up_process(task);

	if (!wait_for_completion_timeout(&test->done,
					 GSD_KUNIT_CASE_TIMEOUT)) {
		kunit_err(test, "timed out after %u s; left running",
			  GSD_KUNIT_CASE_TIMEOUT / HZ);
		WRITE_ONCE(test->status, KUNIT_FAILURE);
		gsd_kunit_pin_module();
		put_task_struct(task);
		return false;
	}
	if (READ_ONCE(test->aborted))
		gsd_kunit_pin_module();
	else
		kthread_stop(task);
	put_task_struct(task);
	return true;
}

static void gsd_kunit_print_result(unsigned int indent, bool failed,
				   bool skipped, unsigned int n,
				   const char *name, const char *comment)
{
	const char *pad = indent ? KUNIT_SUBTEST_INDENT : "";

	if (failed)
		printk(KERN_INFO "%snot ok %u %s\n", pad, n, name);
	else if (skipped)
		printk(KERN_INFO "%sok %u %s # SKIP%s%s\n", pad, n, name,
		       comment && *comment ? " " : "", comment ? comment : "");
	else
		printk(KERN_INFO "%sok %u %s\n", pad, n, name);
}

static void gsd_kunit_run_case(struct kunit_suite *suite,
			       struct kunit_case *kcase, unsigned int n,
			       struct gsd_kunit_totals *t)
{
	struct gsd_kunit_run run = { .suite = suite, .kcase = kcase };
	struct kunit *test;
	bool ended;

	/* On the heap: a case left running keeps using it. */
	test = kzalloc(sizeof(*test), GFP_KERNEL);
	if (!test) {
		printk(KERN_INFO KUNIT_SUBTEST_INDENT "not ok %u %s\n", n,
		       kcase->name);
		t->fail++;
		return;
	}
	test->name = kcase->name;
	spin_lock_init(&test->lock);
	INIT_LIST_HEAD(&test->resources);
	init_completion(&test->done);
	test->status = KUNIT_SUCCESS;
	run.test = test;

	ended = gsd_kunit_run_phase(&run, GSD_KUNIT_RUN_CASE);
	if (ended && suite->exit)
		ended = gsd_kunit_run_phase(&run, GSD_KUNIT_RUN_EXIT);

	switch (READ_ONCE(test->status)) {
	case KUNIT_FAILURE:
		t->fail++;
		break;
	case KUNIT_SKIPPED:
		t->skip++;
		break;
	default:
		t->pass++;
		break;
	}
	gsd_kunit_print_result(1, test->status == KUNIT_FAILURE,
			       test->status == KUNIT_SKIPPED, n, kcase->name,
			       test->status_comment);
	if (ended) {
		gsd_kunit_free_all(test);
		kfree(test);
	}
}

static void gsd_kunit_run_suite(struct kunit_suite *suite, unsigned int n,
				struct gsd_kunit_totals *all)
{
	struct gsd_kunit_totals t = { 0 };
	struct kunit_case *kcase;
	unsigned int ncases = 0, i = 0;

	for (kcase = suite->test_cases; kcase->run_case; kcase++)
		ncases++;

	printk(KERN_INFO KUNIT_SUBTEST_INDENT "KTAP version 1\n");
	printk(KERN_INFO KUNIT_SUBTEST_INDENT "# Subtest: %s\n", suite->name);
	printk(KERN_INFO KUNIT_SUBTEST_INDENT "1..%u\n", ncases);
	for (kcase = suite->test_cases; kcase->run_case; kcase++)
		gsd_kunit_run_case(suite, kcase, ++i, &t);

	printk(KERN_INFO "# %s: pass:%u fail:%u skip:%u total:%u\n",
	       suite->name, t.pass, t.fail, t.skip, ncases);
	gsd_kunit_print_result(0, t.fail > 0, ncases && t.skip == ncases, n,
			       suite->name, NULL);
	all->pass += t.pass;
	all->fail += t.fail;
	all->skip += t.skip;
}

void gsd_kunit_run_suites(struct kunit_suite * const *suites, unsigned int n)
{
	struct gsd_kunit_totals all = { 0 };
	unsigned int i;

	printk(KERN_INFO "KTAP version 1\n");
	printk(KERN_INFO "1..%u\n", n);
	for (i = 0; i < n; i++)
		gsd_kunit_run_suite(suites[i], i + 1, &all);
	printk(KERN_INFO "# Totals: pass:%u fail:%u skip:%u total:%u\n",
	       all.pass, all.fail, all.skip, all.pass + all.fail + all.skip);
}
