/* The urn:cyclebus:samples parameter and what a compile tells about samples.
   run() takes a patch:Set of the folders and sends them to the worker, which
   gives them to the sample library and compiles the program again (names it
   lacked may now be found). Every compile's warnings (unknown sounds, files
   that would not load) go to the host log at once, and to the UI with the
   folders in use when run() takes the program. */
#include "plugin.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Audio thread ---- */

static void send_folders(cb_plugin *self) {
  cb_msg_samples msg;
  msg.type = CB_WORK_SAMPLES;
  msg.length = self->samples_param_length;
  memcpy(msg.folders, self->samples_param, msg.length + 1);
  uint32_t size = (uint32_t)offsetof(cb_msg_samples, folders) + msg.length + 1;
  self->samples_unsent =
      self->schedule->schedule_work(self->schedule->handle, size, &msg) != LV2_WORKER_SUCCESS;
}

void cb_samples_set(cb_plugin *self, const char *folders, uint32_t length) {
  if (length >= CB_FOLDERS_MAX) {
    self->report = (prog_error){0, 0, "sample folders too long (at most 2047 bytes): unchanged"};
    self->report_pending = true;
    return;
  }
  memcpy(self->samples_param, folders, length);
  self->samples_param[length] = '\0';
  self->samples_param_length = length;
  self->reply_samples = true; /* the host's and other UIs' view follows */
  send_folders(self);
}

/* Once a block: a request the host refused is sent again. */
void cb_samples_send_unsent(cb_plugin *self) {
  if (self->samples_unsent)
    send_folders(self);
}

static uint32_t copy_text(char *out, size_t size, const char *text) {
  size_t length = text ? strnlen(text, size - 1) : 0;
  memcpy(out, text ? text : "", length);
  out[length] = '\0';
  return (uint32_t)length;
}

/* A program run() accepted: its notes go to the UI; a restored one also
   brings the restored parameter. */
void cb_samples_program_taken(cb_plugin *self, const cb_program *program, bool restored) {
  copy_text(self->notes, sizeof self->notes, program->notes);
  copy_text(self->samples_in_use, sizeof self->samples_in_use, program->samples_in_use);
  self->notes_pending = true;
  if (restored)
    cb_samples_show_restored(self, program->samples_param);
}

/* The restored parameter, to the host and the UI without their asking. */
void cb_samples_show_restored(cb_plugin *self, const char *folders) {
  self->samples_param_length = copy_text(self->samples_param, sizeof self->samples_param, folders);
  self->reply_samples = true;
}

void cb_samples_write_notify(cb_plugin *self) {
  const cb_uris *u = &self->uris;
  if (self->reply_samples && cb_write_set(self, u->cb_samples, u->atom_Path, self->samples_param,
                                          self->samples_param_length))
    self->reply_samples = false;
  if (self->notes_pending &&
      cb_write_set(self, u->cb_warnings, u->atom_String, self->notes,
                   (uint32_t)strlen(self->notes)) &&
      cb_write_set(self, u->cb_samplesInUse, u->atom_String, self->samples_in_use,
                   (uint32_t)strlen(self->samples_in_use)))
    self->notes_pending = false;
}

/* ---- Worker (and restore) thread ---- */

void cb_samples_apply(cb_plugin *self, const char *folders) {
  char *copy = folders && *folders ? strdup(folders) : NULL;
  pthread_mutex_lock(&self->state_lock);
  char *old = self->samples_folders;
  self->samples_folders = copy;
  pthread_mutex_unlock(&self->state_lock);
  free(old);
  if (self->samples) {
    samples_set_places(self->samples, SAMPLES_PARAMETER, folders);
    samples_rescan(self->samples); /* setting it again is how to rescan */
  }
}

/* New folders: the newest good program compiles again with them, and plays
   even when a newer request failed (cb_program_wanted). */
void cb_work_samples(cb_plugin *self, LV2_Worker_Respond_Function respond,
                     LV2_Worker_Respond_Handle handle, const void *message, uint32_t size) {
  const cb_msg_samples *msg = message;
  size_t header = offsetof(cb_msg_samples, folders);
  if (size <= header)
    return;
  size_t length = msg->length < size - header - 1 ? msg->length : size - header - 1;
  char folders[CB_FOLDERS_MAX];
  length = length < sizeof folders - 1 ? length : sizeof folders - 1;
  memcpy(folders, msg->folders, length);
  folders[length] = '\0';
  cb_samples_apply(self, folders);
  pthread_mutex_lock(&self->state_lock);
  char *text = self->state_text ? strdup(self->state_text) : NULL;
  uint32_t sequence = self->state_sequence;
  pthread_mutex_unlock(&self->state_lock);
  if (text)
    cb_compile_and_respond(self, respond, handle, text, strlen(text), sequence, true);
  free(text);
}

typedef struct {
  cb_plugin *self;
  char *notes;
  size_t length;
} notes_builder;

static void add_note(notes_builder *b, const char *line) {
  size_t add = strlen(line);
  char *grown = realloc(b->notes, b->length + add + 2);
  if (!grown)
    return;
  if (b->length)
    grown[b->length++] = '\n';
  memcpy(grown + b->length, line, add + 1);
  b->length += add;
  b->notes = grown;
}

static void library_message(void *context, const char *message) {
  notes_builder *b = context;
  lv2_log_warning(&b->self->logger, "cyclebus: %s\n", message);
  add_note(b, message);
}

/* The compile's warnings and the library's messages, logged and kept with
   the program (NULL: the compile failed; they are only logged). */
void cb_samples_notes(cb_plugin *self, const prog_warnings *warnings, cb_program *program) {
  notes_builder b = {self, NULL, 0};
  int shown = warnings->count < PROG_MAX_WARNINGS ? warnings->count : PROG_MAX_WARNINGS;
  for (int i = 0; program && i < shown; ++i) {
    char line[sizeof warnings->items[i].message + 32];
    snprintf(line, sizeof line, "%d:%d: %s", warnings->items[i].line, warnings->items[i].column,
             warnings->items[i].message);
    lv2_log_warning(&self->logger, "cyclebus: %s\n", line);
    add_note(&b, line);
  }
  if (program && warnings->count > shown) {
    char line[64];
    snprintf(line, sizeof line, "(%d more warnings)", warnings->count - shown);
    add_note(&b, line);
  }
  if (!self->samples) {
    free(b.notes);
    return;
  }
  samples_take_messages(self->samples, library_message, &b);
  if (!program) {
    free(b.notes);
    return;
  }
  program->notes = b.notes;
  char in_use[CB_FOLDERS_MAX];
  samples_folders_in_use(self->samples, in_use, sizeof in_use);
  program->samples_in_use = strdup(in_use);
  pthread_mutex_lock(&self->state_lock);
  program->samples_param = self->samples_folders ? strdup(self->samples_folders) : NULL;
  pthread_mutex_unlock(&self->state_lock);
}
