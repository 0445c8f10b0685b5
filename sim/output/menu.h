/* menu.h: what a menu's customers chose (wtp.plan_choice: menu): the plan
 * mix over time, each plan's choosers (their mean usage and cost per
 * customer, where adverse selection shows) and the arrivals who chose no
 * plan, for the terminal, menu.csv, summary.json and the report. Every
 * function does nothing (or returns NULL) unless sm->declined is set. */
#ifndef TS_MENU_H
#define TS_MENU_H

#include <stdio.h>

#include <cjson/cJSON.h>
#include "sim/engine/stats.h"
#include "sim/scenario/scenario.h"

/* The choosers' table and the no-plan line, with a warning when no arrival
 * chose any plan. */
void menu_print(FILE *out, const scenario *s, const summary *sm);

/* menu.csv: month, plan (or "(no plan)"), customers (mean, se, p5, p50,
 * p95) and the plan's share of the month's customers in percent. Caller
 * frees; NULL when out of memory or without a menu. */
char *menu_csv(const scenario *s, const summary *sm, size_t *len);

/* Adds the "menu" object to summary.json's root. */
void menu_json(cJSON *root, const scenario *s, const summary *sm);

/* The report's section on the menu (doc.h), with the plan-mix plot when
 * `plots`. */
struct doc;
void menu_doc(struct doc *d, const scenario *s, const summary *sm, bool plots);

/* Whether no arrival chose any plan over the whole run (every figure is
 * then of zero customers). */
bool menu_empty(const summary *sm);

#endif
