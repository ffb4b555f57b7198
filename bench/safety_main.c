/*
** bench/safety_main.c: the standalone build/heaplab-safety, for when the heaplab driver is
** not built. Only with -DHL_SAFETY_STANDALONE (so that a build that compiles every bench source
** into the driver does not get a second main).
*/
#ifdef HL_SAFETY_STANDALONE
#include "safety.h"

int main(int argc, char **argv) { return hl_safety_main(argc, argv); }
#else
typedef int hl_safety_main_unused;   /* ISO C wants a non-empty translation unit */
#endif
