/* How a program travels from the host to run(). Every request (a text or a
   file path from patch:Set, a restore) takes the next sequence number; run()
   publishes a text in a triple buffer, so a newer one replaces a text the
   worker has not taken yet and nothing is refused for being busy. The worker
   compiles the newest text, or reads and watches the file; run() takes only
   answers to its newest request, so an older program never plays after a
   newer one and its outcome is never reported in the newest's place. */
#include "plugin.h"

#include <stdlib.h>
#include <string.h>

#include "program_file.h"

#define POLL_SECONDS 0.5

bool cb_sequence_at_least(uint32_t a, uint32_t b) { return (int32_t)(a - b) >= 0; }

/* An answer to the newest request, or the last good program compiled again
   with new sample folders while the newest request failed (that one stays
   failed, its error shown): the folders reach what plays. Audio thread. */
bool cb_program_wanted(const cb_plugin *self, const cb_program *program) {
  const cb_program *good = self->pending ? self->pending : self->program;
  if (program->refresh && good && good->made > program->made)
    return false; /* it already has the folders (restore() and the worker race) */
  if (cb_sequence_at_least(program->sequence, self->newest_request))
    return true;
  return program->refresh && self->newest_failed &&
         (!good || cb_sequence_at_least(program->sequence, good->sequence));
}

/* ---- Audio thread ---- */

static void send_compile(cb_plugin *self) {
  cb_msg_compile msg = {CB_WORK_COMPILE};
  self->compile_unsent =
      self->schedule->schedule_work(self->schedule->handle, sizeof msg, &msg) != LV2_WORKER_SUCCESS;
}

/* A program text or path from the host: it becomes the newest request. */
void cb_queue_text(cb_plugin *self, const char *text, uint32_t length, bool is_file) {
  self->newest_request =
      atomic_fetch_add_explicit(&self->request_sequence, 1, memory_order_relaxed) + 1;
  self->newest_failed = false;
  if (length >= CB_TEXT_MAX) { /* refused, and no older request's answer counts any more */
    self->report = (prog_error){0, 0, ""};
    strcpy(self->report.message, is_file ? "program file path too long (at most 65535 bytes)"
                                         : "program too long (at most 65535 bytes)");
    self->report_pending = true;
    return;
  }
  cb_text_slot *slot = &self->text_slots[self->text_write];
  memcpy(slot->data, text, length);
  slot->data[length] = '\0';
  slot->length = length;
  slot->is_file = is_file;
  slot->sequence = self->newest_request;
  uint32_t previous = atomic_exchange_explicit(&self->text_newest, self->text_write | CB_TEXT_FRESH,
                                               memory_order_acq_rel);
  self->text_write = previous & ~CB_TEXT_FRESH;
  send_compile(self);
}

/* Once a block: a compile request the host refused, and the file poll. */
void cb_send_program_requests(cb_plugin *self) {
  if (self->compile_unsent)
    send_compile(self);
  cb_samples_send_unsent(self);
  if (!atomic_load_explicit(&self->file_watched, memory_order_acquire) ||
      self->block_frame < self->next_poll_frame)
    return;
  uint32_t poll = CB_WORK_POLL_FILE;
  if (self->schedule->schedule_work(self->schedule->handle, sizeof poll, &poll) ==
      LV2_WORKER_SUCCESS)
    self->next_poll_frame = self->block_frame + (int64_t)(POLL_SECONDS * self->sample_rate);
}

/* A compiled program: at the next cycle boundary (or now, per the port); a
   program already waiting is dropped for the newer one. */
void cb_take_program(cb_plugin *self, cb_program *program) {
  if (!cb_program_wanted(self, program)) {
    cb_retire_program(self, program); /* answers a request a newer one replaced */
    return;
  }
  if (self->pending)
    cb_retire_program(self, self->pending);
  self->pending = program;
  if (!(program->refresh && self->newest_failed)) {
    self->newest_failed = false;
    self->report = (prog_error){0, 0, ""};
    self->report_pending = true;
  }
  cb_samples_program_taken(self, program, false);
}

void cb_take_error(cb_plugin *self, uint32_t sequence, const prog_error *error) {
  if (!cb_sequence_at_least(sequence, self->newest_request))
    return;
  self->newest_failed = true;
  self->report = *error;
  self->report_pending = true;
}

/* ---- Worker thread ---- */

static void respond_error(cb_plugin *self, LV2_Worker_Respond_Function respond,
                          LV2_Worker_Respond_Handle handle, uint32_t sequence,
                          const prog_error *error) {
  cb_msg_error msg = {.type = CB_RESPONSE_ERROR, .sequence = sequence, .error = *error};
  lv2_log_error(&self->logger, "cyclebus: %d:%d: %s\n", error->line, error->column, error->message);
  respond(handle, sizeof msg, &msg);
}

void cb_compile_and_respond(cb_plugin *self, LV2_Worker_Respond_Function respond,
                            LV2_Worker_Respond_Handle handle, const char *text, size_t length,
                            uint32_t sequence, bool refresh) {
  prog_error error = {0};
  cb_program *program = cb_program_make(self, text, length, sequence, &error);
  if (!program) {
    respond_error(self, respond, handle, sequence, &error);
    return;
  }
  program->refresh = refresh;
  cb_remember_program(self, program);
  cb_msg_program msg = {CB_RESPONSE_PROGRAM, cb_handoff_next(&self->to_run), program};
  if (respond(handle, sizeof msg, &msg) != LV2_WORKER_SUCCESS) {
    cb_program_free(program);
    return;
  }
  cb_handoff_sent(&self->to_run, msg.handoff);
  cb_handoff_log(&self->to_run, msg.handoff, CB_OWNED_PROGRAM, program);
}

/* Reads the watched file if it changed since the last look, and answers for
   the request that started the watch. */
static void load_watched(cb_plugin *self, LV2_Worker_Respond_Function respond,
                         LV2_Worker_Respond_Handle handle) {
  pthread_mutex_lock(&self->state_lock);
  char *path = self->watch_path ? strdup(self->watch_path) : NULL;
  uint32_t sequence = self->watch_sequence;
  cb_file_stamp last = self->watch_stamp;
  pthread_mutex_unlock(&self->state_lock);
  cb_file_stamp now = path ? cb_file_stamp_of(path) : last;
  bool same = cb_file_stamp_equal(now, last);
  if (!path || (same && !cb_file_stamp_racy(last))) {
    free(path);
    return;
  }
  prog_error error;
  char *text = NULL;
  size_t length = 0;
  cb_file_stamp read_stamp;
  cb_file_result result =
      cb_read_program_file(path, CB_TEXT_MAX, &text, &length, &read_stamp, &error);
  /* A racy stamp is read again until it is old enough to trust; the same
     content then is no change. */
  bool unchanged = same && result == CB_FILE_READ && cb_file_stamp_equal(read_stamp, last) &&
                   read_stamp.hash == last.hash;
  pthread_mutex_lock(&self->state_lock);
  if (self->watch_sequence == sequence) /* else restore() watches another file now */
    /* A file that kept changing while it was read is read again at the next poll. */
    self->watch_stamp = result == CB_FILE_READ      ? read_stamp
                        : result == CB_FILE_REFUSED ? now
                                                    : CB_FILE_STAMP_UNKNOWN;
  pthread_mutex_unlock(&self->state_lock);
  if (result != CB_FILE_READ)
    respond_error(self, respond, handle, sequence, &error);
  else if (!unchanged)
    cb_compile_and_respond(self, respond, handle, text, length, sequence, false);
  free(text);
  free(path);
}

/* Watches `path` (NULL: nothing) for request `sequence`, from `stamp` on;
   a request older than the current watch's changes nothing. Worker or
   restore() thread. */
void cb_watch_file(cb_plugin *self, const char *path, uint32_t sequence, cb_file_stamp stamp) {
  char *copy = path ? strdup(path) : NULL;
  pthread_mutex_lock(&self->state_lock);
  if (cb_sequence_at_least(sequence, self->watch_sequence) && (copy || !path)) {
    char *old = self->watch_path;
    self->watch_path = copy;
    copy = old;
    self->watch_sequence = sequence;
    self->watch_stamp = stamp;
    atomic_store_explicit(&self->file_watched, path != NULL, memory_order_release);
  }
  pthread_mutex_unlock(&self->state_lock);
  free(copy);
}

/* The newest text run() published, if no earlier compile request took it. */
void cb_work_compile(cb_plugin *self, LV2_Worker_Respond_Function respond,
                     LV2_Worker_Respond_Handle handle) {
  if (!(atomic_load_explicit(&self->text_newest, memory_order_acquire) & CB_TEXT_FRESH))
    return;
  self->text_read =
      atomic_exchange_explicit(&self->text_newest, self->text_read, memory_order_acq_rel) &
      ~CB_TEXT_FRESH;
  const cb_text_slot *slot = &self->text_slots[self->text_read];
  if (slot->is_file) {
    cb_watch_file(self, slot->data, slot->sequence, CB_FILE_STAMP_UNKNOWN);
    load_watched(self, respond, handle);
  } else {
    cb_watch_file(self, NULL, slot->sequence, CB_FILE_STAMP_UNKNOWN); /* a text ends the watch */
    cb_compile_and_respond(self, respond, handle, slot->data, slot->length, slot->sequence, false);
  }
}

void cb_work_poll_file(cb_plugin *self, LV2_Worker_Respond_Function respond,
                       LV2_Worker_Respond_Handle handle) {
  load_watched(self, respond, handle);
}
