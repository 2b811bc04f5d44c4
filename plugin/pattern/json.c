/* The Strudel oracle's JSON lines (query.mjs): events with onsets, sorted by
   onset, end and value, times as "n/d" strings, values as JSON.stringify
   writes them. Used by tools/cyclebus-events and the conformance test. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pattern/pat_internal.h"

typedef struct {
  char *buf;
  size_t size;
  size_t length; /* total, may exceed size */
} out_buf;

static void put(out_buf *o, const char *s, size_t n) {
  for (size_t i = 0; i < n; i++, o->length++)
    if (o->size && o->length < o->size - 1)
      o->buf[o->length] = s[i];
}

static void puts_(out_buf *o, const char *s) { put(o, s, strlen(s)); }

static void put_string(out_buf *o, const char *s) {
  put(o, "\"", 1);
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    char esc[8];
    switch (c) {
    case '"':
      puts_(o, "\\\"");
      break;
    case '\\':
      puts_(o, "\\\\");
      break;
    case '\b':
      puts_(o, "\\b");
      break;
    case '\f':
      puts_(o, "\\f");
      break;
    case '\n':
      puts_(o, "\\n");
      break;
    case '\r':
      puts_(o, "\\r");
      break;
    case '\t':
      puts_(o, "\\t");
      break;
    default:
      if (c < 0x20) {
        snprintf(esc, sizeof esc, "\\u%04x", c);
        puts_(o, esc);
      } else {
        put(o, (const char *)&c, 1);
      }
    }
  }
  put(o, "\"", 1);
}

static void put_number(out_buf *o, double x) {
  char num[40];
  if (x != x || x - x != 0) { /* NaN and infinities are null in JSON */
    puts_(o, "null");
    return;
  }
  pat_js_format_number(x, num, sizeof num);
  puts_(o, num);
}

static void put_value(out_buf *o, const pat_value *v) {
  switch (v->kind) {
  case PAT_VALUE_STRING:
    put_string(o, v->str ? v->str : "");
    break;
  case PAT_VALUE_NUMBER:
    put_number(o, v->number);
    break;
  case PAT_VALUE_SAMPLE:
    put(o, "[", 1);
    put_string(o, v->str ? v->str : "");
    put(o, ",", 1);
    put_number(o, v->number);
    put(o, "]", 1);
    break;
  case PAT_VALUE_LIST:
    put(o, "[", 1);
    for (size_t i = 0; i < v->count; i++) {
      if (i)
        put(o, ",", 1);
      put_value(o, &v->items[i]);
    }
    put(o, "]", 1);
    break;
  case PAT_VALUE_CONTROLS: /* {"s":"x","note":48}: as JSON.stringify writes Strudel's map */
    put(o, "{", 1);
    for (uint32_t i = 0; i < v->controls->count; i++) {
      const pat_control_entry *e = &v->controls->entries[i];
      if (i)
        put(o, ",", 1);
      put_string(o, pat_control_name((pat_control)e->control));
      put(o, ":", 1);
      if (e->control == PAT_CONTROL_VALUE)
        put_value(o, &v->controls->value);
      else if (pat_control_is_string((pat_control)e->control))
        put_string(o, e->str ? e->str : "");
      else
        put_number(o, e->number);
    }
    put(o, "}", 1);
    break;
  }
}

size_t pat_json_value(const pat_value *value, char *buf, size_t size) {
  out_buf o = {buf, size, 0};
  put_value(&o, value);
  if (size)
    buf[o.length < size ? o.length : size - 1] = '\0';
  return o.length;
}

typedef struct {
  const pat_event *event;
  double begin, end;
  char *value_json;
  size_t index;
} sort_item;

static int compare_items(const void *pa, const void *pb) {
  const sort_item *a = pa, *b = pb;
  if (a->begin != b->begin)
    return a->begin < b->begin ? -1 : 1;
  if (a->end != b->end)
    return a->end < b->end ? -1 : 1;
  int c = strcmp(a->value_json, b->value_json);
  if (c)
    return c;
  return a->index < b->index ? -1 : a->index > b->index; /* JS sort is stable */
}

static void put_arc(out_buf *o, const char *name, pat_arc arc) {
  char t[48];
  puts_(o, "\"");
  puts_(o, name);
  puts_(o, "\":[\"");
  pat_rat_format(arc.begin, t, sizeof t);
  puts_(o, t);
  puts_(o, "\",\"");
  pat_rat_format(arc.end, t, sizeof t);
  puts_(o, t);
  puts_(o, "\"]");
}

size_t pat_json_line(const char *pattern_text, const pat_event *events, size_t count,
                     const pat_error *error, char *buf, size_t size) {
  out_buf o = {buf, size, 0};
  puts_(&o, "{\"pat\":");
  put_string(&o, pattern_text ? pattern_text : "");
  if (error) {
    puts_(&o, ",\"error\":");
    char msg[300];
    snprintf(msg, sizeof msg, "%d:%d: %s", error->line, error->column, error->message);
    put_string(&o, msg);
    puts_(&o, "}");
  } else {
    puts_(&o, ",\"events\":[");
    sort_item *items = calloc(count ? count : 1, sizeof *items);
    size_t n = 0;
    for (size_t i = 0; items && i < count; i++) {
      const pat_event *e = &events[i];
      if (pat_rat_cmp(e->whole.begin, e->part.begin) != 0)
        continue;
      char value[512];
      size_t len = pat_json_value(&e->value, value, sizeof value);
      char *copy = malloc(len + 1);
      if (!copy)
        break;
      if (len < sizeof value) {
        memcpy(copy, value, len + 1);
      } else {
        pat_json_value(&e->value, copy, len + 1);
      }
      items[n].event = e;
      items[n].begin = pat_rat_to_double(e->whole.begin);
      items[n].end = pat_rat_to_double(e->whole.end);
      items[n].value_json = copy;
      items[n].index = n;
      n++;
    }
    if (items)
      qsort(items, n, sizeof *items, compare_items);
    for (size_t i = 0; i < n; i++) {
      if (i)
        puts_(&o, ",");
      puts_(&o, "{");
      put_arc(&o, "whole", items[i].event->whole);
      puts_(&o, ",");
      put_arc(&o, "part", items[i].event->part);
      puts_(&o, ",\"value\":");
      puts_(&o, items[i].value_json);
      puts_(&o, "}");
      free(items[i].value_json);
    }
    free(items);
    puts_(&o, "]}");
  }
  if (size)
    buf[o.length < size ? o.length : size - 1] = '\0';
  return o.length;
}
