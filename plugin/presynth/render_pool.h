/* Rendering a batch of requested buffers on the worker, optionally spread
   over a small pool of extra threads. Worker thread only: allocates, locks. */
#ifndef CYCLEBUS_RENDER_POOL_H
#define CYCLEBUS_RENDER_POOL_H

#include <stdbool.h>
#include <stdint.h>

#include "presynth.h"

typedef struct presynth_pool presynth_pool;

/* `extra_threads` helpers beside the calling thread; 0 gives a pool that
   renders on the caller alone. NULL when out of memory. */
presynth_pool *presynth_pool_new(int extra_threads);
void presynth_pool_free(presynth_pool *pool);

/* The number of helper threads a machine should use: cores - 1. */
int presynth_pool_default_threads(void);

/* buffers[i] = a new buffer of entries[i]'s voice, rendered with
   synth_render (NULL when out of memory). Returns when all are done. */
void presynth_render_batch(presynth_pool *pool, const presynth_entry *const *entries,
                           float **buffers, uint32_t count);

/* A buffer the cache let go of (malloc'd, as the pool's are): kept for a
   later render of about its size (true), or left to the caller to free
   (false: the spares are full, or the allocator cannot tell its size). */
bool presynth_pool_recycle(presynth_pool *pool, float *buffer);

#endif
