/* The sample player node: reads one channel of a loaded file (already at the
   session rate) at a speed that may accelerate, over a segment of it, once
   or looping, with SuperDirt's short fades. The position is a double carried
   from frame to frame and the speed is computed from the absolute frame, so
   any split of the frames gives the same output. */
#include "synth_private.h"

#define FADE_SECONDS 0.001         /* SuperDirt's fadeTime */
#define FADE_MOST_OF_VOICE 0.19098 /* ... at most this share of the voice */

/* The file's value at integer frame `index`, clamped into the file. */
static inline float frame_at(const sample_data *sample, int64_t index, uint32_t channel) {
  if (index < 0)
    index = 0;
  if (index >= (int64_t)sample->frame_count)
    index = (int64_t)sample->frame_count - 1;
  return sample->frames[(size_t)index * sample->channels + channel];
}

/* Catmull-Rom between frames: exact at integer positions. */
static inline float read_at(const sample_data *sample, double position, uint32_t channel) {
  const double whole = floor(position);
  const int64_t index = (int64_t)whole;
  const float y1 = frame_at(sample, index, channel);
  const float f = (float)(position - whole);
  if (f == 0.0f)
    return y1;
  const float y0 = frame_at(sample, index - 1, channel);
  const float y2 = frame_at(sample, index + 1, channel);
  const float y3 = frame_at(sample, index + 2, channel);
  const float c1 = 0.5f * (y2 - y0);
  const float c2 = y0 - 2.5f * y1 + 2.0f * y2 - 0.5f * y3;
  const float c3 = 0.5f * (y3 - y0) + 1.5f * (y1 - y2);
  return ((c3 * f + c2) * f + c1) * f + y1;
}

static void latch(synth_node_state *node, const synth_block_input *inputs, const synth_voice *voice,
                  float sample_rate) {
  const double count = (double)voice->sample->frame_count;
  double begin = inputs[2].values[0], end = inputs[3].values[0];
  if (end < begin) {
    const double swap = begin;
    begin = end;
    end = swap;
  }
  node->segment_begin = floor(begin * count + 0.5);
  node->segment_end = floor(end * count + 0.5);
  node->looping = inputs[4].values[0] > 0.0f;
  /* forward from the segment's first frame, backward from its last */
  node->phase = inputs[0].values[0] < 0.0f ? node->segment_end - 1.0 : node->segment_begin;
  node->silent = node->segment_end - node->segment_begin < 1.0;
  double fade = floor(FADE_SECONDS * sample_rate + 0.5);
  const double most = floor(FADE_MOST_OF_VOICE * (double)voice->total_frames);
  node->fade_frames = (uint32_t)(fade < most ? fade : most);
}

/* The fade at frame t of the voice: in from 0 when the segment does not
   start the file, out to the voice's end. */
static inline float fade_at(const synth_node_state *node, const synth_voice *voice, double t) {
  const double frames = (double)node->fade_frames;
  if (frames <= 0.0)
    return 1.0f;
  double level = 1.0;
  if (node->segment_begin > 0.0 && t < frames)
    level = t / frames;
  const double left = (double)voice->total_frames - t;
  if (left < frames && left / frames < level)
    level = left / frames;
  return (float)level;
}

void synth_sample_block(synth_node_state *node, const synth_block_input *inputs,
                        const synth_voice *voice, uint32_t channel, float sample_rate,
                        uint32_t frame, float *out, int n) {
  const sample_data *sample = voice->sample;
  if (!sample || !sample->frames || sample->frame_count == 0 || sample->channels == 0) {
    for (int i = 0; i < n; i++)
      out[i] = 0.0f;
    return;
  }
  if (channel >= sample->channels)
    channel = sample->channels - 1;
  if (frame == 0)
    latch(node, inputs, voice, sample_rate);
  const double begin = node->segment_begin, end = node->segment_end, length = end - begin;
  const double seconds_per_frame = 1.0 / (double)sample_rate;
  for (int i = 0; i < n; i++) {
    if (node->silent) {
      out[i] = 0.0f;
      continue;
    }
    const double t = (double)frame + (double)i;
    out[i] = read_at(sample, node->phase, channel) * fade_at(node, voice, t);
    const double speed =
        (double)inputs[0].values[i] + (double)inputs[1].values[i] * t * seconds_per_frame;
    double position = node->phase + speed;
    if (position >= end || position < begin) {
      if (!node->looping) {
        node->silent = 1;
      } else {
        position = fmod(position - begin, length);
        position = begin + (position < 0.0 ? position + length : position);
      }
    }
    node->phase = position;
  }
}
