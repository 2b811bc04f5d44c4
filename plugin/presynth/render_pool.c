/* The render pool: the calling worker thread and its helpers take the entries
   of a batch one at a time until all are rendered. Every field of the batch is
   read and written under the lock, and the caller returns only when every
   entry taken has been stored, so no helper touches a batch once
   presynth_render_batch has returned: a helper that wakes late finds
   next == count and takes nothing. */
#include "render_pool.h"

#include <assert.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#ifdef __GLIBC__
#include <malloc.h>
#endif

/* Freed buffers kept for the next renders: a reused buffer's pages are
   already mapped, where a fresh one faults in each page at its first write
   (and glibc hands big blocks back to the kernel at free). Bounded in count
   and bytes, so resident memory stays within the cache's cap plus this. */
#define SPARE_MAX 256
#define SPARE_BYTES ((size_t)16 << 20)

/* Owner: the worker thread, which creates, frees and calls it. The helpers
   read and write the fields under `lock` only while holding it; the entries
   and buffers they point to belong to the caller for one batch. */
struct presynth_pool {
  int thread_count;
  pthread_t *threads;
  pthread_mutex_t lock;
  pthread_cond_t wake;     /* helpers wait here: work to take, or stopping */
  pthread_cond_t finished; /* the caller waits here: done reached count */
  /* Under `lock`: */
  bool stopping;
  const presynth_entry *const *entries; /* the batch in progress (NULL between) */
  float **buffers;
  uint32_t count;
  uint32_t next;           /* the next entry to take */
  uint32_t done;           /* entries rendered and stored; a batch ends at done == count */
  float *spare[SPARE_MAX]; /* freed buffers to reuse, each spare_size[i] bytes usable */
  size_t spare_size[SPARE_MAX];
  uint32_t spare_count;
  size_t spare_bytes;
};

/* A spare buffer of at least `bytes` and at most an eighth more (so the
   cache's count of bytes stays close to what is held), or NULL. */
static float *take_spare(presynth_pool *pool, size_t bytes) {
  if (!pool)
    return NULL;
  float *found = NULL;
  pthread_mutex_lock(&pool->lock);
  for (uint32_t i = 0; i < pool->spare_count; ++i) {
    if (pool->spare_size[i] >= bytes && pool->spare_size[i] <= bytes + bytes / 8 + 64) {
      found = pool->spare[i];
      pool->spare_bytes -= pool->spare_size[i];
      pool->spare_count--;
      pool->spare[i] = pool->spare[pool->spare_count];
      pool->spare_size[i] = pool->spare_size[pool->spare_count];
      break;
    }
  }
  pthread_mutex_unlock(&pool->lock);
  return found;
}

bool presynth_pool_recycle(presynth_pool *pool, float *buffer) {
#ifdef __GLIBC__
  if (!pool || !buffer)
    return false;
  size_t size = malloc_usable_size(buffer);
  bool kept = false;
  pthread_mutex_lock(&pool->lock);
  if (pool->spare_count < SPARE_MAX && pool->spare_bytes + size <= SPARE_BYTES) {
    pool->spare[pool->spare_count] = buffer;
    pool->spare_size[pool->spare_count++] = size;
    pool->spare_bytes += size;
    kept = true;
  }
  pthread_mutex_unlock(&pool->lock);
  return kept;
#else
  (void)pool, (void)buffer;
  return false;
#endif
}

static float *render_one(presynth_pool *pool, const presynth_entry *e) {
  size_t bytes = presynth_buffer_bytes(&e->voice) + sizeof(float);
  float *samples = take_spare(pool, bytes);
  if (!samples)
    samples = malloc(bytes);
  if (!samples)
    return NULL;
  synth_state state;
  for (uint32_t channel = 0; channel < synth_channels(&e->voice); ++channel) {
    synth_start_channel(&state, &e->bus, &e->voice, channel);
    synth_render(&state, &e->bus, &e->voice, samples + (size_t)channel * e->voice.total_frames,
                 e->voice.total_frames);
  }
  return samples;
}

/* Takes and renders entries while any is left; called and returns with the
   lock held, renders without it. The batch cannot end while an entry taken
   here is not stored, so `entry` and pool->buffers stay valid. */
static void take_work(presynth_pool *pool) {
  while (pool->next < pool->count) {
    uint32_t i = pool->next++;
    const presynth_entry *entry = pool->entries[i];
    pthread_mutex_unlock(&pool->lock);
    float *samples = render_one(pool, entry);
    pthread_mutex_lock(&pool->lock);
    pool->buffers[i] = samples;
    if (++pool->done == pool->count)
      pthread_cond_signal(&pool->finished);
  }
}

static void *helper_main(void *arg) {
  presynth_pool *pool = arg;
  pthread_mutex_lock(&pool->lock);
  while (!pool->stopping) {
    if (pool->next < pool->count)
      take_work(pool);
    else
      pthread_cond_wait(&pool->wake, &pool->lock);
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
  for (uint32_t i = 0; i < pool->spare_count; ++i)
    free(pool->spare[i]);
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
      buffers[i] = render_one(pool, entries[i]);
    return;
  }
  pthread_mutex_lock(&pool->lock);
  assert(pool->next == pool->count && pool->done == pool->count); /* no batch open */
  pool->entries = entries;
  pool->buffers = buffers;
  pool->count = count;
  pool->next = 0;
  pool->done = 0;
  pthread_cond_broadcast(&pool->wake);
  take_work(pool);
  while (pool->done < pool->count)
    pthread_cond_wait(&pool->finished, &pool->lock);
  /* Every entry taken is stored: no helper holds anything of this batch. */
  pool->entries = NULL;
  pool->buffers = NULL;
  pthread_mutex_unlock(&pool->lock);
}
