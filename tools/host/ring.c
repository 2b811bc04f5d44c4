/* The SPSC ring: indices grow freely and are masked on access. */
#include "ring.h"

#include <stdlib.h>
#include <string.h>

bool cb_ring_init(cb_ring *ring, uint32_t size) {
  ring->bytes = malloc(size);
  ring->size = size;
  atomic_init(&ring->read, 0);
  atomic_init(&ring->write, 0);
  return ring->bytes != NULL;
}

void cb_ring_destroy(cb_ring *ring) {
  free(ring->bytes);
  ring->bytes = NULL;
}

static void copy_in(cb_ring *ring, uint32_t at, const void *data, uint32_t length) {
  uint32_t offset = at & (ring->size - 1);
  uint32_t first = ring->size - offset < length ? ring->size - offset : length;
  memcpy(ring->bytes + offset, data, first);
  memcpy(ring->bytes, (const uint8_t *)data + first, length - first);
}

static void copy_out(const cb_ring *ring, uint32_t at, void *data, uint32_t length) {
  uint32_t offset = at & (ring->size - 1);
  uint32_t first = ring->size - offset < length ? ring->size - offset : length;
  memcpy(data, ring->bytes + offset, first);
  memcpy((uint8_t *)data + first, ring->bytes, length - first);
}

bool cb_ring_push(cb_ring *ring, const void *message, uint32_t length) {
  uint32_t write = atomic_load_explicit(&ring->write, memory_order_relaxed);
  uint32_t read = atomic_load_explicit(&ring->read, memory_order_acquire);
  if (ring->size - (write - read) < length + sizeof length)
    return false;
  copy_in(ring, write, &length, sizeof length);
  copy_in(ring, write + (uint32_t)sizeof length, message, length);
  atomic_store_explicit(&ring->write, write + (uint32_t)sizeof length + length,
                        memory_order_release);
  return true;
}

uint32_t cb_ring_peek(cb_ring *ring) {
  uint32_t read = atomic_load_explicit(&ring->read, memory_order_relaxed);
  uint32_t write = atomic_load_explicit(&ring->write, memory_order_acquire);
  if (write == read)
    return 0;
  uint32_t length;
  copy_out(ring, read, &length, sizeof length);
  return length;
}

void cb_ring_pop(cb_ring *ring, void *out, uint32_t length) {
  uint32_t read = atomic_load_explicit(&ring->read, memory_order_relaxed);
  copy_out(ring, read + (uint32_t)sizeof length, out, length);
  atomic_store_explicit(&ring->read, read + (uint32_t)sizeof length + length, memory_order_release);
}
