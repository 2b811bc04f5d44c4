/* Command-line values for the tools and benchmarks (see cli.h). */
#include "cli.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "a whole number from 1 to 8192", "a number greater than 0 and at most
   100000", ... */
static void describe(const cb_cli_range *range, char *out, size_t size) {
  char min[32], max[32];
  const char *format = range->whole ? "%.0f" : "%g";
  snprintf(min, sizeof min, format, range->min);
  snprintf(max, sizeof max, format, range->max);
  const char *kind = range->whole ? "a whole number" : "a number";
  if (!range->min_excluded && !range->max_excluded)
    snprintf(out, size, "%s from %s to %s", kind, min, max);
  else
    snprintf(out, size, "%s %s %s and %s %s", kind,
             range->min_excluded ? "greater than" : "at least", min,
             range->max_excluded ? "less than" : "at most", max);
}

static bool in_range(const cb_cli_range *range, double value) {
  if (range->whole && value != floor(value))
    return false;
  if (range->min_excluded ? value <= range->min : value < range->min)
    return false;
  return range->max_excluded ? value < range->max : value <= range->max;
}

/* A finite number written whole in `text` (strtod's syntax). */
static bool parse_finite(const char *text, double *value) {
  char *end = NULL;
  errno = 0;
  *value = text ? strtod(text, &end) : NAN;
  return text && end != text && *end == '\0' && errno != ERANGE && isfinite(*value);
}

static void complain(const char *tool, const char *option, const char *text,
                     const cb_cli_range *range) {
  char accepted[128];
  describe(range, accepted, sizeof accepted);
  if (text)
    fprintf(stderr, "%s: %s takes %s, not '%s'\n", tool, option, accepted, text);
  else
    fprintf(stderr, "%s: %s needs a value: %s\n", tool, option, accepted);
}

bool cb_cli_number(const char *tool, const char *option, const char *text, cb_cli_range range,
                   double *value) {
  double parsed;
  if (parse_finite(text, &parsed) && in_range(&range, parsed)) {
    *value = parsed;
    return true;
  }
  complain(tool, option, text, &range);
  return false;
}

int cb_cli_control(const char *tool, const char *assignment, float *value) {
  const char *equals = strchr(assignment, '=');
  size_t length = equals ? (size_t)(equals - assignment) : strlen(assignment);
  for (size_t i = 0; equals && i < CB_CONTROL_PORT_COUNT; ++i) {
    const cb_control_port *port = &cb_control_ports[i];
    if (strlen(port->symbol) != length || strncmp(port->symbol, assignment, length) != 0)
      continue;
    char option[96];
    snprintf(option, sizeof option, "--set %s", port->symbol);
    double parsed;
    /* Compared as the port's float: "0.0005" is attack's minimum 0.0005f. */
    if (!parse_finite(equals + 1, &parsed) || (float)parsed < port->minimum ||
        (float)parsed > port->maximum) {
      cb_cli_range range = {port->minimum, port->maximum, false, false, false};
      complain(tool, option, equals + 1, &range);
      return -1;
    }
    *value = (float)parsed;
    return (int)i;
  }
  fprintf(stderr, "%s: --set takes SYMBOL=VALUE of a control port, not '%s'; the ports:", tool,
          assignment);
  for (size_t i = 0; i < CB_CONTROL_PORT_COUNT; ++i)
    fprintf(stderr, " %s", cb_control_ports[i].symbol);
  fputc('\n', stderr);
  return -1;
}

int cb_cli_take_number(const char *tool, const cb_cli_number_option *options, size_t count,
                       int argc, char **argv, int *i) {
  for (size_t k = 0; k < count; ++k) {
    if (strcmp(argv[*i], options[k].name) != 0)
      continue;
    const char *text = *i + 1 < argc ? argv[*i + 1] : NULL;
    if (!cb_cli_number(tool, argv[*i], text, options[k].range, options[k].value))
      return -1;
    ++*i;
    return 1;
  }
  return 0;
}
