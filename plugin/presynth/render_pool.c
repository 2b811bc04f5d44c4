/* The render pool: the calling worker thread and its helpers take the groups
   of a batch one at a time until all are rendered. A group is entries of one
   bus graph, which synth_render_voices renders together (in SIMD lanes when
   the graph is a chain); the batch is sorted by graph and length to make
   them. Every field of the batch is read and written under the lock, and the
   caller returns only when every group taken has been stored, so no helper
   touches a batch once presynth_render_batch has returned: a helper that
   wakes late finds next == group_count and takes nothing. */
#include "render_pool.h"

#include <assert.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef __GLIBC__
#include <malloc.h>
#endif

/* Freed buffers kept for the next renders: a reused buffer's pages are
   already mapped, where a fresh one faults in each page at its first write
   (and glibc hands big blocks back to the kernel at free). Bounded in count
   and bytes, so resident memory stays within the cache's cap plus this. */
#define SPARE_MAX 256
/* Entries rendered together: a few SIMD groups of one graph, small enough
   that two threads share a batch evenly. */
#define GROUP_MAX 16
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
  uint32_t order[PRESYNTH_BATCH_MAX];           /* the batch's entries, grouped by graph */
  uint32_t group_start[PRESYNTH_BATCH_MAX + 1]; /* group g is order[group_start[g] ..
                                                    group_start[g + 1]) */
  uint32_t group_count;
  uint32_t next;           /* the next group to take */
  uint32_t done;           /* groups rendered and stored; a batch ends at done == group_count */
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

/* A buffer for a voice of `bytes`: a spare, or a new one. */
static float *new_buffer(presynth_pool *pool, size_t bytes) {
  float *samples = take_spare(pool, bytes);
  return samples ? samples : malloc(bytes);
}

/* Renders `count` entries of one graph into new buffers (NULL when out of
   memory; that entry is not rendered). */
static void render_group(presynth_pool *pool, const presynth_entry *const *group, float **buffers,
                         uint32_t count) {
  const synth_voice *voices[GROUP_MAX];
  float *outs[GROUP_MAX];
  uint32_t rendered = 0;
  for (uint32_t i = 0; i < count; ++i) {
    buffers[i] = new_buffer(pool, presynth_buffer_bytes(&group[i]->voice) + sizeof(float));
    if (buffers[i]) {
      voices[rendered] = &group[i]->voice;
      outs[rendered++] = buffers[i];
    }
  }
  synth_render_voices(&group[0]->bus, voices, outs, rendered);
}

/* Orders the batch so that entries of one graph, shortest first, are
   neighbours (by a hash of the graph, then its bytes), and cuts it into
   groups of at most GROUP_MAX of one graph. */
typedef struct {
  uint64_t graph_hash;
  uint32_t frames;
  uint32_t index;
} batch_place;

static int by_graph_then_length(const void *a, const void *b) {
  const batch_place *x = a, *y = b;
  if (x->graph_hash != y->graph_hash)
    return x->graph_hash < y->graph_hash ? -1 : 1;
  if (x->frames != y->frames)
    return x->frames < y->frames ? -1 : 1;
  return (x->index > y->index) - (x->index < y->index);
}

static void make_groups(presynth_pool *pool, const presynth_entry *const *entries, uint32_t count) {
  batch_place places[PRESYNTH_BATCH_MAX];
  for (uint32_t i = 0; i < count; ++i)
    places[i] =
        (batch_place){presynth_bus_hash(&entries[i]->bus), entries[i]->voice.total_frames, i};
  qsort(places, count, sizeof places[0], by_graph_then_length);
  pool->group_count = 0;
  for (uint32_t i = 0; i < count; ++i) {
    pool->order[i] = places[i].index;
    const uint32_t first = pool->group_count ? pool->group_start[pool->group_count - 1] : 0;
    const bool joins = pool->group_count > 0 && i - first < GROUP_MAX &&
                       places[i].graph_hash == places[first].graph_hash &&
                       memcmp(&entries[places[i].index]->bus, &entries[places[first].index]->bus,
                              sizeof(synth_bus)) == 0;
    if (!joins)
      pool->group_start[pool->group_count++] = i;
  }
  pool->group_start[pool->group_count] = count;
}

/* Renders group g of the batch and stores its buffers. */
static void render_group_of_batch(presynth_pool *pool, uint32_t g) {
  const presynth_entry *group[GROUP_MAX];
  float *buffers[GROUP_MAX];
  const uint32_t first = pool->group_start[g], count = pool->group_start[g + 1] - first;
  for (uint32_t i = 0; i < count; ++i)
    group[i] = pool->entries[pool->order[first + i]];
  render_group(pool, group, buffers, count);
  for (uint32_t i = 0; i < count; ++i)
    pool->buffers[pool->order[first + i]] = buffers[i];
}

/* Takes and renders groups while any is left; called and returns with the
   lock held, renders without it. The batch cannot end while a group taken
   here is not stored, so the batch's arrays stay valid. */
static void take_work(presynth_pool *pool) {
  while (pool->next < pool->group_count) {
    uint32_t g = pool->next++;
    pthread_mutex_unlock(&pool->lock);
    render_group_of_batch(pool, g);
    pthread_mutex_lock(&pool->lock);
    if (++pool->done == pool->group_count)
      pthread_cond_signal(&pool->finished);
  }
}

static void *helper_main(void *arg) {
  presynth_pool *pool = arg;
  pthread_mutex_lock(&pool->lock);
  while (!pool->stopping) {
    if (pool->next < pool->group_count)
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
  if (!pool) { /* out of memory at the start: one at a time */
    for (uint32_t i = 0; i < count; ++i)
      render_group(NULL, &entries[i], &buffers[i], 1);
    return;
  }
  if (count > PRESYNTH_BATCH_MAX) { /* never, from the worker: a batch is one message */
    presynth_render_batch(pool, entries, buffers, PRESYNTH_BATCH_MAX);
    presynth_render_batch(pool, entries + PRESYNTH_BATCH_MAX, buffers + PRESYNTH_BATCH_MAX,
                          count - PRESYNTH_BATCH_MAX);
    return;
  }
  pthread_mutex_lock(&pool->lock);
  assert(pool->next == pool->group_count && pool->done == pool->group_count); /* no batch open */
  pool->entries = entries;
  pool->buffers = buffers;
  make_groups(pool, entries, count);
  pool->next = 0;
  pool->done = 0;
  if (pool->thread_count > 0 && pool->group_count > 1)
    pthread_cond_broadcast(&pool->wake);
  take_work(pool);
  while (pool->done < pool->group_count)
    pthread_cond_wait(&pool->finished, &pool->lock);
  /* Every group taken is stored: no helper holds anything of this batch. */
  pool->entries = NULL;
  pool->buffers = NULL;
  pthread_mutex_unlock(&pool->lock);
}
