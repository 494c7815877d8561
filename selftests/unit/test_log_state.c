// SPDX-License-Identifier: GPL-2.0
/*
 * The walk's log (verifier/log_state.c) against the text Linux 6.1 prints
 * for the same state and program (print_verifier_state, print_insn_state
 * and do_check in kernel/bpf/verifier.c), written by hand from Linux's
 * rules, not from xbpf's output.  Adapted where documented in
 * log_state.h: no liveness marks ("R0=5" where Linux says "R0_w=5"), and
 * a popped branch's line starts on its own line at level 1.
 *
 *  - the printer on crafted states: scalars of every shape (constant,
 *    negative, unsigned and signed ranges, 32-bit bounds, 6.1's %d for
 *    u32 bounds), ctx, fp, map pointers and values (or-null, variable
 *    offset), alloc mem with a reference, spilled registers, misc, zero
 *    and invalid stack bytes, references, the frame prefix, the filters;
 *  - whole logs of small programs at level 1 (the path that failed, the
 *    message after the failing insn) and level 2 (every path, "from X to
 *    Y"), and at stats-only level (messages, no trace);
 *  - the level-1 rewind keeps a truncated log a prefix of the full one.
 */
#include "lib/xbpf_test.h"
#include "verifier/log_state.h"

static char buf[1 << 16];
static struct xbpf_verifier_env env;
static struct xbpf_log log;

/* ---- the printer ---- */

static void log_open(void)
{
	memset(buf, 0, sizeof(buf));
	xbpf_log_init(&log, XBPF_LOG_LEVEL1, (u64)(uintptr_t)buf, sizeof(buf));
	env.log = &log;
}

static void expect(const char *want, const char *what)
{
	bool ok = !strcmp(buf, want);

	xt_report(ok, "%s", what);
	if (!ok)
		xt_diag("got:  '%s'\nwant: '%s'", buf, want);
}

/* One register printed alone: the line " R0=<text>\n". */
static void reg_case(const struct xbpf_reg *reg, const char *text)
{
	struct xbpf_state *st = xbpf_state_alloc();
	char want[512];

	if (!st) {
		xt_report(false, "state alloc");
		return;
	}
	xbpf_cur_regs(st)[0] = *reg;
	log_open();
	xbpf_log_frame(&env, st, 0, XBPF_LOG_ALL_REGS, XBPF_LOG_ALL_SLOTS);
	snprintf(want, sizeof(want), " R0=%s\n", text);
	expect(want, text);
	xbpf_state_free(st);
}

static struct xbpf_scalar sc(u64 val, u64 mask, s64 smin, s64 smax, u64 umin, u64 umax,
			     s32 s32_min, s32 s32_max, u32 u32_min, u32 u32_max)
{
	struct xbpf_scalar s = {
		.var = { .value = val, .mask = mask },
		.smin = smin, .smax = smax, .umin = umin, .umax = umax,
		.s32_min = s32_min, .s32_max = s32_max, .u32_min = u32_min, .u32_max = u32_max,
	};

	return s;
}

static void test_scalars(void)
{
	struct xbpf_reg r;
	struct xbpf_scalar s;

	xbpf_reg_mark_known(&r, 5);
	reg_case(&r, "5");
	xbpf_reg_mark_known(&r, (u64)-3);
	reg_case(&r, "-3");
	xbpf_reg_mark_known(&r, 0);
	r.precise = true;
	reg_case(&r, "P0");
	xbpf_reg_mark_unknown(&r);
	reg_case(&r, "scalar()");

	/* A u32 load: only umax and var_off say anything. */
	s = sc(0, 0xffffffff, 0, 0xffffffff, 0, 0xffffffff, S32_MIN, S32_MAX, 0, U32_MAX);
	xbpf_reg_mark_scalar(&r, &s);
	reg_case(&r, "scalar(umax=4294967295,var_off=(0x0; 0xffffffff))");
	/* The taken arm of "if r0 > 5": umin joins. */
	s = sc(0, 0xffffffff, 6, 0xffffffff, 6, 0xffffffff, S32_MIN, S32_MAX, 6, U32_MAX);
	xbpf_reg_mark_scalar(&r, &s);
	reg_case(&r, "scalar(umin=6,umax=4294967295,var_off=(0x0; 0xffffffff))");
	/* A signed range across zero: the signed bounds only. */
	s = sc(0, U64_MAX, -5, 5, 0, U64_MAX, -5, 5, 0, U32_MAX);
	xbpf_reg_mark_scalar(&r, &s);
	reg_case(&r, "scalar(smin=-5,smax=5)");
	/* Negative and small: [-7, -2] (u32 bounds print as %d in 6.1). */
	s = sc(0xfffffffffffffff8ULL, 7, -7, -2, (u64)-7, (u64)-2, -7, -2, 0xfffffff9, 0xfffffffe);
	xbpf_reg_mark_scalar(&r, &s);
	reg_case(&r, "scalar(umin=18446744073709551609,umax=18446744073709551614,"
		 "var_off=(0xfffffffffffffff8; 0x7),u32_min=-7,u32_max=-2)");
	/*
	 * Low half in [1, 10], high half anything: every 64-bit bound, then
	 * the 32-bit ones that differ (u32_min equals umin: left out).
	 */
	s = sc(0, 0xffffffff0000000fULL, S64_MIN + 1, 0x7fffffff0000000aLL, 1,
	       0xffffffff0000000aULL, 1, 10, 1, 10);
	xbpf_reg_mark_scalar(&r, &s);
	reg_case(&r, "scalar(smin=-9223372036854775807,smax=9223372032559808522,umin=1,"
		 "umax=18446744069414584330,var_off=(0x0; 0xffffffff0000000f),s32_min=1,"
		 "s32_max=10,u32_max=10)");
	/* 6.1's %d for a u32 bound past S32_MAX. */
	s = sc(0, 0xffffffffffffffffULL, S64_MIN, S64_MAX, 0, U64_MAX, S32_MIN, S32_MAX,
	       0, 0x80000000);
	xbpf_reg_mark_scalar(&r, &s);
	reg_case(&r, "scalar(u32_max=-2147483648)");
}

static void test_pointers(void)
{
	struct xbpf_map_params hp = {
		.map_type = XBPF_MAP_TYPE_HASH, .key_size = 8, .value_size = 16, .max_entries = 4,
	};
	struct xbpf_map *map;
	struct xbpf_reg r;
	int err;

	map = xbpf_map_create(&hp, &err);
	if (!map) {
		xt_report(false, "map create (%d)", err);
		return;
	}
	xbpf_reg_mark_ptr(&r, XBPF_PTR_TO_CTX, 0);
	reg_case(&r, "ctx(off=0,imm=0)");
	xbpf_reg_mark_ptr(&r, XBPF_PTR_TO_STACK, 0);
	reg_case(&r, "fp0");
	xbpf_reg_mark_ptr(&r, XBPF_PTR_TO_STACK, -8);
	reg_case(&r, "fp-8");
	xbpf_reg_mark_ptr(&r, XBPF_CONST_PTR_TO_MAP, 0);
	r.map = map;
	reg_case(&r, "map_ptr(off=0,ks=8,vs=16,imm=0)");
	xbpf_reg_mark_ptr(&r, XBPF_PTR_TO_MAP_VALUE, 0);
	r.map = map;
	r.flags = XBPF_REG_OR_NULL;
	r.id = 1;
	reg_case(&r, "map_value_or_null(id=1,off=0,ks=8,vs=16,imm=0)");
	/* Checked: Linux has dropped the id, xbpf keeps it but does not show it. */
	r.flags = 0;
	r.off = 4;
	reg_case(&r, "map_value(off=4,ks=8,vs=16,imm=0)");
	/* A bounded variable offset: the scalar rules on the variable part. */
	r.off = 0;
	xbpf_scalar_set_urange(&r.s, 0, 12);
	reg_case(&r, "map_value(off=0,ks=8,vs=16,umax=12,var_off=(0x0; 0xf))");
	/* A ring buffer record before its null check. */
	xbpf_reg_mark_ptr(&r, XBPF_PTR_TO_MEM, 0);
	r.flags = XBPF_REG_OR_NULL | XBPF_REG_ALLOC;
	r.id = 2;
	r.ref_obj_id = 2;
	reg_case(&r, "alloc_mem_or_null(id=2,ref_obj_id=2,off=0,imm=0)");
	xbpf_reg_mark_ptr(&r, XBPF_PTR_TO_MEM, 8);
	r.flags = XBPF_REG_RDONLY;
	reg_case(&r, "rdonly_mem(off=8,imm=0)");
	xbpf_map_put(map);
}

/* Registers in order, then slots from fp-8 down, then references. */
static void test_frame(void)
{
	struct xbpf_state *st = xbpf_state_alloc();
	struct xbpf_frame *f;
	struct xbpf_slot *s;
	struct xbpf_ref ref = { .id = 3, .insn_idx = 1 };

	if (!st) {
		xt_report(false, "state alloc");
		return;
	}
	xbpf_state_init_entry(st, XBPF_PROG_TYPE_SOCKET_FILTER);
	log_open();
	xbpf_log_frame(&env, st, 0, XBPF_LOG_ALL_REGS, XBPF_LOG_ALL_SLOTS);
	expect(" R1=ctx(off=0,imm=0) R10=fp0\n", "entry state");

	f = xbpf_cur_frame(st);
	xbpf_reg_mark_known(&f->regs[6], 7);
	/* fp-8: a spilled ctx pointer; Linux shows its type only. */
	s = &f->stack[XBPF_STACK_SLOTS - 1];
	xbpf_reg_mark_ptr(&s->spill, XBPF_PTR_TO_CTX, 0);
	memset(s->kind, XBPF_SLOT_SPILL, sizeof(s->kind));
	/* fp-16: a spilled constant. */
	s = &f->stack[XBPF_STACK_SLOTS - 2];
	xbpf_reg_mark_known(&s->spill, 42);
	memset(s->kind, XBPF_SLOT_SPILL, sizeof(s->kind));
	/* fp-24: a spilled unknown scalar: 6.1 prints nothing after '='. */
	s = &f->stack[XBPF_STACK_SLOTS - 3];
	xbpf_reg_mark_unknown(&s->spill);
	memset(s->kind, XBPF_SLOT_SPILL, sizeof(s->kind));
	/* fp-32: zero bytes at fp-32..fp-29, misc at fp-28..fp-25. */
	s = &f->stack[XBPF_STACK_SLOTS - 4];
	memset(s->kind, XBPF_SLOT_ZERO, 4);
	memset(s->kind + 4, XBPF_SLOT_MISC, 4);
	/* fp-48: only its top four bytes written (a u32 store at fp-44). */
	s = &f->stack[XBPF_STACK_SLOTS - 6];
	memset(s->kind + 4, XBPF_SLOT_MISC, 4);
	/* fp-40 stays invalid: not printed. */
	st->refs = &ref;
	st->nr_refs = 1;

	log_open();
	xbpf_log_frame(&env, st, 0, XBPF_LOG_ALL_REGS, XBPF_LOG_ALL_SLOTS);
	expect(" R1=ctx(off=0,imm=0) R6=7 R10=fp0 fp-8=ctx fp-16=42 fp-24= fp-32=mmmm0000"
	       " fp-48=mmmm???? refs=3\n", "registers, every slot kind, refs");

	log_open();
	/* fp-40 (spi 4) is asked for but never written: left out. */
	xbpf_log_frame(&env, st, 0, BIT(6) | BIT(10), BIT_ULL(1) | BIT_ULL(4) | BIT_ULL(5));
	expect(" R6=7 R10=fp0 fp-16=42 fp-48=mmmm???? refs=3\n",
	       "only the touched registers and slots");

	/* A callee's frame says which it is (frame 1 borrows frame 0 here). */
	st->frames[1] = f;
	log_open();
	xbpf_log_frame(&env, st, 1, BIT(10), 0);
	expect(" frame1: R10=fp0 refs=3\n", "frame prefix; no slots asked for: none printed");
	st->frames[1] = NULL;
	st->refs = NULL;
	st->nr_refs = 0;
	xbpf_state_free(st);
}

/* ---- whole logs ---- */

#define NFDS	4
static struct xbpf_map *fdtab[NFDS];

static struct xbpf_map *fake_map_from_fd(void *priv, int fd)
{
	if (fd < 0 || fd >= NFDS || !fdtab[fd])
		return NULL;
	xbpf_map_get(fdtab[fd]);
	return fdtab[fd];
}

static const struct xbpf_verifier_ops fake_ops = { .map_from_fd = fake_map_from_fd };

static int verify_log(const struct xbpf_insn *insns, u32 n, u32 level, char *out, u32 size)
{
	struct xbpf_load_params p = {
		.prog_type = XBPF_PROG_TYPE_SOCKET_FILTER,
		.insns = insns,
		.insn_cnt = n,
		.caps = { .allow_ptr_leaks = true, .bypass_spec_v1 = true, .bypass_spec_v4 = true,
			  .bpf_capable = true, .sys_admin = true },
		.log = &log,
		.ops = &fake_ops,
		.check = XBPF_CHECK_STRICT,
	};
	struct xbpf_prog *prog = NULL;
	int err;

	memset(out, 0, size);
	xbpf_log_init(&log, level, (u64)(uintptr_t)out, size);
	err = xbpf_verify(&p, &prog);
	xbpf_prog_put(prog);
	return err;
}

#define STATS(n)	"processed " #n " insns (limit 1000000) max_states_per_insn 0 " \
			"total_states 0 peak_states 0 mark_read 0\n"

/* The same with states recorded for pruning (prune.c). */
#define PRUNED_STATS(n, t, p) "processed " #n " insns (limit 1000000) max_states_per_insn 0 " \
			      "total_states " #t " peak_states " #p " mark_read 0\n"

/* The walk's part of a level-2 log: after the program dump, from "0: R1=". */
static const char *walk_part(const char *log_text)
{
	const char *w = strstr(log_text, "0: R1=");

	return w ? w : "";
}

static void expect_log(const char *got, const char *want, const char *what)
{
	bool ok = !strcmp(got, want);

	xt_report(ok, "%s", what);
	if (!ok)
		xt_diag("got:\n%s\nwant:\n%s", got, want);
}

static void test_straight(void)
{
	const struct xbpf_insn p[] = { MOV64_IMM(0, 5), EXIT() };
	int err;

	err = verify_log(p, ARRAY_SIZE(p), XBPF_LOG_LEVEL1, buf, sizeof(buf));
	xt_report(!err, "r0 = 5: accepted (%d)", err);
	expect_log(buf,
		   "0: R1=ctx(off=0,imm=0) R10=fp0\n"
		   "0: (b7) r0 = 5                        ; R0=5\n"
		   "1: (95) exit\n"
		   STATS(2),
		   "level 1: entry state, each insn, touched registers at column 38");

	/* Stats only: no trace, only the statistics. */
	err = verify_log(p, ARRAY_SIZE(p), XBPF_LOG_STATS, buf, sizeof(buf));
	xt_report(!err && !strstr(buf, "0: ") && strstr(buf, STATS(2)),
		  "stats-only log: no trace (%d)", err);
}

/*
 * Both arms of "if r0 > 5" are walked; the taken one fails.  Level 1
 * keeps only the failing path: the fall-through's insns are dropped and
 * the taken arm starts with its whole state.
 */
static const struct xbpf_insn branchy[] = {
	LDX(XBPF_W, 0, 1, 0),
	JMP_IMM(XBPF_JGT, 0, 5, 3),
	STX(XBPF_DW, 10, 1, -8),
	ALU64_IMM(XBPF_ADD, 0, -7),
	EXIT(),
	ALU64_IMM(XBPF_ADD, 0, -7),
	LDX(XBPF_DW, 3, 0, 0),
	EXIT(),
};

#define BR_0	"0: R1=ctx(off=0,imm=0) R10=fp0\n" \
		"0: (61) r0 = *(u32 *)(r1 +0)          ; " \
		"R0=scalar(umax=4294967295,var_off=(0x0; 0xffffffff)) R1=ctx(off=0,imm=0)\n"
#define BR_TAKEN_STATE	"R0=scalar(umin=6,umax=4294967295,var_off=(0x0; 0xffffffff)) " \
			"R1=ctx(off=0,imm=0) R10=fp0\n"
#define BR_TAKEN	"5: " BR_TAKEN_STATE \
			"5: (07) r0 += -7                      ; " \
			"R0=scalar(smin=-1,smax=4294967288)\n" \
			"6: (79) r3 = *(u64 *)(r0 +0)\n" \
			"R0 invalid mem access 'scalar'\n" \
			STATS(7)

static void test_branches(void)
{
	static char small[160];
	u64 full_len;
	int err;

	err = verify_log(branchy, ARRAY_SIZE(branchy), XBPF_LOG_LEVEL1, buf, sizeof(buf));
	xt_report(err == -EACCES, "branchy: rejected on the taken arm (%d)", err);
	expect_log(buf,
		   BR_0
		   "1: (25) if r0 > 0x5 goto pc+3\n"
		   BR_TAKEN,
		   "level 1: only the failing path, the message after its insn");

	err = verify_log(branchy, ARRAY_SIZE(branchy), XBPF_LOG_LEVEL2, buf, sizeof(buf));
	xt_report(err == -EACCES, "branchy level 2: rejected (%d)", err);
	expect_log(walk_part(buf),
		   BR_0
		   "1: (25) if r0 > 0x5 goto pc+3         ; R0=scalar(umax=5,var_off=(0x0; 0x7))\n"
		   "2: (7b) *(u64 *)(r10 -8) = r1         ; R1=ctx(off=0,imm=0) R10=fp0 fp-8=ctx\n"
		   "3: (07) r0 += -7                      ; R0=scalar(umin=18446744073709551609,"
		   "umax=18446744073709551614,var_off=(0xfffffffffffffff8; 0x7),"
		   "u32_min=-7,u32_max=-2)\n"
		   "4: (95) exit\n"
		   "\n"
		   "from 1 to 5: " BR_TAKEN_STATE
		   BR_TAKEN,
		   "level 2: every path, \"from 1 to 5\" and the state twice, as 6.1");

	/* A small buffer holds a prefix of the same log, and counts it all. */
	err = verify_log(branchy, ARRAY_SIZE(branchy), XBPF_LOG_LEVEL1, buf, sizeof(buf));
	full_len = log.true_len;
	err = verify_log(branchy, ARRAY_SIZE(branchy), XBPF_LOG_LEVEL1, small, sizeof(small));
	xt_report(err == -ENOSPC && strlen(small) == sizeof(small) - 1 &&
		  !strncmp(small, buf, sizeof(small) - 1) && log.true_len == full_len &&
		  full_len == strlen(buf),
		  "level 1, small buffer: -ENOSPC, a prefix, the same true_len (%d, %llu)",
		  err, (unsigned long long)full_len);
}

/*
 * A lookup, its null check and both arms; the null arm is the last path,
 * and it is pruned at the exit (the explored R0 includes 0), as on Linux.
 */
static void test_map_lookup(void)
{
	const struct xbpf_insn p[] = {
		ST(XBPF_DW, 10, -8, 0),
		MOV64_REG(2, 10),
		ALU64_IMM(XBPF_ADD, 2, -8),
		LD_MAP_FD(1, 1),
		CALL(XBPF_FUNC_map_lookup_elem),
		JMP_IMM(XBPF_JEQ, 0, 0, 1),
		LDX(XBPF_DW, 0, 0, 8),
		EXIT(),
	};
	const char *want =
		"0: R1=ctx(off=0,imm=0) R10=fp0\n"
		/* ST of 0: known-zero bytes, printed as Linux prints STACK_ZERO */
		"0: (7a) *(u64 *)(r10 -8) = 0          ; R10=fp0 fp-8=00000000\n"
		"1: (bf) r2 = r10                      ; R2=fp0 R10=fp0\n"
		"2: (07) r2 += -8                      ; R2=fp-8\n";
	int err;

	err = verify_log(p, ARRAY_SIZE(p), XBPF_LOG_LEVEL2, buf, sizeof(buf));
	xt_report(!err, "lookup: accepted (%d)", err);
	xt_report(!strncmp(walk_part(buf), want, strlen(want)),
		  "lookup level 2: zeroed stack bytes, fp pointers");
	/* The map load's disassembly is disasm.c's business: only its state here. */
	xt_report(strstr(buf, "; R1=map_ptr(off=0,ks=8,vs=16,imm=0)\n") &&
		  strstr(buf, "5: (85) call bpf_map_lookup_elem#1    ; "
			 "R0=map_value_or_null(id=1,off=0,ks=8,vs=16,imm=0)\n") &&
		  strstr(buf, "6: (15) if r0 == 0x0 goto pc+1        ; "
			 "R0=map_value(off=0,ks=8,vs=16,imm=0)\n") &&
		  strstr(buf, "7: (79) r0 = *(u64 *)(r0 +8)          ; R0=scalar()\n"
			 "8: (95) exit\n") &&
		  strstr(buf, "8: (95) exit\n\nfrom 6 to 8: safe\n" PRUNED_STATS(9, 1, 1)),
		  "lookup level 2: map_ptr, map_value_or_null, checked, the null arm");


	/* Level 1: the null arm is the last path; the other one is dropped. */
	err = verify_log(p, ARRAY_SIZE(p), XBPF_LOG_LEVEL1, buf, sizeof(buf));
	xt_report(!err && !strstr(buf, "7: (79)") &&
		  strstr(buf, "6: (15) if r0 == 0x0 goto pc+1\n\nfrom 6 to 8: safe\n"
			 PRUNED_STATS(9, 1, 1)),
		  "lookup level 1: the explored arm's log dropped (%d)", err);

}

/* Level 1 trace of a straight program grows with it: -ENOSPC when it can't fit. */
static void test_enospc(void)
{
	static struct xbpf_insn p[300];
	static char small[256];
	u32 i;
	int err;

	for (i = 0; i < 299; i++)
		p[i] = MOV64_IMM(0, i);
	p[299] = EXIT();
	err = verify_log(p, 300, XBPF_LOG_LEVEL1, small, sizeof(small));
	xt_report(err == -ENOSPC && strlen(small) == sizeof(small) - 1,
		  "level 1: 300 traced insns overflow 256 bytes: -ENOSPC (%d)", err);
	err = verify_log(p, 300, XBPF_LOG_LEVEL1, buf, sizeof(buf));
	xt_report(!err && strstr(buf, "298: (b7) r0 = 298                    ; R0=298\n") &&
		  log.true_len == strlen(buf), "level 1: the same program fits 64 KiB (%d)", err);
}

int main(void)
{
	struct xbpf_map_params hp = {
		.map_type = XBPF_MAP_TYPE_HASH, .key_size = 8, .value_size = 16, .max_entries = 4,
	};
	int err;

	fdtab[1] = xbpf_map_create(&hp, &err);
	test_scalars();
	test_pointers();
	test_frame();
	test_straight();
	test_branches();
	test_map_lookup();
	test_enospc();
	if (fdtab[1])
		xbpf_map_put(fdtab[1]);
	return xt_finish();
}
