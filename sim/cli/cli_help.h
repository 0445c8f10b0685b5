/* cli_help.h: help texts of the commands defined outside main.c. */
#ifndef TS_CLI_HELP_H
#define TS_CLI_HELP_H

extern const char sweep_help[], stress_help[], tornado_help[], solve_help[], quota_help[], optimize_help[], sampling_help[],
    fit_help[], generate_logs_help[], replay_help[], catalog_help[];

#endif
