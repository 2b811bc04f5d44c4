/* cyclebus-preset PROGRAM --label NAME [--set SYMBOL=VALUE ...] -o DIR:
   writes a standalone LV2 preset bundle (manifest.ttl and one NAME.ttl) with
   serd, holding the port values and the program in its state, so a preset
   can be shared by copying one folder. Run it again with the same DIR to add
   more presets to the bundle. The program is checked before anything is
   written: a bad one exits non-zero with FILE:LINE:COL: message. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <serd/serd.h>

#include "../plugin/lv2/ports.h"
#include "../plugin/program/program.h"
#include "host/cli.h"
#include "host/text_file.h"

#define NS_LV2 "http://lv2plug.in/ns/lv2core#"
#define NS_PSET "http://lv2plug.in/ns/ext/presets#"
#define NS_RDF "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define NS_RDFS "http://www.w3.org/2000/01/rdf-schema#"
#define NS_STATE "http://lv2plug.in/ns/ext/state#"
#define NS_XSD "http://www.w3.org/2001/XMLSchema#"

typedef struct {
  SerdWriter *writer;
  SerdEnv *env;
  FILE *file;
} turtle_out;

static SerdNode uri(const char *text) {
  return serd_node_from_string(SERD_URI, (const uint8_t *)text);
}
static SerdNode literal(const char *text) {
  return serd_node_from_string(SERD_LITERAL, (const uint8_t *)text);
}

static bool open_turtle(turtle_out *out, const char *path, const char *base, const char *mode) {
  out->file = fopen(path, mode);
  if (!out->file)
    return false;
  SerdURI base_uri;
  SerdNode base_node = serd_node_new_uri_from_string((const uint8_t *)base, NULL, &base_uri);
  out->env = serd_env_new(&base_node);
  /* Not SERD_STYLE_RESOLVED: the preset's URIs stay relative, so the bundle
     can be copied anywhere. */
  out->writer = serd_writer_new(SERD_TURTLE, SERD_STYLE_ABBREVIATED | SERD_STYLE_CURIED, out->env,
                                &base_uri, serd_file_sink, out->file);
  const char *prefixes[][2] = {{"lv2", NS_LV2},        {"pset", NS_PSET},   {"rdf", NS_RDF},
                               {"rdfs", NS_RDFS},      {"state", NS_STATE}, {"xsd", NS_XSD},
                               {"cb", "urn:cyclebus:"}};
  for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; ++i) {
    SerdNode name = serd_node_from_string(SERD_LITERAL, (const uint8_t *)prefixes[i][0]);
    SerdNode ns = uri(prefixes[i][1]);
    serd_env_set_prefix(out->env, &name, &ns);
    serd_writer_set_prefix(out->writer, &name, &ns);
  }
  serd_node_free(&base_node);
  return true;
}

static bool close_turtle(turtle_out *out) {
  serd_writer_finish(out->writer);
  serd_writer_free(out->writer);
  serd_env_free(out->env);
  return fclose(out->file) == 0;
}

static void triple(turtle_out *out, SerdStatementFlags flags, const SerdNode *s, const char *p,
                   const SerdNode *o, const SerdNode *datatype) {
  SerdNode predicate = uri(p);
  serd_writer_write_statement(out->writer, flags, NULL, s, &predicate, o, datatype, NULL);
}

/* <NAME.ttl> a pset:Preset ; lv2:appliesTo cyclebus, stems ; rdfs:label ...
   Both plugins of the bundle take the same ports and state, so a preset
   applies to the multi-out one too. */
static void write_header(turtle_out *out, const SerdNode *preset, const char *label) {
  SerdNode preset_class = uri(NS_PSET "Preset"), plugin = uri("urn:cyclebus:cyclebus");
  SerdNode stems = uri("urn:cyclebus:stems"), name = literal(label);
  triple(out, 0, preset, NS_RDF "type", &preset_class, NULL);
  triple(out, 0, preset, NS_LV2 "appliesTo", &plugin, NULL);
  triple(out, 0, preset, NS_LV2 "appliesTo", &stems, NULL);
  triple(out, 0, preset, NS_RDFS "label", &name, NULL);
}

static bool write_preset(const char *path, const char *base, const char *file_name,
                         const char *label, const float *values, const char *program) {
  turtle_out out;
  if (!open_turtle(&out, path, base, "w"))
    return false;
  SerdNode preset = uri(file_name);
  write_header(&out, &preset, label);
  SerdNode decimal = uri(NS_XSD "decimal");
  for (size_t i = 0; i < CB_CONTROL_PORT_COUNT; ++i) {
    char blank_id[32];
    snprintf(blank_id, sizeof blank_id, "port%zu", i);
    SerdNode port = serd_node_from_string(SERD_BLANK, (const uint8_t *)blank_id);
    triple(&out, SERD_ANON_O_BEGIN, &preset, NS_LV2 "port", &port, NULL);
    SerdNode symbol = literal(cb_control_ports[i].symbol);
    triple(&out, SERD_ANON_CONT, &port, NS_LV2 "symbol", &symbol, NULL);
    SerdNode value = serd_node_new_decimal(values[i], 6);
    triple(&out, SERD_ANON_CONT, &port, NS_PSET "value", &value, &decimal);
    serd_node_free(&value);
    serd_writer_end_anon(out.writer, &port);
  }
  SerdNode state = serd_node_from_string(SERD_BLANK, (const uint8_t *)"state");
  triple(&out, SERD_ANON_O_BEGIN, &preset, NS_STATE "state", &state, NULL);
  SerdNode text = literal(program);
  /* Untyped: lilv reads it as atom:String; ^^xsd:string would be an atom:Literal. */
  triple(&out, SERD_ANON_CONT, &state, "urn:cyclebus:program", &text, NULL);
  serd_writer_end_anon(out.writer, &state);
  return close_turtle(&out);
}

/* Adds the preset to DIR/manifest.ttl (created with its prefixes if new). */
static bool add_to_manifest(const char *dir, const char *base, const char *file_name,
                            const char *label) {
  char path[4096];
  snprintf(path, sizeof path, "%s/manifest.ttl", dir);
  turtle_out out;
  if (!open_turtle(&out, path, base, "a"))
    return false;
  SerdNode preset = uri(file_name);
  write_header(&out, &preset, label);
  triple(&out, 0, &preset, NS_RDFS "seeAlso", &preset, NULL);
  return close_turtle(&out);
}

/* "Acid Bass" -> "acid-bass.ttl" */
static void file_name_for(const char *label, char *out, size_t size) {
  size_t n = 0;
  for (const char *c = label; *c && n + 5 < size; ++c) {
    if (isalnum((unsigned char)*c))
      out[n++] = (char)tolower((unsigned char)*c);
    else if (n > 0 && out[n - 1] != '-')
      out[n++] = '-';
  }
  while (n > 0 && out[n - 1] == '-')
    n--;
  if (n == 0)
    out[n++] = 'p';
  snprintf(out + n, size - n, ".ttl");
}

static void usage(FILE *to) {
  fprintf(to, "usage: cyclebus-preset PROGRAM --label NAME [--set SYMBOL=VALUE]... -o DIR\n"
              "writes (or adds to) the LV2 preset bundle DIR: the program and the control\n"
              "ports' values (their defaults unless --set) as the preset NAME\n");
}

int main(int argc, char **argv) {
  const char *program_path = NULL, *label = NULL, *dir = NULL;
  float values[CB_CONTROL_PORT_COUNT];
  for (size_t i = 0; i < CB_CONTROL_PORT_COUNT; ++i)
    values[i] = cb_control_ports[i].fallback;
  for (int i = 1; i < argc; ++i) {
    const char *next = i + 1 < argc ? argv[i + 1] : NULL;
    if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
      usage(stdout);
      return 0;
    } else if (!strcmp(argv[i], "--label") && next)
      label = argv[++i];
    else if (!strcmp(argv[i], "-o") && next)
      dir = argv[++i];
    else if (!strcmp(argv[i], "--set") && next) {
      float value;
      int port = cb_cli_control("cyclebus-preset", argv[++i], &value);
      if (port < 0)
        return 2;
      values[port] = value;
    } else if (argv[i][0] != '-' && !program_path)
      program_path = argv[i];
    else {
      fprintf(stderr, "cyclebus-preset: unknown or incomplete option '%s'\n", argv[i]);
      fprintf(stderr, "cyclebus-preset --help shows the usage\n");
      return 2;
    }
  }
  if (!program_path || !label || !dir) {
    fprintf(stderr, "cyclebus-preset: %s\n",
            !program_path ? "no PROGRAM"
            : !label      ? "no --label NAME"
                          : "no -o DIR");
    fprintf(stderr, "cyclebus-preset --help shows the usage\n");
    return 2;
  }
  char *program = cb_read_text_file(program_path);
  if (!program) {
    fprintf(stderr, "%s: %s\n", program_path, strerror(errno));
    return 1;
  }
  prog_error error;
  prog_program *compiled = prog_compile(program, strlen(program), &error);
  if (!compiled) {
    fprintf(stderr, "%s:%d:%d: %s\n", program_path, error.line, error.column, error.message);
    return 1;
  }
  prog_free(compiled);
  if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
    fprintf(stderr, "%s: %s\n", dir, strerror(errno));
    return 1;
  }
  char *absolute = realpath(dir, NULL), base[4200], file_name[256], path[4400];
  snprintf(base, sizeof base, "file://%s/", absolute);
  file_name_for(label, file_name, sizeof file_name);
  snprintf(path, sizeof path, "%s/%s", dir, file_name);
  bool ok = write_preset(path, base, file_name, label, values, program) &&
            add_to_manifest(dir, base, file_name, label);
  if (!ok)
    fprintf(stderr, "cyclebus-preset: cannot write into %s\n", dir);
  else
    printf("wrote %s and %s/manifest.ttl\n", path, dir);
  free(absolute);
  free(program);
  return ok ? 0 : 1;
}
