/*
 * Preloaded into 32-bit Wine when it runs under qemu-user (see runtime-locator.ts).
 *
 * qemu writes trapno = -1 into i386 signal frames. Wine's i386 signal handlers decide the
 * exception from the trap number, so every access violation became STATUS_ILLEGAL_INSTRUCTION
 * with no address (and __fastfail as an access violation, below). This library wraps the handlers Wine installs for the fault signals and
 * fills in the trap number the kernel would have given, from the signal and its si_code.
 * Built for i386 (does the work) and x86-64 (a no-op, so the same LD_PRELOAD with a literal
 * $LIB in the path is harmless in Wine's 64-bit processes).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>
#include <stddef.h>
#include <ucontext.h>

#if defined(__i386__)

typedef void (*info_handler)(int, siginfo_t *, void *);
typedef int (*sigaction_fn)(int, const struct sigaction *, struct sigaction *);

/* The kernel's x86 trap numbers, as Wine names them (TRAP_x86_*). */
enum { X86_DIVIDE = 0, X86_SINGLE_STEP = 1, X86_BREAKPOINT = 3, X86_OVERFLOW = 4, X86_INVALID_OPCODE = 6,
       X86_PROTECTION = 13, X86_PAGE_FAULT = 14, X86_FPU_ERROR = 16, X86_ALIGNMENT = 17 };

static info_handler wrapped[NSIG];

static int is_fault_signal(int sig) {
  return sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE || sig == SIGTRAP;
}

static int trap_number(int sig, const siginfo_t *info) {
  switch (sig) {
  case SIGSEGV:
    return info->si_code == SEGV_MAPERR || info->si_code == SEGV_ACCERR ? X86_PAGE_FAULT : X86_PROTECTION;
  case SIGBUS:
    return info->si_code == BUS_ADRALN ? X86_ALIGNMENT : X86_PAGE_FAULT;
  case SIGILL:
    return X86_INVALID_OPCODE;
  case SIGFPE:
    if (info->si_code == FPE_INTDIV) return X86_DIVIDE;
    if (info->si_code == FPE_INTOVF) return X86_OVERFLOW;
    return X86_FPU_ERROR;
  case SIGTRAP:
    return info->si_code == TRAP_TRACE ? X86_SINGLE_STEP : X86_BREAKPOINT;
  default:
    return -1;
  }
}

/*
 * `int N` without a gate (int 0x29 is __fastfail, int 0x2d a debug service) is a protection fault
 * whose error code names the vector: N * 8 + 2. qemu gives N * 16 + 2 (a 64-bit IDT's entry size),
 * so Wine took __fastfail for an access violation. Rewrite it from the instruction itself.
 */
static void fill_interrupt_error(int sig, const siginfo_t *info, ucontext_t *uc) {
  if (sig != SIGSEGV || info->si_code != SI_KERNEL) return;
  const unsigned char *ip = (const unsigned char *)uc->uc_mcontext.gregs[REG_EIP];
  if (ip && ip[0] == 0xcd) uc->uc_mcontext.gregs[REG_ERR] = ((greg_t)ip[1] << 3) | 2;
}

static void fill_trap_number(int sig, siginfo_t *info, void *context) {
  ucontext_t *uc = context;
  if (uc && (int)uc->uc_mcontext.gregs[REG_TRAPNO] == -1) {
    uc->uc_mcontext.gregs[REG_TRAPNO] = trap_number(sig, info);
    fill_interrupt_error(sig, info, uc);
  }
  info_handler handler = wrapped[sig];
  if (handler) {
    handler(sig, info, context);
    return;
  }
  /* No handler left to call (it was replaced meanwhile): let the fault end the process as it would have. */
  signal(sig, SIG_DFL);
}

static sigaction_fn real_sigaction(void) {
  static sigaction_fn real;
  if (!real) real = (sigaction_fn)dlsym(RTLD_NEXT, "sigaction");
  return real;
}

/* Only real SA_SIGINFO handlers are wrapped: SIG_DFL and SIG_IGN pass through untouched. */
static int wants_wrapping(const struct sigaction *act) {
  if (!act || !(act->sa_flags & SA_SIGINFO)) return 0;
  void *handler = (void *)act->sa_sigaction;
  return handler != (void *)SIG_DFL && handler != (void *)SIG_IGN && act->sa_sigaction != fill_trap_number;
}

int sigaction(int sig, const struct sigaction *act, struct sigaction *old) {
  sigaction_fn real = real_sigaction();
  if (sig <= 0 || sig >= NSIG || !is_fault_signal(sig)) return real(sig, act, old);
  info_handler previous = wrapped[sig];
  /* Read before calling: act and old may be the same structure. */
  int wrap = wants_wrapping(act);
  int keep = act && (act->sa_flags & SA_SIGINFO) && act->sa_sigaction == fill_trap_number;
  info_handler requested = wrap ? act->sa_sigaction : NULL;
  struct sigaction replaced;
  if (wrap) {
    replaced = *act;
    replaced.sa_sigaction = fill_trap_number;
  }
  int result = real(sig, wrap ? &replaced : act, old);
  if (result != 0) return result;
  if (old && (old->sa_flags & SA_SIGINFO) && old->sa_sigaction == fill_trap_number) old->sa_sigaction = previous;
  if (act && !keep) wrapped[sig] = requested;
  return result;
}

#endif
