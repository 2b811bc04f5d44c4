/* Shared by the presynth module's files only: the table operations under
   the public functions, and how a pending entry's claim is encoded. */
#ifndef CYCLEBUS_PRESYNTH_PRIVATE_H
#define CYCLEBUS_PRESYNTH_PRIVATE_H

#include "presynth.h"

/* entries[].claim: 0 when no job may claim the entry, else a ticket (30
   bits, never 0) and the phase of its job. */
enum { CLAIM_LOST = 0, CLAIM_WAITING = 1, CLAIM_COPYING = 2, CLAIM_RENDERING = 3 };
#define CLAIM(ticket, phase) (((ticket) << 2) | (uint32_t)(phase))
#define CLAIM_PHASE(claim) ((claim)&3u)
#define CLAIM_TICKET_MAX (UINT32_MAX >> 2)

/* Entries eviction may examine per block: bounds its cost in run(). */
#define PRESYNTH_EVICT_SCAN_PER_BLOCK 8192
/* Released entries taken, and table entries swept, per block while above
   the soft target (the table of 8192 is swept in 128 blocks). */
#define PRESYNTH_TRIM_SCAN_PER_BLOCK 64

/* Queues an idle entry for the trim (presynth_end_block), oldest first. */
void presynth_push_released(presynth_cache *cache, const presynth_slot *e);
/* Flags an entry reused (counted in reused_bytes). */
void presynth_mark_reused(presynth_cache *cache, presynth_slot *e);
/* Entries examined per block for renders to reclaim. */
#define PRESYNTH_RECLAIM_SCAN_PER_BLOCK 64
#define PRESYNTH_EVICT_WINDOW 64

presynth_slot *presynth_find(presynth_cache *cache, const synth_bus *bus, const synth_voice *voice,
                             uint64_t hash);
/* A PENDING entry for a key not in the table (bytes reserved), or NULL when
   the table is full (counted as dropped). */
presynth_slot *presynth_insert_pending(presynth_cache *cache, const synth_bus *bus,
                                       const synth_voice *voice, uint64_t hash, uint64_t onset);
/* Removes an entry (its bytes are no longer counted; its buffer is the
   caller's business). A PENDING entry must be unclaimed first. */
void presynth_remove(presynth_cache *cache, presynth_slot *e);
/* Ends any claim on a PENDING entry, so it can be removed: false while the
   worker is copying its key. */
bool presynth_unclaim(presynth_slot *e);
/* Evicts the unreferenced READY entry of the next window whose last_used
   lies furthest back (within the block's budget); false when none could be. */
bool presynth_evict_one(presynth_cache *cache);
/* Queues a buffer for the worker to free (or counts it as leaked). */
void presynth_discard(presynth_cache *cache, float *samples);

#endif
