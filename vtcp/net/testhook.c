// SPDX-License-Identifier: GPL-2.0
/*
 * The test hook's pointer (net/testhook.h); built only with KUnit.
 */

#include <kunit/visibility.h>
#include <linux/module.h>

#include "net/testhook.h"

void (*vtcp_testhook)(enum vtcp_hook point, void *arg);
EXPORT_SYMBOL_IF_KUNIT(vtcp_testhook);
