/* The worker side: rendering requested buffers, compiling programs and
   watching the program file (programs.c), freeing what run() retired. work() runs
   on the host's worker thread (or inside run() while a host exports);
   work_response() runs on the audio thread. */
#include "plugin.h"

#include <stdlib.h>

#ifdef __GLIBC__
#include <malloc.h>
#endif

/* Frees cache buffers run() retired (the render pool keeps some to reuse:
   16 MB at most). glibc keeps the free memory of a
   thread's arena resident (it trims only the top of a heap), and buffers come
   from the worker's and the render helpers' arenas: without giving free pages
   back, resident memory rose past the cache's cap (301 MB for a 256 MB cap;
   265 MB with it). Trimming walks every arena, so it waits for 16 MB. */
static void free_buffers(cb_plugin *self, const cb_msg_free_buffers *msg) {
  for (uint32_t i = 0; i < msg->count && i < CB_FREE_MAX; ++i) {
    if (presynth_pool_recycle(self->render_pool, msg->buffers[i]))
      continue; /* the next render of its size reuses it, pages mapped */
#ifdef __GLIBC__
    self->freed_since_trim += msg->buffers[i] ? malloc_usable_size(msg->buffers[i]) : 0;
#endif
    free(msg->buffers[i]);
  }
#ifdef __GLIBC__
  if (self->freed_since_trim >= ((size_t)16 << 20)) {
    malloc_trim(0);
    self->freed_since_trim = 0;
  }
#else
  (void)self;
#endif
}

/* Renders a batch: each job's key is copied out of the cache (a job run()
   has taken back meanwhile is answered with NULL), rendered, answered. */
static void render(cb_plugin *self, LV2_Worker_Respond_Function respond,
                   LV2_Worker_Respond_Handle handle, const cb_msg_render *request) {
  cb_msg_rendered reply = {.type = CB_RESPONSE_RENDERED, .handoff = cb_handoff_next(&self->to_run)};
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
    return;
  }
  cb_handoff_sent(&self->to_run, reply.handoff);
  for (uint32_t i = 0; i < reply.count; ++i)
    cb_handoff_log(&self->to_run, reply.handoff, CB_OWNED_BUFFER, reply.buffers[i]);
}

LV2_Worker_Status cb_work(LV2_Handle instance, LV2_Worker_Respond_Function respond,
                          LV2_Worker_Respond_Handle handle, uint32_t size, const void *data) {
  cb_plugin *self = instance;
  if (size < sizeof(uint32_t))
    return LV2_WORKER_ERR_UNKNOWN;
  const cb_message *msg = data;
  switch (msg->type) {
  case CB_WORK_COMPILE:
    cb_work_compile(self, respond, handle);
    break;
  case CB_WORK_RENDER:
    render(self, respond, handle, &msg->render);
    break;
  case CB_WORK_FREE_BUFFERS:
    cb_handoff_taken(&self->to_worker, msg->free_buffers.handoff);
    free_buffers(self, &msg->free_buffers);
    break;
  case CB_WORK_FREE_PROGRAM:
    cb_handoff_taken(&self->to_worker, msg->program.handoff);
    cb_program_free(msg->program.program);
    break;
  case CB_WORK_POLL_FILE:
    cb_work_poll_file(self, respond, handle);
    break;
  case CB_WORK_SAMPLES:
    cb_work_samples(self, respond, handle, data, size);
    break;
  case CB_WORK_ORBIT_MEMORY:
    if (size >= sizeof msg->orbit_memory)
      orbit_bank_commit(&self->orbits, msg->orbit_memory.effects);
    break;
  default:
    return LV2_WORKER_ERR_UNKNOWN;
  }
  return LV2_WORKER_SUCCESS;
}

LV2_Worker_Status cb_work_response(LV2_Handle instance, uint32_t size, const void *body) {
  cb_plugin *self = instance;
  if (size < sizeof(uint32_t))
    return LV2_WORKER_SUCCESS; /* jalv sends empty responses */
  const cb_message *msg = body;
  switch (msg->type) {
  case CB_RESPONSE_PROGRAM:
    cb_handoff_taken(&self->to_run, msg->program.handoff);
    cb_take_program(self, msg->program.program);
    break;
  case CB_RESPONSE_ERROR:
    cb_take_error(self, msg->error.sequence, &msg->error.error);
    break;
  case CB_RESPONSE_RENDERED:
    cb_handoff_taken(&self->to_run, msg->rendered.handoff);
    for (uint32_t i = 0; i < msg->rendered.count && i < CB_BATCH_MAX; ++i)
      presynth_rendered(&self->cache, msg->rendered.jobs[i], msg->rendered.buffers[i]);
    break;
  default:
    break;
  }
  return LV2_WORKER_SUCCESS;
}
