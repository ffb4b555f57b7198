/*
** bench/commands/safety.h: `heaplab safety`, the safety matrix (issue 5).
**
** Runs every fault program (build/<runtime>/faults/<fault>) on every runtime column:
** manual, gc, owned, manual under AddressSanitizer + UBSan (build/asan/faults/<fault>) and
** manual under valgrind memcheck (when valgrind is installed), classifies each cell
** (bench/classify.h) and prints a Markdown matrix with a one-line legend; JSON on request.
**
** argv[0] is the command's name ("safety" when the driver dispatches, the program's path in
** the standalone build/heaplab-safety); options start at argv[1]. Returns the exit status:
** 0 when the matrix was produced, 1 when nothing could be run, 2 on bad arguments.
*/
#ifndef HL_SAFETY_H
#define HL_SAFETY_H

int hl_safety_main(int argc, char **argv);

#endif
