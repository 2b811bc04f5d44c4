/* The render pool: the calling worker thread and its helpers take entries
   from a shared counter until the batch is done. */
#include "render_pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

struct presynth_pool {
  int thread_count;
  pthread_t *threads;
  pthread_mutex_t lock;
  pthread_cond_t wake, finished;
  bool stopping;
  uint64_t batch_serial; /* bumped for each batch, so helpers see new work */
  /* The batch in progress. */
  const presynth_entry *const *entries;
  float **buffers;
  uint32_t count;
  atomic_uint next;
  atomic_uint done;
};

static float *render_one(const presynth_entry *e) {
  float *samples = malloc(presynth_buffer_bytes(&e->voice) + sizeof(float));
  if (!samples)
    return NULL;
  synth_state state;
  synth_start(&state, &e->bus, &e->voice);
  synth_render(&state, &e->bus, &e->voice, samples, e->voice.total_frames);
  return samples;
}

static void take_work(presynth_pool *pool) {
  uint32_t i;
  while ((i = atomic_fetch_add(&pool->next, 1)) < pool->count) {
    pool->buffers[i] = render_one(pool->entries[i]);
    if (atomic_fetch_add(&pool->done, 1) + 1 == pool->count) {
      pthread_mutex_lock(&pool->lock);
      pthread_cond_broadcast(&pool->finished);
      pthread_mutex_unlock(&pool->lock);
    }
  }
}

static void *helper_main(void *arg) {
  presynth_pool *pool = arg;
  uint64_t seen = 0;
  pthread_mutex_lock(&pool->lock);
  while (!pool->stopping) {
    if (pool->batch_serial == seen) {
      pthread_cond_wait(&pool->wake, &pool->lock);
      continue;
    }
    seen = pool->batch_serial;
    pthread_mutex_unlock(&pool->lock);
    take_work(pool);
    pthread_mutex_lock(&pool->lock);
  }
  pthread_mutex_unlock(&pool->lock);
  return NULL;
}

presynth_pool *presynth_pool_new(int extra_threads) {
  presynth_pool *pool = calloc(1, sizeof *pool);
  if (!pool)
    return NULL;
  pthread_mutex_init(&pool->lock, NULL);
  pthread_cond_init(&pool->wake, NULL);
  pthread_cond_init(&pool->finished, NULL);
  pool->threads = calloc((size_t)(extra_threads > 0 ? extra_threads : 1), sizeof(pthread_t));
  for (int i = 0; pool->threads && i < extra_threads; ++i) {
    if (pthread_create(&pool->threads[i], NULL, helper_main, pool) != 0)
      break;
    pool->thread_count++;
  }
  return pool;
}

void presynth_pool_free(presynth_pool *pool) {
  if (!pool)
    return;
  pthread_mutex_lock(&pool->lock);
  pool->stopping = true;
  pthread_cond_broadcast(&pool->wake);
  pthread_mutex_unlock(&pool->lock);
  for (int i = 0; i < pool->thread_count; ++i)
    pthread_join(pool->threads[i], NULL);
  pthread_mutex_destroy(&pool->lock);
  pthread_cond_destroy(&pool->wake);
  pthread_cond_destroy(&pool->finished);
  free(pool->threads);
  free(pool);
}

int presynth_pool_default_threads(void) {
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  return cores > 1 ? (int)cores - 1 : 0;
}

void presynth_render_batch(presynth_pool *pool, const presynth_entry *const *entries,
                           float **buffers, uint32_t count) {
  if (count == 0)
    return;
  if (!pool || pool->thread_count == 0 || count == 1) {
    for (uint32_t i = 0; i < count; ++i)
      buffers[i] = render_one(entries[i]);
    return;
  }
  pthread_mutex_lock(&pool->lock);
  pool->entries = entries;
  pool->buffers = buffers;
  pool->count = count;
  atomic_store(&pool->next, 0);
  atomic_store(&pool->done, 0);
  pool->batch_serial++;
  pthread_cond_broadcast(&pool->wake);
  pthread_mutex_unlock(&pool->lock);
  take_work(pool);
  pthread_mutex_lock(&pool->lock);
  while (atomic_load(&pool->done) < count)
    pthread_cond_wait(&pool->finished, &pool->lock);
  pthread_mutex_unlock(&pool->lock);
}
