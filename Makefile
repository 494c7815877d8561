# SPDX-License-Identifier: GPL-2.0
#
# xbpf top-level build.
#   make            module, libxbpf.a, tools
#   make check      the whole test rig (installs its own dependencies)
#   make fuzz       build the verifier fuzzer and run it FUZZ_SECONDS (docs/fuzzing.md)
#   make demo       boot the stock kernel in qemu, load xbpf, run a program
#
# Kernel code goes through Kbuild (./Kbuild); userspace through the rules below.

KVER	?= $(shell scripts/kver.sh)
KDIR	?= /lib/modules/$(KVER)/build
B	:= build
CC	?= gcc

CORE_DIRS := core interp verifier maps btf ringbuf jit
# *_kern.c: the module's halves of core features (Kbuild builds them).
CORE_SRCS := $(filter-out %_kern.c,$(wildcard $(addsuffix /*.c,$(CORE_DIRS))))

# Two host builds of the core: build/san/ under ASan and UBSan for the unit
# tests and the fuzzer; build/rel/ optimised and linkable statically, for
# the tools (xbpf --offline, xbpf-conformance) that also run inside the VM.
SAN	?= -fsanitize=address,undefined -fno-sanitize-recover=undefined
WARN	:= -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers -Werror
BASE_CFLAGS := -g -std=gnu11 -I. -Iuapi $(WARN)
SAN_CFLAGS := -O1 $(BASE_CFLAGS) $(SAN)
REL_CFLAGS := -O2 $(BASE_CFLAGS)
SAN_OBJS := $(patsubst %.c,$(B)/san/%.o,$(CORE_SRCS))
REL_OBJS := $(patsubst %.c,$(B)/rel/%.o,$(CORE_SRCS))
CORE_HDRS := $(wildcard core/*.h interp/*.h verifier/*.h maps/*.h btf/*.h ringbuf/*.h jit/*.h) uapi/linux/xbpf.h uapi/linux/xbpf_btf.h

UNIT_SRCS := $(wildcard selftests/unit/test_*.c)
UNIT_BINS := $(patsubst selftests/unit/%.c,$(B)/unit/%,$(UNIT_SRCS))

.PHONY: all module lib tools unit check demo clean deps vmtest dkms-check selftests verifier-tests \
	fuzz fuzz-build

all: module lib tools

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 modules

lib: $(B)/san/libxbpf.a $(B)/rel/libxbpf.a

$(B)/san/libxbpf.a: $(SAN_OBJS)
	$(AR) rcs $@ $^

$(B)/rel/libxbpf.a: $(REL_OBJS)
	$(AR) rcs $@ $^

$(B)/san/%.o: %.c $(CORE_HDRS)
	@mkdir -p $(@D)
	$(CC) $(SAN_CFLAGS) -c -o $@ $<

$(B)/rel/%.o: %.c $(CORE_HDRS)
	@mkdir -p $(@D)
	$(CC) $(REL_CFLAGS) -c -o $@ $<

# A unit test may need helpers shared by several tests: selftests/unit/lib/*.c
# The test sources themselves build at -O0: their large tables of compound
# literals take minutes under ASan at -O1, and the code under test (the
# library) keeps its -O1 build.
UNIT_LIB := $(wildcard selftests/unit/lib/*.c)
UNIT_CFLAGS := -O0 $(BASE_CFLAGS) $(SAN)
$(B)/unit/%: selftests/unit/%.c $(UNIT_LIB) $(B)/san/libxbpf.a
	@mkdir -p $(@D)
	$(CC) $(UNIT_CFLAGS) -Iselftests/unit -o $@ $< $(UNIT_LIB) $(B)/san/libxbpf.a -lpthread

unit: $(UNIT_BINS)
	scripts/run-unit.sh $(UNIT_BINS)

# The verifier fuzzer (docs/fuzzing.md).  clang and libFuzzer, with the
# core sources compiled into the binary: the gcc-built libxbpf.a carries
# no coverage instrumentation for libFuzzer to follow.
FUZZ_CC		?= clang
FUZZ_SECONDS	?= 30
FUZZ_JOBS	?= 1
FUZZ_SRCS	:= $(wildcard selftests/fuzz/*.c)
# A lower instruction budget per checked run: an endless loop then costs
# the fuzzer 2^16 instructions instead of 2^24.
FUZZ_CFLAGS	:= -O1 $(BASE_CFLAGS) -fsanitize=fuzzer,address,undefined \
		   -fno-sanitize-recover=undefined \
		   -DXBPF_CHECKED_INSN_BUDGET=65536U

FUZZ_OBJS	:= $(patsubst %.c,$(B)/fuzz/obj/%.o,$(FUZZ_SRCS) $(CORE_SRCS))

$(B)/fuzz/obj/%.o: %.c $(CORE_HDRS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

$(B)/fuzz/fuzz_verify: $(FUZZ_OBJS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $^

fuzz-build: $(B)/fuzz/fuzz_verify

fuzz: fuzz-build
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_JOBS=$(FUZZ_JOBS) FUZZ_TAP=$(FUZZ_TAP) \
		scripts/fuzz.sh

tools: lib
	$(MAKE) -C tools/loader B=$(CURDIR)/$(B)
	$(MAKE) -C tools/preload B=$(CURDIR)/$(B)

# The verifier case table (selftests/verifier/): its static runner joins
# the VM's selftests; `make verifier-tests` builds the host (--offline) one.
selftests: lib
	$(MAKE) -C selftests/vm B=$(CURDIR)/$(B)
	$(MAKE) -C selftests/verifier B=$(CURDIR)/$(B) vm
	$(MAKE) -C selftests/bpf B=$(CURDIR)/$(B)

verifier-tests: lib
	$(MAKE) -C selftests/verifier B=$(CURDIR)/$(B) offline

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
