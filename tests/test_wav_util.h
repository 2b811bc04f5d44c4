/* Shared by the tests that play sample files they write themselves. */
#ifndef CYCLEBUS_TEST_WAV_UTIL_H
#define CYCLEBUS_TEST_WAV_UTIL_H

#include <check.h>
#include <sndfile.h>
#include <stdio.h>

/* Opens FOLDER/NAME.wav for writing: a WAV file of `channels` at `rate`,
   its samples in `format` (SF_FORMAT_PCM_16, SF_FORMAT_FLOAT...). */
static inline SNDFILE *open_test_wav(const char *folder, const char *name, int rate, int channels,
                                     int format) {
  char path[4200];
  snprintf(path, sizeof path, "%s/%s.wav", folder, name);
  SF_INFO info = {.samplerate = rate, .channels = channels, .format = SF_FORMAT_WAV | format};
  SNDFILE *file = sf_open(path, SFM_WRITE, &info);
  ck_assert_ptr_nonnull(file);
  return file;
}

/* Writes FOLDER/NAME.wav: `frames` frames of 16-bit PCM at `rate`, of one or
   two channels, a loud repeating ramp (what is in it does not matter, only
   that it is not silence). */
static inline void write_test_wav(const char *folder, const char *name, int rate, int channels,
                                  int frames) {
  ck_assert(channels == 1 || channels == 2);
  SNDFILE *file = open_test_wav(folder, name, rate, channels, SF_FORMAT_PCM_16);
  short chunk[2 * 1000];
  for (int done = 0; done < frames; done += 1000) {
    const int count = frames - done < 1000 ? frames - done : 1000;
    for (int i = 0; i < count * channels; ++i)
      chunk[i] = (short)(((done * channels + i) * 37) % 20000 - 10000);
    sf_writef_short(file, chunk, count);
  }
  sf_close(file);
}

#endif
