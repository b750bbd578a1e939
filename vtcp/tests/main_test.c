// SPDX-License-Identifier: GPL-2.0
/*
 * vtcp_test.ko: every vtcp KUnit suite, run when the module loads.
 */
#include <kunit/test.h>
#include <linux/module.h>

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for vtcp");
MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
