// SPDX-License-Identifier: GPL-2.0
/*
 * The test hooks (net/testhook.h); built only with KUnit.
 */

#include <kunit/visibility.h>
#include <linux/compiler.h>
#include <linux/module.h>

#include "net/testhook.h"

static void (*vtcp_testhook)(enum vtcp_hook point, void *arg);

void vtcp_testhook_set(void (*fn)(enum vtcp_hook point, void *arg))
{
	WRITE_ONCE(vtcp_testhook, fn);
}
EXPORT_SYMBOL_IF_KUNIT(vtcp_testhook_set);

void vtcp_testhook_at(enum vtcp_hook point, void *arg)
{
	void (*fn)(enum vtcp_hook point, void *arg) = READ_ONCE(vtcp_testhook);

	if (fn)
		fn(point, arg);
}
