/* The pat_store: a chunked arena owning every node and string of the
   patterns built in it (worker thread), freed all at once. */
#include <stdlib.h>
#include <string.h>

#include "pattern/pat_internal.h"

#define STORE_CHUNK 16384

typedef struct store_chunk {
  struct store_chunk *next;
  size_t size;
  size_t used;
  max_align_t align_payload[];
} store_chunk;

struct pat_store {
  store_chunk *chunks;
};

pat_store *pat_store_new(void) { return calloc(1, sizeof(pat_store)); }

void pat_store_free(pat_store *store) {
  if (!store)
    return;
  store_chunk *c = store->chunks;
  while (c) {
    store_chunk *next = c->next;
    free(c);
    c = next;
  }
  free(store);
}

void *pat_store_alloc(pat_store *store, size_t size) {
  const size_t align = sizeof(max_align_t);
  size = (size + align - 1) / align * align;
  store_chunk *c = store->chunks;
  if (!c || c->size - c->used < size) {
    size_t payload = size > STORE_CHUNK ? size : STORE_CHUNK;
    c = malloc(sizeof(store_chunk) + payload);
    if (!c)
      return NULL;
    c->size = payload;
    c->used = 0;
    c->next = store->chunks;
    store->chunks = c;
  }
  void *p = (unsigned char *)c->align_payload + c->used;
  c->used += size;
  memset(p, 0, size);
  return p;
}

const char *pat_store_strdup(pat_store *store, const char *text, size_t length) {
  char *s = pat_store_alloc(store, length + 1);
  if (!s)
    return NULL;
  memcpy(s, text, length);
  s[length] = '\0';
  return s;
}

pat_pattern *pat_node_new(pat_store *store, pat_node_kind kind) {
  pat_pattern *n = pat_store_alloc(store, sizeof(pat_pattern));
  if (!n)
    return NULL;
  n->kind = kind;
  n->weight = pat_rat_int(1);
  n->begin = pat_rat_int(0);
  n->end = pat_rat_int(1);
  n->seed_shift = pat_rat_int(0);
  return n;
}

bool pat_node_set_kids(pat_store *store, pat_pattern *node, const pat_pattern *const *kids,
                       size_t count) {
  const pat_pattern **copy = pat_store_alloc(store, (count ? count : 1) * sizeof(*copy));
  if (!copy)
    return false;
  for (size_t i = 0; i < count; i++) {
    copy[i] = kids[i];
    node->has_combine = node->has_combine || (kids[i] && kids[i]->has_combine);
  }
  node->kids = copy;
  node->kid_count = count;
  return true;
}

pat_pattern *pat_node_make(pat_store *store, pat_node_kind kind, const pat_pattern *const *kids,
                           size_t count) {
  if (!store)
    return NULL;
  for (size_t i = 0; i < count; i++)
    if (!kids[i])
      return NULL;
  pat_pattern *n = pat_node_new(store, kind);
  if (!n || !pat_node_set_kids(store, n, kids, count))
    return NULL;
  return n;
}

pat_pattern *pat_node_make_args(pat_store *store, pat_node_kind kind,
                                const pat_pattern *const *kids, size_t count,
                                const pat_pattern *const *args, int arg_count) {
  for (int i = 0; i < arg_count; i++)
    if (!args[i])
      return NULL;
  pat_pattern *n = pat_node_make(store, kind, kids, count);
  if (n)
    pat_node_set_args(n, args, arg_count);
  return n;
}

void pat_node_set_args(pat_pattern *node, const pat_pattern *const *args, int count) {
  node->arg_count = count;
  node->args_pure = true;
  for (int i = 0; i < count; i++) {
    node->args[i] = args[i];
    node->has_combine = node->has_combine || args[i]->has_combine;
    if (args[i]->kind != PN_PURE)
      node->args_pure = false;
  }
  node->has_arg_time = false;
  if ((node->kind == PN_FAST || node->kind == PN_EARLY) && count > 0 && args[0]->kind == PN_PURE &&
      args[0]->value.kind == PAT_VALUE_NUMBER)
    node->has_arg_time = pat_rat_from_double(args[0]->value.number, &node->arg_time);
}
