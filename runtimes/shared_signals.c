/*
** shared_signals.c: turn a stack overflow into a diagnostic instead of a bare SIGSEGV,
** on every runtime (Rust prints "thread 'main' has overflowed its stack").
**
** hl_init installs a SIGSEGV/SIGBUS handler that runs on an alternate signal stack (the
** normal one is exhausted when the stack overflows). A fault whose address lies within the
** guard distance below the stack pointer at the time of the fault, or on the stack mapping's
** guard page, is reported as "heaplab: error: stack overflow" with exit status 101; any other
** fault is re-raised with the default action, so crashes stay crashes.
*/
#define _GNU_SOURCE
#include "runtime.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <ucontext.h>
#include <unistd.h>

/* How far below the stack pointer a faulting access still counts as stack growth. */
#define STACK_GUARD_SLACK (256 * 1024)

static char *stack_top;      /* the highest address of the main thread's stack (approx.) */
static size_t stack_limit;   /* RLIMIT_STACK at start-up */

static void write_str(const char *s) {
    ssize_t r = write(STDERR_FILENO, s, strlen(s));
    (void)r;
}

static bool is_stack_overflow(const siginfo_t *si, const ucontext_t *uc) {
    char *addr = si->si_addr;
#if defined(__x86_64__)
    char *sp = (char *)uc->uc_mcontext.gregs[REG_RSP];
    if (addr <= sp + 64 && addr + STACK_GUARD_SLACK >= sp) return true;
#else
    (void)uc;
#endif
    /* Or: the address is just beyond the stack's maximum extent. */
    return stack_top && stack_limit != (size_t)RLIM_INFINITY && addr < stack_top &&
           addr + STACK_GUARD_SLACK >= stack_top - stack_limit;
}

static void on_fault(int sig, siginfo_t *si, void *ctx) {
    if (is_stack_overflow(si, ctx)) {
        write_str("heaplab: error: stack overflow\n");
        write_str("   = note: the stack is exhausted: unbounded recursion, or a frame too large for it\n");
        _exit(HL_EXIT_PANIC);
    }
    signal(sig, SIG_DFL);   /* not ours: crash as if we were not here */
    raise(sig);
}

void hl__signals_install(void) {
    static bool installed;
    if (installed) return;
    installed = true;
    int probe;
    stack_top = (char *)&probe;
    struct rlimit rl;
    stack_limit = getrlimit(RLIMIT_STACK, &rl) == 0 ? (size_t)rl.rlim_cur : 0;

    /* From the heap, not static data: Boehm scans static data at every collection. Never
    ** freed: the handler may run until the process ends; the static pointer keeps it
    ** reachable for leak checkers. */
    enum { ALTSTACK_SIZE = 64 * 1024 };
    static void *altstack;
    altstack = malloc(ALTSTACK_SIZE);
    if (!altstack) return;
    stack_t ss = {.ss_sp = altstack, .ss_size = ALTSTACK_SIZE, .ss_flags = 0};
    if (sigaltstack(&ss, NULL) != 0) {
        free(altstack);
        return;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
}
