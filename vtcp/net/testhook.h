/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test-only hooks: named points where a KUnit test (tests/race_test.c)
 * runs code of its own, to force an interleaving that a uniprocessor
 * guest would never show by chance. Without KUnit they are nothing.
 */
#ifndef _VTCP_TESTHOOK_H
#define _VTCP_TESTHOOK_H

enum vtcp_hook {
	/* api/handle.c: CONNECT's connection is in the table, unlocked. */
	VTCP_HOOK_CONNECT_INSERTED,
	/* net/device.c: teardown has stopped the device's listeners. */
	VTCP_HOOK_DEV_LISTENERS_DONE,
	/* net/timers.c: the callback has unlocked and not yet returned. */
	VTCP_HOOK_TIMER_UNLOCKED,
};

#if IS_ENABLED(CONFIG_KUNIT)
/* @fn runs at every point until it is set to NULL again. */
void vtcp_testhook_set(void (*fn)(enum vtcp_hook point, void *arg));
void vtcp_testhook_at(enum vtcp_hook point, void *arg);
#else
static inline void vtcp_testhook_at(enum vtcp_hook point, void *arg)
{
}
#endif

#endif /* _VTCP_TESTHOOK_H */
