/*
** bench/commands/commands.h: the heaplab commands. hlb_main dispatches argv[1] to a command; each
** command gets argv from its own name on (argv[0] = "list", "run", ...) and returns the exit
** status: 0 done, 1 failed (a run failed, a file could not be written), 2 bad arguments (one
** line on stderr), 130 interrupted.
*/
#ifndef HLB_COMMANDS_H
#define HLB_COMMANDS_H

#include "discover/catalog.h"

int hlb_main(int argc, char **argv);
int hlb_cmd_list(hlb_catalog *c, int argc, char **argv);
int hlb_cmd_run(hlb_catalog *c, int argc, char **argv);
int hlb_cmd_bench(hlb_catalog *c, int argc, char **argv);

#endif
