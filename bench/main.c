/*
** bench/main.c: the heaplab driver's entry point (the logic lives in the library of
** the bench library, shared with the tests; see commands.h).
*/
#include "commands/commands.h"

int main(int argc, char **argv) { return hlb_main(argc, argv); }
