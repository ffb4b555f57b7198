/*
** fuzz.c: the coverage-guided fuzzer of the owned runtime (make fuzz, docs/testing.md).
**
** libFuzzer's input is decoded into an operation sequence (5 bytes an operation, ops.def);
** the model predicts it, the interpreter runs it in this process on the owned runtime
** (built with clang, AddressSanitizer and UBSan), and any disagreement aborts, so libFuzzer
** keeps the input as a crash. AddressSanitizer meanwhile watches the runtime's memory.
**
** In process, a violation must not end the process: the link wraps _Exit (-Wl,--wrap=_Exit),
** and the wrapper jumps back here while a sequence runs. The runtime is then stopped with
** hl_shutdown, which frees everything it holds, whatever state the violation left. Its
** diagnostics are read from stderr, which points at a memory stream meanwhile. The runtime's
** stack-overflow handler (runtimes/shared_signals.c) is left out of this build: libFuzzer and
** AddressSanitizer handle faults.
*/
#define _GNU_SOURCE
#include "model.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_OPS 512

void hl__signals_install(void);
void hl__signals_install(void) {}

static jmp_buf       back;
static volatile int  armed, exit_status;

void __real__Exit(int status) __attribute__((noreturn));
void __wrap__Exit(int status) __attribute__((noreturn));
void __wrap__Exit(int status) {
    if (armed) {
        armed = 0;
        exit_status = status;
        longjmp(back, 1);
    }
    __real__Exit(status);
}

size_t hl_shutdown(void);

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc, (void)argv;
    hlm_max_list = 2000;   /* keep each input fast: long lists are the model suite's */
    hlm_max_many = 40000;  /* AddressSanitizer's frames are large */
    char why[256];
    if (!hlm_sites_check(why, sizeof why)) {
        fprintf(stderr, "hlm-fuzz: interp.c's call-site table: %s\n", why);
        abort();
    }
    return 0;
}

static char captured[1 << 16];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static hlm_op ops[MAX_OPS];
    size_t n = hlm_decode(data, size, ops, MAX_OPS);
    hlm_pred p;
    hlm_predict(ops, n, &p);
    hlm_prog prog = {ops, n, p.script, p.nscript};

    static volatile int progress;
    static hlm_result r;
    FILE *cap = fmemopen(captured, sizeof captured - 1, "w");
    if (!cap) abort();
    FILE *saved = stderr;
    stderr = cap;
    volatile bool stopped = false;
    armed = 1;
    if (setjmp(back) == 0) {
        hlm_interp_run(&prog, &progress, &r);
        armed = 0;
    } else {
        stopped = true;
        hl_shutdown();   /* back to a stopped runtime, whatever the violation left */
    }
    fflush(cap);
    long len = ftell(cap);
    captured[len > 0 && (size_t)len < sizeof captured ? (size_t)len : 0] = '\0';
    stderr = saved;
    fclose(cap);

    hlm_actual a = {.exited = true, .code = stopped ? exit_status : 0, .progress = progress};
    hlm_parse(NULL, captured, &a);
    if (!stopped) {
        a.have_result = true;
        a.obs = r.obs;
        a.leaks = r.leaks;
        a.script_ok = r.script_ok;
    }
    char why[512];
    if (!hlm_agrees(&p, &a, "owned", why, sizeof why)) {
        fprintf(stderr, "hlm-fuzz: the owned runtime disagrees with the model: %s\n", why);
        hlm_print(stderr, ops, n, &p);
        fprintf(stderr, "hlm-fuzz: its stderr:\n%s\n", captured);
        abort();
    }
    hlm_pred_free(&p);
    return 0;
}
