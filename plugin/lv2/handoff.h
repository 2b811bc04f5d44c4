/* What one thread handed to the other in a worker message that was never
   delivered. A host may drop the messages still queued when it closes an
   instance (jalv does; so does our own host when it frees a plugin), and
   each such message may own a program or buffers. The sender logs every
   pointer it sent with the message's number; the receiver publishes the
   number of the last message it took; cleanup() frees what was sent and
   never taken. Messages are delivered in order, so one number says it all. */
#ifndef CYCLEBUS_HANDOFF_H
#define CYCLEBUS_HANDOFF_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#define CB_HANDOFF_ITEMS 4096 /* pointers remembered; 17 full render answers */

typedef enum { CB_OWNED_BUFFER, CB_OWNED_PROGRAM } cb_owned_kind;

typedef struct {
  uint32_t sequence; /* the message that carried it */
  uint32_t kind;     /* cb_owned_kind */
  void *pointer;
} cb_handoff_item;

/* Owner: the sending thread, except `taken` (written by the receiver) and
   cleanup(), which runs when neither thread does. */
typedef struct {
  cb_handoff_item items[CB_HANDOFF_ITEMS]; /* a ring, oldest overwritten */
  uint32_t write;
  uint32_t sent;        /* number of the last message sent */
  atomic_uint taken;    /* number of the last message the receiver took */
  uint64_t overwritten; /* pointers forgotten while perhaps still in flight */
} cb_handoff;

/* The number to give the next message (sender). */
static inline uint32_t cb_handoff_next(const cb_handoff *h) { return h->sent + 1; }

/* Message `sequence` went out (sender, once the send succeeded) ... */
static inline void cb_handoff_sent(cb_handoff *h, uint32_t sequence) { h->sent = sequence; }
/* ... carrying `pointer` (NULL is skipped). */
void cb_handoff_log(cb_handoff *h, uint32_t sequence, cb_owned_kind kind, void *pointer);

/* The receiver took message `sequence`. */
static inline void cb_handoff_taken(cb_handoff *h, uint32_t sequence) {
  atomic_store_explicit(&h->taken, sequence, memory_order_release);
}

/* cleanup(): frees every pointer sent in a message never taken. */
typedef void cb_free_program_fn(void *program);
void cb_handoff_free_untaken(cb_handoff *h, cb_free_program_fn *free_program);

#endif
