/* The worker side: compiling programs, rendering requested buffers, reading
   and watching the program file, and freeing what run() retired. work() runs
   on the host's worker thread (or inside run() while a host exports);
   work_response() runs on the audio thread. */
#include "plugin.h"

#include <stdlib.h>
#include <string.h>

#include "program_file.h"

static void respond_error(cb_plugin *self, LV2_Worker_Respond_Function respond,
                          LV2_Worker_Respond_Handle handle, const prog_error *error) {
  cb_msg_error msg = {.type = CB_RESPONSE_ERROR, .error = *error};
  lv2_log_error(&self->logger, "cyclebus: %d:%d: %s\n", error->line, error->column, error->message);
  respond(handle, sizeof msg, &msg);
}

static void compile_and_respond(cb_plugin *self, LV2_Worker_Respond_Function respond,
                                LV2_Worker_Respond_Handle handle, const char *text, size_t length,
                                const char *file) {
  prog_error error = {0};
  cb_program *program = cb_program_make(self, text, length, file, &error);
  if (!program) {
    respond_error(self, respond, handle, &error);
    return;
  }
  cb_remember_program(self, program);
  cb_msg_program msg = {CB_RESPONSE_PROGRAM, program};
  if (respond(handle, sizeof msg, &msg) != LV2_WORKER_SUCCESS)
    cb_program_free(program);
}

/* Loads the program file if it changed since the last look (or `force`). */
static void load_file(cb_plugin *self, LV2_Worker_Respond_Function respond,
                      LV2_Worker_Respond_Handle handle, const char *path, bool force) {
  cb_file_stamp now = cb_file_stamp_of(path);
  if (!force && cb_file_stamp_equal(now, self->file_stamp))
    return;
  atomic_store_explicit(&self->file_watched, true, memory_order_release);
  prog_error error;
  char *text = NULL;
  size_t length = 0;
  cb_file_stamp read_stamp;
  cb_file_result result =
      cb_read_program_file(path, CB_TEXT_MAX, &text, &length, &read_stamp, &error);
  /* A file that kept changing while it was read is read again at the next poll. */
  self->file_stamp = result == CB_FILE_READ      ? read_stamp
                     : result == CB_FILE_REFUSED ? now
                                                 : CB_FILE_STAMP_UNKNOWN;
  if (result != CB_FILE_READ) {
    respond_error(self, respond, handle, &error);
    return;
  }
  compile_and_respond(self, respond, handle, text, length, path);
  free(text);
}

static void watch_file(cb_plugin *self, const char *path) {
  pthread_mutex_lock(&self->state_lock);
  free(self->state_file);
  self->state_file = strdup(path);
  pthread_mutex_unlock(&self->state_lock);
}

/* Renders a batch: each job's key is copied out of the cache (a job run()
   has taken back meanwhile is answered with NULL), rendered, answered. */
static void render(cb_plugin *self, LV2_Worker_Respond_Function respond,
                   LV2_Worker_Respond_Handle handle, const cb_msg_render *request) {
  cb_msg_rendered reply = {.type = CB_RESPONSE_RENDERED};
  const presynth_entry *keys[CB_BATCH_MAX] = {0};
  float *buffers[CB_BATCH_MAX];
  uint32_t job_of[CB_BATCH_MAX], claimed = 0;
  reply.count = request->batch.count < CB_BATCH_MAX ? request->batch.count : CB_BATCH_MAX;
  for (uint32_t i = 0; i < reply.count; ++i) {
    presynth_entry *key = &self->render_keys[claimed];
    reply.jobs[i] = request->batch.jobs[i];
    reply.buffers[i] = NULL;
    if (presynth_claim(&self->cache, reply.jobs[i], &key->bus, &key->voice)) {
      keys[claimed] = key;
      job_of[claimed++] = i;
    }
  }
  presynth_render_batch(self->render_pool, keys, buffers, claimed);
  for (uint32_t k = 0; k < claimed; ++k)
    reply.buffers[job_of[k]] = buffers[k];
  if (respond(handle, sizeof reply, &reply) != LV2_WORKER_SUCCESS) {
    /* The answer is lost: run() takes the entries back; free the buffers. */
    for (uint32_t i = 0; i < reply.count; ++i) {
      presynth_answer_lost(&self->cache, reply.jobs[i]);
      free(reply.buffers[i]);
    }
  }
}

LV2_Worker_Status cb_work(LV2_Handle instance, LV2_Worker_Respond_Function respond,
                          LV2_Worker_Respond_Handle handle, uint32_t size, const void *data) {
  cb_plugin *self = instance;
  if (size < sizeof(uint32_t))
    return LV2_WORKER_ERR_UNKNOWN;
  const cb_message *msg = data;
  switch (msg->type) {
  case CB_WORK_COMPILE: {
    uint32_t index = msg->compile.text_slot;
    if (index >= CB_TEXT_SLOTS)
      return LV2_WORKER_ERR_UNKNOWN;
    cb_text_slot *slot = &self->text_slots[index];
    if (slot->is_file) {
      watch_file(self, slot->data);
      load_file(self, respond, handle, slot->data, true);
    } else {
      compile_and_respond(self, respond, handle, slot->data, slot->length, NULL);
    }
    atomic_store_explicit(&slot->busy, 0, memory_order_release);
    break;
  }
  case CB_WORK_RENDER:
    render(self, respond, handle, &msg->render);
    break;
  case CB_WORK_FREE_BUFFERS:
    for (uint32_t i = 0; i < msg->free_buffers.count && i < CB_FREE_MAX; ++i)
      free(msg->free_buffers.buffers[i]);
    break;
  case CB_WORK_FREE_PROGRAM:
    cb_program_free(msg->program.program);
    break;
  case CB_WORK_POLL_FILE: {
    pthread_mutex_lock(&self->state_lock);
    char *path = self->state_file ? strdup(self->state_file) : NULL;
    pthread_mutex_unlock(&self->state_lock);
    if (path)
      load_file(self, respond, handle, path, false);
    free(path);
    break;
  }
  default:
    return LV2_WORKER_ERR_UNKNOWN;
  }
  return LV2_WORKER_SUCCESS;
}

/* A new program: at the next cycle boundary (or now, per the port); a
   program already waiting is dropped for the newer one. */
static void accept_program(cb_plugin *self, cb_program *program) {
  if (self->pending)
    cb_retire_program(self, self->pending);
  self->pending = program;
  self->report = (prog_error){0, 0, ""};
  self->report_pending = true;
}

LV2_Worker_Status cb_work_response(LV2_Handle instance, uint32_t size, const void *body) {
  cb_plugin *self = instance;
  if (size < sizeof(uint32_t))
    return LV2_WORKER_SUCCESS; /* jalv sends empty responses */
  const cb_message *msg = body;
  switch (msg->type) {
  case CB_RESPONSE_PROGRAM:
    accept_program(self, msg->program.program);
    break;
  case CB_RESPONSE_ERROR:
    self->report = msg->error.error;
    self->report_pending = true;
    break;
  case CB_RESPONSE_RENDERED:
    for (uint32_t i = 0; i < msg->rendered.count && i < CB_BATCH_MAX; ++i)
      presynth_rendered(&self->cache, msg->rendered.jobs[i], msg->rendered.buffers[i]);
    break;
  default:
    break;
  }
  return LV2_WORKER_SUCCESS;
}
