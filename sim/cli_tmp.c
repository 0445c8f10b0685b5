#include "cli.h"


int cmd_quota(cli *c) { (void)c; return 2; }
int cmd_optimize(cli *c) { (void)c; return 2; }
