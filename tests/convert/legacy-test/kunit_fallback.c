// SPDX-License-Identifier: GPL-2.0-only
/* The KUnit stand-in's runner, compiled into this module as well. */
#include "../../kunit/fallback/kunit_fallback.c"
