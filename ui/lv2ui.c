/* The LV2 UI descriptor (the only exported symbol is lv2ui_descriptor):
   instantiate, cleanup, port_event and the idle, show and resize interfaces,
   and what the UI does with the plugin's messages. Host UI thread. */
#include <stdlib.h>
#include <string.h>

#include <lv2/options/options.h>

#include "../plugin/lv2/ports.h"
#include "ui.h"

static void request_program(cb_ui *ui) {
  uint8_t atom[128];
  uint32_t size = uip_forge_get(&ui->uris, ui->map, atom, sizeof atom);
  if (size)
    ui->write(ui->controller, CB_PORT_CONTROL, size, ui->uris.atom_eventTransfer, atom);
}

/* The plugin's verdict on the last compile. When it answers the text we sent,
   the error's place is in the editor (and the cursor goes there); otherwise
   the program changed by other means (its file, another editor): on success
   the UI fetches the new text, on failure it only shows the message. */
static void set_error(cb_ui *ui, const char *text, uint32_t length) {
  const char *message;
  uint32_t message_length;
  ev_error *e = &ui->error;
  bool answers_us = ui->sent_text != NULL;
  e->active = uip_split_error(text, length, &e->line, &e->column, &message, &message_length);
  e->placed = e->active && answers_us && e->line > 0;
  if (message_length >= sizeof e->message)
    message_length = sizeof e->message - 1;
  memcpy(e->message, message, message_length);
  e->message[message_length] = '\0';
  ui->status = e->active ? UI_STATUS_ERROR : UI_STATUS_OK;
  if (!e->active && answers_us)
    pc_set_program(&ui->card, ui->sent_text, ui->sent_length);
  if (!e->active && !answers_us)
    request_program(ui);
  if (e->placed) {
    ui->buffer.cursor = ui->buffer.anchor = ed_pos_of_report(&ui->buffer, e->line, e->column);
    ev_reveal_cursor(&ui->view, &ui->buffer);
  }
  free(ui->sent_text);
  ui->sent_text = NULL;
  ui->dirty |= UI_DIRTY_ALL;
}

/* Keeps the first line of `text` (at most size - 1 bytes); returns the lines. */
static int first_line(char *out, size_t size, const char *text, uint32_t length) {
  uint32_t end = 0;
  while (end < length && text[end] != '\n')
    end++;
  size_t kept = end < size - 1 ? end : size - 1;
  memcpy(out, text, kept);
  out[kept] = '\0';
  int lines = length ? 1 : 0;
  for (uint32_t i = 0; i < length; ++i)
    lines += text[i] == '\n';
  return lines;
}

/* The session's program (the answer to our patch:Get, or to another UI's):
   taken into the editor unless the user has unsent changes. */
static void set_program(cb_ui *ui, const char *text, uint32_t length) {
  pc_set_program(&ui->card, text, length);
  if (ui->status == UI_STATUS_WAITING)
    ui->status = UI_STATUS_OK; /* the plugin plays it */
  if (!ui->buffer.modified || !ui->have_program) {
    size_t cursor = ui->buffer.cursor;
    ed_set_text(&ui->buffer, text, length);
    ed_set_cursor(&ui->buffer, cursor, false);
    ui->have_program = true;
    ui_text_changed(ui);
  }
  ui->dirty |= UI_DIRTY_ALL;
}

void ui_text_changed(cb_ui *ui) {
  kn_set_program_text(&ui->knobs, ui->buffer.text, ui->buffer.length);
  ui->dirty |= UI_DIRTY_EDITOR | UI_DIRTY_KNOBS | UI_DIRTY_TOOLBAR;
}

void ui_send_program(cb_ui *ui) {
  uint32_t length = (uint32_t)ui->buffer.length;
  uint32_t capacity = length + 256;
  void *atom = malloc(capacity);
  char *copy = malloc(length + 1);
  if (!atom || !copy) {
    free(atom);
    free(copy);
    return;
  }
  uint32_t size = uip_forge_program(&ui->uris, ui->map, ui->buffer.text, length, atom, capacity);
  if (size) {
    ui->write(ui->controller, CB_PORT_CONTROL, size, ui->uris.atom_eventTransfer, atom);
    memcpy(copy, ui->buffer.text, length + 1);
    free(ui->sent_text);
    ui->sent_text = copy;
    ui->sent_length = length;
    copy = NULL;
    ed_mark_clean(&ui->buffer);
    ui->have_program = true;
    ui->status = UI_STATUS_SENT;
    ui->dirty |= UI_DIRTY_TOOLBAR;
  }
  free(copy);
  free(atom);
}

void ui_write_knob(cb_ui *ui, int knob) {
  float value = ui->knobs.values[knob];
  ui->write(ui->controller, kn_port(knob), sizeof value, 0, &value);
  ui->dirty |= UI_DIRTY_KNOBS;
}

/* ---- LV2 UI callbacks --------------------------------------------------------------- */

static void cleanup(LV2UI_Handle handle) {
  cb_ui *ui = handle;
  ui_clipboard_free(ui);
  ui_x11_close(ui);
  ed_free(&ui->buffer);
  pc_free(&ui->card);
  free(ui->sent_text);
  free(ui);
}

static float scale_option(const LV2_Options_Option *options, LV2_URID_Map *map) {
  LV2_URID key = map->map(map->handle, LV2_UI__scaleFactor);
  LV2_URID atom_Float = map->map(map->handle, LV2_ATOM__Float);
  for (const LV2_Options_Option *o = options; o && o->key; ++o)
    if (o->key == key && o->type == atom_Float && o->value) {
      float scale = *(const float *)o->value;
      if (scale >= 0.5f && scale <= 8.0f)
        return scale;
    }
  return 0.0f;
}

static LV2UI_Handle instantiate(const LV2UI_Descriptor *descriptor, const char *plugin_uri,
                                const char *bundle_path, LV2UI_Write_Function write_function,
                                LV2UI_Controller controller, LV2UI_Widget *widget,
                                const LV2_Feature *const *features) {
  (void)descriptor;
  (void)bundle_path;
  if (strcmp(plugin_uri, "urn:cyclebus:cyclebus") != 0 &&
      strcmp(plugin_uri, "urn:cyclebus:stems") != 0) /* the multi-out plugin: the same ports */
    return NULL;
  cb_ui *ui = calloc(1, sizeof *ui);
  if (!ui)
    return NULL;
  ui->write = write_function;
  ui->controller = controller;
  void *parent = NULL;
  const LV2_Options_Option *options = NULL;
  for (int i = 0; features && features[i]; ++i) {
    const char *uri = features[i]->URI;
    if (!strcmp(uri, LV2_URID__map))
      ui->map = features[i]->data;
    else if (!strcmp(uri, LV2_UI__parent))
      parent = features[i]->data;
    else if (!strcmp(uri, LV2_UI__resize))
      ui->host_resize = features[i]->data;
    else if (!strcmp(uri, LV2_OPTIONS__options))
      options = features[i]->data;
  }
  if (!ui->map) {
    free(ui);
    return NULL;
  }
  uip_map_uris(ui->map, &ui->uris);
  ui->host_scale = scale_option(options, ui->map);
  ed_init(&ui->buffer);
  ev_init(&ui->view);
  kn_init(&ui->knobs);
  if (!ui->buffer.text || !pc_init(&ui->card) || !ui_x11_open(ui, (Window)(uintptr_t)parent)) {
    cleanup(ui);
    return NULL;
  }
  ui_clipboard_init(ui);
  *widget = (LV2UI_Widget)(uintptr_t)ui->window;
  if (ui->host_resize)
    ui->host_resize->ui_resize(ui->host_resize->handle, ui->width, ui->height);
  request_program(ui); /* a reopened UI shows the session's program */
  return ui;
}

static void port_event(LV2UI_Handle handle, uint32_t port, uint32_t size, uint32_t format,
                       const void *buffer) {
  cb_ui *ui = handle;
  if (format == 0 && size == sizeof(float)) {
    if (kn_knob_of_port(port) >= 0 && ui->knobs.dragging != kn_knob_of_port(port)) {
      kn_set_port_value(&ui->knobs, port, *(const float *)buffer);
      ui->dirty |= UI_DIRTY_KNOBS;
    }
    return;
  }
  if (format != ui->uris.atom_eventTransfer || port != CB_PORT_NOTIFY)
    return;
  uip_message m = uip_parse(&ui->uris, buffer, size);
  switch (m.kind) {
  case UIP_PROGRAM:
    set_program(ui, m.text, m.length);
    break;
  case UIP_ERROR:
    set_error(ui, m.text, m.length);
    break;
  case UIP_WARNINGS:
    ui->warning_count = first_line(ui->warning, sizeof ui->warning, m.text, m.length);
    ui->dirty |= UI_DIRTY_TOOLBAR;
    break;
  case UIP_SAMPLES: {
    size_t kept = m.length < sizeof ui->samples_in_use ? m.length : sizeof ui->samples_in_use - 1;
    memcpy(ui->samples_in_use, m.text, kept);
    ui->samples_in_use[kept] = '\0';
    ui->dirty |= UI_DIRTY_TOOLBAR;
    break;
  }
  case UIP_PLAYHEAD:
    pc_set_playhead(&ui->card, m.cycle, m.rolling);
    ui->dirty |= UI_DIRTY_CARD;
    break;
  case UIP_TRIGGERED:
    pc_trigger(&ui->card, m.output, m.onset, m.end, ui_now());
    ui->dirty |= UI_DIRTY_CARD;
    break;
  case UIP_NONE:
    break;
  }
}

static int idle(LV2UI_Handle handle) { return ui_x11_idle(handle); }

static int show(LV2UI_Handle handle) {
  ui_x11_show(handle, true);
  return 0;
}

static int hide(LV2UI_Handle handle) {
  ui_x11_show(handle, false);
  return 0;
}

/* The host resized us (ui:resize as extension data). */
static int host_resized(LV2UI_Feature_Handle handle, int width, int height) {
  ui_x11_resize(handle, width, height);
  return 0;
}

static const void *extension_data(const char *uri) {
  static const LV2UI_Idle_Interface idle_interface = {idle};
  static const LV2UI_Show_Interface show_interface = {show, hide};
  static const LV2UI_Resize resize_interface = {NULL, host_resized};
  if (!strcmp(uri, LV2_UI__idleInterface))
    return &idle_interface;
  if (!strcmp(uri, LV2_UI__showInterface))
    return &show_interface;
  if (!strcmp(uri, LV2_UI__resize))
    return &resize_interface;
  return NULL;
}

static const LV2UI_Descriptor descriptor = {UI_URI, instantiate, cleanup, port_event,
                                            extension_data};

LV2_SYMBOL_EXPORT const LV2UI_Descriptor *lv2ui_descriptor(uint32_t index) {
  return index == 0 ? &descriptor : NULL;
}
