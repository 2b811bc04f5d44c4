/* The host's worker: a thread fed through a lock-free ring (or, with
   sync_worker, work() called inside schedule_work as hosts do in export).
   Responses wait in a second ring until the block's run() has returned. */
#include "host_private.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RING_BYTES (4u << 20)
#define MAX_MESSAGE (64u * 1024u)

static LV2_Worker_Status respond(LV2_Worker_Respond_Handle handle, uint32_t size,
                                 const void *data) {
  cb_host *host = handle;
  return cb_ring_push(&host->responses, data, size) ? LV2_WORKER_SUCCESS : LV2_WORKER_ERR_NO_SPACE;
}

/* Whether cb_host_wait_worker leaves this message out (cb_host_set_wait_skip). */
static bool skipped(const cb_host *host, uint32_t size, const void *data) {
  uint32_t type = UINT32_MAX;
  if (size >= sizeof type)
    memcpy(&type, data, sizeof type);
  return type < 32 && (host->wait_skip & (1u << type));
}

/* Called by the plugin from run(): never blocks. */
static LV2_Worker_Status schedule_work(LV2_Worker_Schedule_Handle handle, uint32_t size,
                                       const void *data) {
  cb_host *host = handle;
  if (size > MAX_MESSAGE)
    return LV2_WORKER_ERR_NO_SPACE;
  if (host->options.sync_worker)
    return host->worker->work(host->handle, respond, host, size, data);
  const bool counted = !skipped(host, size, data);
  if (counted)
    atomic_fetch_add(&host->scheduled, 1);
  if (!cb_ring_push(&host->requests, data, size)) {
    if (counted)
      atomic_fetch_sub(&host->scheduled, 1);
    return LV2_WORKER_ERR_NO_SPACE;
  }
  sem_post(&host->wake);
  return LV2_WORKER_SUCCESS;
}

static void *worker_main(void *arg) {
  cb_host *host = arg;
  while (!atomic_load(&host->stop)) {
    sem_wait(&host->wake);
    uint32_t size;
    while ((size = cb_ring_peek(&host->requests)) > 0) {
      cb_ring_pop(&host->requests, host->scratch, size);
      const bool counted = !skipped(host, size, host->scratch);
      host->worker->work(host->handle, respond, host, size, host->scratch);
      if (counted) {
        pthread_mutex_lock(&host->idle_lock);
        atomic_fetch_add(&host->finished, 1);
        pthread_cond_broadcast(&host->idle);
        pthread_mutex_unlock(&host->idle_lock);
      }
    }
  }
  return NULL;
}

bool cb_host_start_worker(cb_host *host) {
  host->schedule = (LV2_Worker_Schedule){host, schedule_work};
  atomic_init(&host->scheduled, 0);
  atomic_init(&host->finished, 0);
  atomic_init(&host->stop, false);
  pthread_mutex_init(&host->idle_lock, NULL);
  pthread_cond_init(&host->idle, NULL);
  if (!cb_ring_init(&host->requests, RING_BYTES) || !cb_ring_init(&host->responses, RING_BYTES))
    return false;
  host->scratch = malloc(MAX_MESSAGE);
  return host->scratch != NULL;
}

/* The thread starts once the instance exists (work() needs its handle). */
bool cb_host_launch_worker(cb_host *host) {
  if (host->options.sync_worker || host->thread_running)
    return true;
  sem_init(&host->wake, 0, 0);
  host->thread_running = pthread_create(&host->thread, NULL, worker_main, host) == 0;
  return host->thread_running;
}

void cb_host_stop_worker(cb_host *host) {
  if (host->thread_running) {
    atomic_store(&host->stop, true);
    sem_post(&host->wake);
    pthread_join(host->thread, NULL);
    sem_destroy(&host->wake);
    host->thread_running = false;
  }
  pthread_mutex_destroy(&host->idle_lock);
  pthread_cond_destroy(&host->idle);
  cb_ring_destroy(&host->requests);
  cb_ring_destroy(&host->responses);
  free(host->scratch);
  host->scratch = NULL;
}

void cb_host_deliver_responses(cb_host *host) {
  uint32_t size;
  static _Thread_local uint8_t message[MAX_MESSAGE];
  while (!host->hold_responses && (size = cb_ring_peek(&host->responses)) > 0) {
    cb_ring_pop(&host->responses, message, size);
    if (host->worker->work_response)
      host->worker->work_response(host->handle, size, message);
  }
  if (host->worker->end_run)
    host->worker->end_run(host->handle);
}

void cb_host_set_wait_skip(cb_host *host, uint32_t type_mask) { host->wait_skip = type_mask; }

void cb_host_hold_responses(cb_host *host, bool held) { host->hold_responses = held; }

/* Sleeps on a condition the worker signals, not in fixed naps: a paced
   render waits after most blocks, often for a message of microseconds, and
   a 200 us nap per wait cost more than the worker's work (the 64-layer
   reference render: 650 naps in 0.34 s). */
void cb_host_wait_worker(cb_host *host) {
  cb_host_wait_worker_until(host, cb_host_worker_ticket(host));
}

uint64_t cb_host_worker_ticket(const cb_host *host) { return atomic_load(&host->scheduled); }

void cb_host_wait_worker_until(cb_host *host, uint64_t ticket) {
  pthread_mutex_lock(&host->idle_lock);
  while (atomic_load(&host->finished) < ticket)
    pthread_cond_wait(&host->idle, &host->idle_lock);
  pthread_mutex_unlock(&host->idle_lock);
}
