/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A small stand-in for <kunit/test.h>, used only when the target kernel has
 * no usable KUnit (GSD_HAVE_KUNIT_USABLE unset: Debian's stock kernels, 5.4).
 * tests/kunit/Kbuild then puts tests/kunit/fallback first on the include
 * path, so the suites of gpu-sched-deps compile unchanged against it.
 *
 * It implements the subset of the KUnit API the suites use and prints KTAP
 * version 1 like a modern KUnit module run.  Each case runs in its own
 * kthread; a failed assertion parks that thread for good (the case really
 * stops, nothing after the assertion runs), the runner goes on with the
 * suite's exit hook and the next case, and the module pins itself so the
 * parked thread's code can never be unloaded under it.
 *
 * Differences from KUnit a test author must know:
 * - kunit_skip() returns from the calling function: use it only directly in
 *   a case function (KUnit's may be called from anywhere);
 * - no parameterised cases, no resources API, no suite attributes.
 */
#ifndef GSD_FALLBACK_KUNIT_TEST_H
#define GSD_FALLBACK_KUNIT_TEST_H

#include <linux/compiler.h>
#include <linux/completion.h>
#include <linux/err.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#define GSD_KUNIT_FALLBACK 1

#define KUNIT_SUBTEST_INDENT		"    "
#define KUNIT_STATUS_COMMENT_SIZE	256

enum kunit_status {
	KUNIT_SUCCESS,
	KUNIT_FAILURE,
	KUNIT_SKIPPED,
};

struct kunit;

struct kunit_case {
	void (*run_case)(struct kunit *test);
	const char *name;
};

struct kunit_suite {
	const char name[256];
	int (*init)(struct kunit *test);
	void (*exit)(struct kunit *test);
	struct kunit_case *test_cases;
};

/* The state of one running case. */
struct kunit {
	void *priv;
	const char *name;		/* name of the case */

	/* private: */
	spinlock_t lock;		/* protects @resources */
	struct list_head resources;	/* kunit_kmalloc() allocations */
	enum kunit_status status;
	char status_comment[KUNIT_STATUS_COMMENT_SIZE];
	struct task_struct *task;	/* thread running the case */
	struct completion done;		/* the case returned or aborted */
	bool aborted;
};

#define KUNIT_CASE(test_name) { .run_case = test_name, .name = #test_name }

void gsd_kunit_run_suites(struct kunit_suite * const *suites,
			  unsigned int n);

/*
 * Register the suites of this module; they run from its module_init.
 * Use it once per module.
 */
#define kunit_test_suites(...)						\
	static struct kunit_suite * const gsd_kunit_suite_list[] = {	\
		__VA_ARGS__						\
	};								\
	static int __init gsd_kunit_module_init(void)			\
	{								\
		gsd_kunit_run_suites(gsd_kunit_suite_list,		\
				     ARRAY_SIZE(gsd_kunit_suite_list));	\
		return 0;						\
	}								\
	module_init(gsd_kunit_module_init);				\
	static void __exit gsd_kunit_module_exit(void)			\
	{								\
	}								\
	module_exit(gsd_kunit_module_exit)

#define kunit_test_suite(suite) kunit_test_suites(&(suite))

/* Allocations freed automatically when the case ends. */
void *kunit_kmalloc(struct kunit *test, size_t size, gfp_t gfp);
void kunit_kfree(struct kunit *test, const void *ptr);

static inline void *kunit_kzalloc(struct kunit *test, size_t size, gfp_t gfp)
{
	return kunit_kmalloc(test, size, gfp | __GFP_ZERO);
}

static inline void *kunit_kmalloc_array(struct kunit *test, size_t n,
					size_t size, gfp_t gfp)
{
	size_t bytes;

	if (unlikely(check_mul_overflow(n, size, &bytes)))
		return NULL;
	return kunit_kmalloc(test, bytes, gfp);
}

static inline void *kunit_kcalloc(struct kunit *test, size_t n, size_t size,
				  gfp_t gfp)
{
	return kunit_kmalloc_array(test, n, size, gfp | __GFP_ZERO);
}

/* Messages, as "    # <case>: <message>". */
#define kunit_printk(lvl, test, fmt, ...)				\
	printk(lvl KUNIT_SUBTEST_INDENT "# %s: " fmt "\n",		\
	       (test)->name, ##__VA_ARGS__)
#define kunit_info(test, fmt, ...)					\
	kunit_printk(KERN_INFO, test, fmt, ##__VA_ARGS__)
#define kunit_warn(test, fmt, ...)					\
	kunit_printk(KERN_WARNING, test, fmt, ##__VA_ARGS__)
#define kunit_err(test, fmt, ...)					\
	kunit_printk(KERN_ERR, test, fmt, ##__VA_ARGS__)

void gsd_kunit_set_skip(struct kunit *test, const char *fmt, ...)
	__printf(2, 3);

#define kunit_mark_skipped(test, fmt, ...)				\
	gsd_kunit_set_skip(test, fmt, ##__VA_ARGS__)

/* Skips the case: returns from the calling (case) function. */
#define kunit_skip(test, fmt, ...)					\
	do {								\
		gsd_kunit_set_skip(test, fmt, ##__VA_ARGS__);		\
		return;							\
	} while (0)

/* Failure reporting, implemented in kunit_fallback.c. */
void gsd_kunit_fail_at(struct kunit *test, bool fatal, const char *file,
		       int line);
void gsd_kunit_msg(struct kunit *test, const char *fmt, ...) __printf(2, 3);
/* Stops the current case for good if @fatal, else returns. */
void gsd_kunit_end_failure(struct kunit *test, bool fatal);

#define __GSD_KUNIT_FAIL(test, fatal, msgstmt, fmt, ...)		\
	do {								\
		gsd_kunit_fail_at(test, fatal, __FILE__, __LINE__);	\
		gsd_kunit_msg(test, fmt, ##__VA_ARGS__);		\
		msgstmt;						\
		gsd_kunit_end_failure(test, fatal);			\
	} while (0)

#define KUNIT_SUCCEED(test) do { } while (0)

#define KUNIT_FAIL(test, fmt, ...)					\
	__GSD_KUNIT_FAIL(test, false, (void)0, fmt, ##__VA_ARGS__)

void gsd_kunit_fail_binary(struct kunit *test, bool fatal, const char *file,
			   int line, const char *left, const char *op,
			   const char *right, long long l, long long r);

/* Integers (and enums, bools): compared and printed as long long. */
#define __GSD_KUNIT_BINARY(test, fatal, left, op, right, msgstmt)	\
	do {								\
		const long long __gsd_l = (long long)(left);		\
		const long long __gsd_r = (long long)(right);		\
		if (!(__gsd_l op __gsd_r)) {				\
			gsd_kunit_fail_binary(test, fatal, __FILE__,	\
					      __LINE__, #left, #op,	\
					      #right, __gsd_l, __gsd_r); \
			msgstmt;					\
			gsd_kunit_end_failure(test, fatal);		\
		}							\
	} while (0)

#define __GSD_KUNIT_PTR(test, fatal, left, op, right, msgstmt)		\
	do {								\
		const void *const __gsd_l = (left);			\
		const void *const __gsd_r = (right);			\
		if (!(__gsd_l op __gsd_r))				\
			__GSD_KUNIT_FAIL(test, fatal, msgstmt,		\
				"Expected %s %s %s, but %s == %px, %s == %px", \
				#left, #op, #right, #left, __gsd_l,	\
				#right, __gsd_r);			\
	} while (0)

#define __GSD_KUNIT_BOOL(test, fatal, cond, want, msgstmt)		\
	do {								\
		if (!!(cond) != (want))					\
			__GSD_KUNIT_FAIL(test, fatal, msgstmt,		\
				"Expected %s to be %s", #cond,		\
				(want) ? "true" : "false");		\
	} while (0)

#define __GSD_KUNIT_PTR_IS(test, fatal, ptr, check, what, msgstmt)	\
	do {								\
		const void *const __gsd_p = (ptr);			\
		if (!(check))						\
			__GSD_KUNIT_FAIL(test, fatal, msgstmt,		\
				"Expected %s %s, but %s == %px",	\
				#ptr, what, #ptr, __gsd_p);		\
	} while (0)

#define __GSD_MSG(test, fmt, ...) gsd_kunit_msg(test, fmt, ##__VA_ARGS__)

/* Every comparison, as expectation (EXPECT) and assertion (ASSERT). */
#define KUNIT_EXPECT_TRUE(t, c)		__GSD_KUNIT_BOOL(t, false, c, true, (void)0)
#define KUNIT_EXPECT_FALSE(t, c)	__GSD_KUNIT_BOOL(t, false, c, false, (void)0)
#define KUNIT_ASSERT_TRUE(t, c)		__GSD_KUNIT_BOOL(t, true, c, true, (void)0)
#define KUNIT_ASSERT_FALSE(t, c)	__GSD_KUNIT_BOOL(t, true, c, false, (void)0)
#define KUNIT_EXPECT_TRUE_MSG(t, c, f, ...)				\
	__GSD_KUNIT_BOOL(t, false, c, true, __GSD_MSG(t, f, ##__VA_ARGS__))
#define KUNIT_EXPECT_FALSE_MSG(t, c, f, ...)				\
	__GSD_KUNIT_BOOL(t, false, c, false, __GSD_MSG(t, f, ##__VA_ARGS__))
#define KUNIT_ASSERT_TRUE_MSG(t, c, f, ...)				\
	__GSD_KUNIT_BOOL(t, true, c, true, __GSD_MSG(t, f, ##__VA_ARGS__))
#define KUNIT_ASSERT_FALSE_MSG(t, c, f, ...)				\
	__GSD_KUNIT_BOOL(t, true, c, false, __GSD_MSG(t, f, ##__VA_ARGS__))

#define __GSD_BIN_E(t, l, op, r)	__GSD_KUNIT_BINARY(t, false, l, op, r, (void)0)
#define __GSD_BIN_A(t, l, op, r)	__GSD_KUNIT_BINARY(t, true, l, op, r, (void)0)
#define __GSD_BIN_EM(t, l, op, r, f, ...)				\
	__GSD_KUNIT_BINARY(t, false, l, op, r, __GSD_MSG(t, f, ##__VA_ARGS__))
#define __GSD_BIN_AM(t, l, op, r, f, ...)				\
	__GSD_KUNIT_BINARY(t, true, l, op, r, __GSD_MSG(t, f, ##__VA_ARGS__))

#define KUNIT_EXPECT_EQ(t, l, r)	__GSD_BIN_E(t, l, ==, r)
#define KUNIT_EXPECT_NE(t, l, r)	__GSD_BIN_E(t, l, !=, r)
#define KUNIT_EXPECT_LT(t, l, r)	__GSD_BIN_E(t, l, <, r)
#define KUNIT_EXPECT_LE(t, l, r)	__GSD_BIN_E(t, l, <=, r)
#define KUNIT_EXPECT_GT(t, l, r)	__GSD_BIN_E(t, l, >, r)
#define KUNIT_EXPECT_GE(t, l, r)	__GSD_BIN_E(t, l, >=, r)
#define KUNIT_ASSERT_EQ(t, l, r)	__GSD_BIN_A(t, l, ==, r)
#define KUNIT_ASSERT_NE(t, l, r)	__GSD_BIN_A(t, l, !=, r)
#define KUNIT_ASSERT_LT(t, l, r)	__GSD_BIN_A(t, l, <, r)
#define KUNIT_ASSERT_LE(t, l, r)	__GSD_BIN_A(t, l, <=, r)
#define KUNIT_ASSERT_GT(t, l, r)	__GSD_BIN_A(t, l, >, r)
#define KUNIT_ASSERT_GE(t, l, r)	__GSD_BIN_A(t, l, >=, r)

#define KUNIT_EXPECT_EQ_MSG(t, l, r, f, ...)	__GSD_BIN_EM(t, l, ==, r, f, ##__VA_ARGS__)
#define KUNIT_EXPECT_NE_MSG(t, l, r, f, ...)	__GSD_BIN_EM(t, l, !=, r, f, ##__VA_ARGS__)
#define KUNIT_EXPECT_LT_MSG(t, l, r, f, ...)	__GSD_BIN_EM(t, l, <, r, f, ##__VA_ARGS__)
#define KUNIT_EXPECT_LE_MSG(t, l, r, f, ...)	__GSD_BIN_EM(t, l, <=, r, f, ##__VA_ARGS__)
#define KUNIT_EXPECT_GT_MSG(t, l, r, f, ...)	__GSD_BIN_EM(t, l, >, r, f, ##__VA_ARGS__)
#define KUNIT_EXPECT_GE_MSG(t, l, r, f, ...)	__GSD_BIN_EM(t, l, >=, r, f, ##__VA_ARGS__)
#define KUNIT_ASSERT_EQ_MSG(t, l, r, f, ...)	__GSD_BIN_AM(t, l, ==, r, f, ##__VA_ARGS__)
#define KUNIT_ASSERT_NE_MSG(t, l, r, f, ...)	__GSD_BIN_AM(t, l, !=, r, f, ##__VA_ARGS__)
#define KUNIT_ASSERT_LT_MSG(t, l, r, f, ...)	__GSD_BIN_AM(t, l, <, r, f, ##__VA_ARGS__)
#define KUNIT_ASSERT_LE_MSG(t, l, r, f, ...)	__GSD_BIN_AM(t, l, <=, r, f, ##__VA_ARGS__)
#define KUNIT_ASSERT_GT_MSG(t, l, r, f, ...)	__GSD_BIN_AM(t, l, >, r, f, ##__VA_ARGS__)
#define KUNIT_ASSERT_GE_MSG(t, l, r, f, ...)	__GSD_BIN_AM(t, l, >=, r, f, ##__VA_ARGS__)

#define KUNIT_EXPECT_PTR_EQ(t, l, r)	__GSD_KUNIT_PTR(t, false, l, ==, r, (void)0)
#define KUNIT_EXPECT_PTR_NE(t, l, r)	__GSD_KUNIT_PTR(t, false, l, !=, r, (void)0)
#define KUNIT_ASSERT_PTR_EQ(t, l, r)	__GSD_KUNIT_PTR(t, true, l, ==, r, (void)0)
#define KUNIT_ASSERT_PTR_NE(t, l, r)	__GSD_KUNIT_PTR(t, true, l, !=, r, (void)0)
#define KUNIT_EXPECT_PTR_EQ_MSG(t, l, r, f, ...)			\
	__GSD_KUNIT_PTR(t, false, l, ==, r, __GSD_MSG(t, f, ##__VA_ARGS__))
#define KUNIT_ASSERT_PTR_EQ_MSG(t, l, r, f, ...)			\
	__GSD_KUNIT_PTR(t, true, l, ==, r, __GSD_MSG(t, f, ##__VA_ARGS__))

#define KUNIT_EXPECT_NULL(t, p)						\
	__GSD_KUNIT_PTR_IS(t, false, p, !__gsd_p, "to be NULL", (void)0)
#define KUNIT_ASSERT_NULL(t, p)						\
	__GSD_KUNIT_PTR_IS(t, true, p, !__gsd_p, "to be NULL", (void)0)
#define KUNIT_EXPECT_NOT_NULL(t, p)					\
	__GSD_KUNIT_PTR_IS(t, false, p, __gsd_p, "not to be NULL", (void)0)
#define KUNIT_ASSERT_NOT_NULL(t, p)					\
	__GSD_KUNIT_PTR_IS(t, true, p, __gsd_p, "not to be NULL", (void)0)
#define KUNIT_EXPECT_NOT_ERR_OR_NULL(t, p)				\
	__GSD_KUNIT_PTR_IS(t, false, p, !IS_ERR_OR_NULL(__gsd_p),	\
			   "not to be an error or NULL", (void)0)
#define KUNIT_ASSERT_NOT_ERR_OR_NULL(t, p)				\
	__GSD_KUNIT_PTR_IS(t, true, p, !IS_ERR_OR_NULL(__gsd_p),	\
			   "not to be an error or NULL", (void)0)
#define KUNIT_EXPECT_NULL_MSG(t, p, f, ...)				\
	__GSD_KUNIT_PTR_IS(t, false, p, !__gsd_p, "to be NULL",	\
			   __GSD_MSG(t, f, ##__VA_ARGS__))
#define KUNIT_EXPECT_NOT_NULL_MSG(t, p, f, ...)				\
	__GSD_KUNIT_PTR_IS(t, false, p, __gsd_p, "not to be NULL",	\
			   __GSD_MSG(t, f, ##__VA_ARGS__))
#define KUNIT_ASSERT_NOT_NULL_MSG(t, p, f, ...)				\
	__GSD_KUNIT_PTR_IS(t, true, p, __gsd_p, "not to be NULL",	\
			   __GSD_MSG(t, f, ##__VA_ARGS__))
#define KUNIT_ASSERT_NOT_ERR_OR_NULL_MSG(t, p, f, ...)			\
	__GSD_KUNIT_PTR_IS(t, true, p, !IS_ERR_OR_NULL(__gsd_p),	\
			   "not to be an error or NULL",		\
			   __GSD_MSG(t, f, ##__VA_ARGS__))

#endif /* GSD_FALLBACK_KUNIT_TEST_H */
