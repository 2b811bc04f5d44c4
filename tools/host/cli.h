/* Command-line values for the tools and benchmarks: a number that does not
   parse whole or lies outside its range is an error that names the option and
   the range, never a silent default. */
#ifndef CYCLEBUS_CLI_H
#define CYCLEBUS_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "../../plugin/lv2/ports.h"

/* The values an option accepts: min..max, either end excluded on request,
   whole numbers only when `whole`. */
typedef struct {
  double min, max;
  bool min_excluded, max_excluded, whole;
} cb_cli_range;

/* Parses `text`, given to `option` of `tool`, into *value. On failure prints
   "TOOL: OPTION takes a number from MIN to MAX, not 'TEXT'" on stderr and
   returns false. */
bool cb_cli_number(const char *tool, const char *option, const char *text, cb_cli_range range,
                   double *value);

/* A numeric option: its name, what it accepts and where its value goes. */
typedef struct {
  const char *name;
  cb_cli_range range;
  double *value;
} cb_cli_number_option;

/* If argv[*i] names one of the `count` options, parses the argument after it
   (cb_cli_number) and steps *i past it. Returns 1 when it took the option, 0
   when argv[*i] is no numeric option, -1 on a bad value (already printed). */
int cb_cli_take_number(const char *tool, const cb_cli_number_option *options, size_t count,
                       int argc, char **argv, int *i);

/* Parses --set's SYMBOL=VALUE: a control port and a value within its range.
   Returns the port's index in cb_control_ports (an index: each file has its
   own copy of that static table); on failure prints why (naming the ports or
   the range) and returns -1. */
int cb_cli_control(const char *tool, const char *assignment, float *value);

#endif
