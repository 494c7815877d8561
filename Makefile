# SPDX-License-Identifier: GPL-2.0
#
# xbpf top-level build.
#   make            module, libxbpf.a, tools
#   make check      the whole test rig (installs its own dependencies)
#   make demo       boot the stock kernel in qemu, load xbpf, run a program
#
# Kernel code goes through Kbuild (./Kbuild); userspace through the rules below.

KVER	?= $(shell scripts/kver.sh)
KDIR	?= /lib/modules/$(KVER)/build
B	:= build
CC	?= gcc

CORE_DIRS := core interp verifier maps
CORE_SRCS := $(wildcard $(addsuffix /*.c,$(CORE_DIRS)))
CORE_OBJS := $(patsubst %.c,$(B)/lib/%.o,$(CORE_SRCS))

# The host build of the core runs under ASan and UBSan: it is the one the
# unit tests, the fuzzer and `xbpf --offline` link.
SAN	?= -fsanitize=address,undefined -fno-sanitize-recover=undefined
USER_CFLAGS := -O1 -g -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers \
	-Werror -std=gnu11 -I. -Iuapi $(SAN)

UNIT_SRCS := $(wildcard selftests/unit/test_*.c)
UNIT_BINS := $(patsubst selftests/unit/%.c,$(B)/unit/%,$(UNIT_SRCS))

.PHONY: all module lib tools unit check demo clean deps vmtest dkms-check selftests

all: module lib tools

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 modules

lib: $(B)/libxbpf.a

$(B)/libxbpf.a: $(CORE_OBJS)
	@mkdir -p $(@D)
	$(AR) rcs $@ $^

$(B)/lib/%.o: %.c $(wildcard core/*.h interp/*.h verifier/*.h maps/*.h) uapi/linux/xbpf.h
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) -c -o $@ $<

$(B)/unit/%: selftests/unit/%.c $(B)/libxbpf.a
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) -o $@ $< $(B)/libxbpf.a

unit: $(UNIT_BINS)
	scripts/run-unit.sh $(UNIT_BINS)

tools: lib
	$(MAKE) -C tools/loader B=$(CURDIR)/$(B)

selftests:
	$(MAKE) -C selftests/vm B=$(CURDIR)/$(B)

deps:
	scripts/deps.sh

vmtest: module tools selftests
	scripts/vm-test.sh

dkms-check:
	scripts/dkms-check.sh

check:
	scripts/check.sh

demo:
	scripts/demo.sh

clean:
	rm -rf $(B)
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null
