/* A single-producer single-consumer byte ring of length-prefixed messages,
   lock-free, for the host's worker queues. */
#ifndef CYCLEBUS_HOST_RING_H
#define CYCLEBUS_HOST_RING_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct {
  uint8_t *bytes;
  uint32_t size; /* a power of two */
  atomic_uint read;
  atomic_uint write;
} cb_ring;

bool cb_ring_init(cb_ring *ring, uint32_t size);
void cb_ring_destroy(cb_ring *ring);
/* False when the message does not fit (the caller reports NO_SPACE). */
bool cb_ring_push(cb_ring *ring, const void *message, uint32_t length);
/* Length of the next message, or 0 when empty; then cb_ring_pop copies it. */
uint32_t cb_ring_peek(cb_ring *ring);
void cb_ring_pop(cb_ring *ring, void *out, uint32_t length);

#endif
