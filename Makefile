# SPDX-License-Identifier: GPL-2.0
#
# make            build vtcp/vtcp.ko against KDIR
# make check      every test, in guest kernels built on demand (see README)
# make run        boot a guest with vtcp loaded and show a connection
# make bench      side-by-side benchmarks in the perf guest
# make style      checkpatch --strict and sparse over the module

KDIR ?= /lib/modules/$(shell uname -r)/build
SRC := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))

ifneq ($(filter all modules,$(or $(MAKECMDGOALS),all)),)
ifeq ($(wildcard $(KDIR)/Makefile),)
$(error no kernel build tree at $(KDIR): set KDIR=<kernel build dir>, or run 'make check' to build guest kernels)
endif
endif

all modules:
	$(MAKE) -C $(KDIR) M=$(SRC) modules

clean:
	rm -rf build
	$(MAKE) -C tools clean
	$(MAKE) -C selftests clean
	find vtcp \( -name '*.o' -o -name '*.ko' -o -name '*.mod' -o -name '*.mod.c' \
		-o -name '.*.cmd' -o -name '*.o.d' \) -delete
	rm -f Module.symvers modules.order vtcp/modules.order vtcp/tests/modules.order

check:
	scripts/check.sh

check-long:
	VTCP_LONG=1 scripts/check.sh

run:
	scripts/run.sh

bench:
	scripts/bench.sh

style:
	scripts/style.sh

.PHONY: all modules clean check check-long run bench style
