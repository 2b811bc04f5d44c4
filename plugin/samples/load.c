/* Loading one file: libsndfile reads it (WAV, AIFF, FLAC, Ogg, ...), channels
   beyond two are folded onto left and right, and it is resampled to the
   session rate (resample.c). Worker thread. */
#include "samples_private.h"

#include <math.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define READ_FRAMES 4096

/* Channel c of `channels` goes left (even) or right (odd), each side scaled
   by how many channels it sums; one channel stays mono. Values that are not
   finite (a broken float file) become 0. */
static void fold(const float *in, uint32_t frames, uint32_t channels, float *out) {
  uint32_t out_channels = channels < 2 ? channels : 2;
  float left_scale = 1.0f / (float)((channels + 1) / 2),
        right_scale = 1.0f / (float)(channels / 2 ? channels / 2 : 1);
  for (uint32_t f = 0; f < frames; ++f) {
    float sides[2] = {0, 0};
    for (uint32_t c = 0; c < channels; ++c) {
      float value = in[(size_t)f * channels + c];
      sides[c % 2] += isfinite(value) ? value : 0.0f;
    }
    if (out_channels == 1) {
      out[f] = sides[0];
    } else {
      out[(size_t)f * 2] = sides[0] * (channels > 2 ? left_scale : 1.0f);
      out[(size_t)f * 2 + 1] = sides[1] * (channels > 2 ? right_scale : 1.0f);
    }
  }
}

static bool fail(char *message, size_t size, const char *path, const char *why) {
  snprintf(message, size, "sample %s: %s", path, why);
  return false;
}

/* Reads every frame, folded; `*frames` is how many could be read. */
static float *read_folded(SNDFILE *file, const SF_INFO *info, uint32_t out_channels,
                          uint32_t *frames) {
  uint32_t channels = (uint32_t)info->channels;
  float *folded = malloc((size_t)info->frames * out_channels * sizeof *folded);
  float *chunk = malloc((size_t)READ_FRAMES * channels * sizeof *chunk);
  *frames = 0;
  if (!folded || !chunk) {
    free(folded);
    free(chunk);
    return NULL;
  }
  while (*frames < (uint32_t)info->frames) {
    sf_count_t wanted = (sf_count_t)info->frames - *frames;
    sf_count_t got = sf_readf_float(file, chunk, wanted < READ_FRAMES ? wanted : READ_FRAMES);
    if (got <= 0)
      break;
    fold(chunk, (uint32_t)got, channels, folded + (size_t)*frames * out_channels);
    *frames += (uint32_t)got;
  }
  free(chunk);
  if (*frames && *frames < (uint32_t)info->frames) { /* a header that promised more */
    float *shrunk = realloc(folded, (size_t)*frames * out_channels * sizeof *folded);
    folded = shrunk ? shrunk : folded;
  }
  return folded;
}

bool samples_load(const char *path, double rate, samples_room room, void *room_context,
                  samples_audio *out, char *message, size_t message_size) {
  message[0] = '\0';
  struct stat info_file;
  if (stat(path, &info_file) != 0)
    return fail(message, message_size, path, "the file is gone");
  if (!S_ISREG(info_file.st_mode)) /* a FIFO or device would block the worker */
    return fail(message, message_size, path, "not a regular file");
  SF_INFO info = {0};
  SNDFILE *file = sf_open(path, SFM_READ, &info);
  if (!file) {
    char why[SAMPLES_MESSAGE_MAX];
    snprintf(why, sizeof why, "not an audio file cyclebus can read (%s)", sf_strerror(NULL));
    return fail(message, message_size, path, why);
  }
  bool ok = false;
  double ratio = rate / (double)info.samplerate;
  uint32_t channels = info.channels < 2 ? 1 : 2;
  double out_frames = ceil((double)info.frames * (info.samplerate > 0 ? ratio : 0.0));
  double bytes = out_frames * channels * sizeof(float);
  if (info.channels < 1 || info.samplerate < 1 || info.frames <= 0) {
    fail(message, message_size, path, "no audio in the file");
  } else if (out_frames >= (double)UINT32_MAX || info.frames >= (sf_count_t)UINT32_MAX ||
             !room(room_context, (size_t)bytes)) {
    char why[SAMPLES_MESSAGE_MAX];
    snprintf(why, sizeof why,
             "%.1f MB at the session rate does not fit under the sample memory cap",
             bytes / 1048576.0);
    fail(message, message_size, path, why);
  } else {
    uint32_t frames = 0;
    float *folded = read_folded(file, &info, channels, &frames);
    if (!folded) {
      fail(message, message_size, path, "out of memory");
    } else if (!frames) {
      fail(message, message_size, path, "no audio could be read (a damaged file?)");
      free(folded);
    } else {
      if ((sf_count_t)frames < info.frames)
        snprintf(message, message_size, "sample %s: damaged: only %u of %lld frames could be read",
                 path, frames, (long long)info.frames);
      out->channels = channels;
      out->frame_count = frames;
      out->frames = folded;
      if (info.samplerate != (int)rate) {
        out->frames =
            samples_resample(folded, frames, channels, info.samplerate, rate, &out->frame_count);
        free(folded);
      }
      ok = out->frames != NULL;
      if (!ok)
        fail(message, message_size, path, "could not be resampled");
    }
  }
  sf_close(file);
  return ok;
}
