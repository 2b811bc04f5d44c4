#!/usr/bin/env python3
"""Writes the reference workload of bench_engines.sh for each engine from one
event list: LAYERS layers of saw -> low-pass 2000 Hz -> envelope voices, 8
notes a cycle at 120 BPM (2 s a cycle), 8 s at
48 kHz, every note a different pitch (so no cache or deduplication helps).

Usage: engines_scores.py DIR LAYERS
Writes DIR/ref.cb (cyclebus), DIR/ref.csd (Csound), DIR/ref.osc (scsynth's
NRT score, the SynthDef sent inside it with /d_recv)."""
import os
import struct
import sys

SECONDS = 8.0
CYCLE = 2.0  # bpm 120: a cycle of 4 beats
STEPS = 8  # notes a cycle, a layer
CYCLES = int(SECONDS / CYCLE)
STEP = CYCLE / STEPS
LEGATO = 0.7
ATTACK, RELEASE = 0.005, 0.05
HOLD = STEP * LEGATO  # the note's length; the voice lasts HOLD + RELEASE
CUTOFF, GAIN = 2000.0, 0.05


def events(layers):
    """(layer, start s, note in semitones from c5) for every note; layer k is
    shifted by k/64 of a step so the layers do not all start together."""
    out = []
    for k in range(layers):
        shift = STEP * k / 64.0
        for j in range(CYCLES * STEPS):
            note = -30.0 + (k * CYCLES * STEPS + j) * 0.0137  # unique, 2048 in 28 semitones
            out.append((k, j * STEP + shift, note))
    return out


def freq(note):
    return 261.6255653005986 * 2.0 ** (note / 12.0)


def write_cb(path, layers):
    lines = ["-- bench_engines' reference workload: %d layers of unique notes" % layers,
             "bpm: 120",
             "~x $ saw # lpf %g # env %g %g" % (CUTOFF, ATTACK, RELEASE)]
    for k in range(layers):
        groups = []
        for c in range(CYCLES):
            notes = [-30.0 + (k * CYCLES * STEPS + c * STEPS + j) * 0.0137 for j in range(STEPS)]
            groups.append("[" + " ".join("%.4f" % n for n in notes) + "]")
        pattern = 's "~x*%d" # note "<%s>" # legato %g # gain %g' % (
            STEPS, " ".join(groups), LEGATO, GAIN)
        layer = "  %.10f ~> (%s)" % (k / 64.0 / STEPS, pattern)
        lines.append(("d1 $ stack [\n" if k == 0 else ",\n") + layer)
    lines.append("\n  ]")  # one output line: a program has at most 16
    with open(path, "w") as f:
        f.write("\n".join(lines[:3]) + "\n" + "".join(lines[3:]) + "\n")


def write_csd(path, layers):
    score = ["i1 %.9f %.9f %.6f %g" % (t, HOLD + RELEASE, freq(round(n, 4)), GAIN)
             for _, t, n in sorted(events(layers), key=lambda e: e[1])]
    with open(path, "w") as f:
        f.write("""<CsoundSynthesizer>
<CsOptions>
-d -m0 --nodisplays -W -f -o %s.wav
</CsOptions>
<CsInstruments>
sr = 48000
ksmps = 64
nchnls = 2
0dbfs = 1
instr 1
  aenv linseg 0, %g, 1, p3 - %g, 1, %g, 0
  asaw vco2 p5, p4
  alp butlp asaw, %g
  aout = alp * aenv
  outs aout, aout
endin
</CsInstruments>
<CsScore>
%s
f0 %g
e
</CsScore>
</CsoundSynthesizer>
""" % (os.path.splitext(path)[0], ATTACK, ATTACK + RELEASE, RELEASE, CUTOFF, "\n".join(score),
       SECONDS))


# --- scsynth: a SynthDef (file format version 2) and an OSC score, big-endian.

def pstring(s):
    b = s.encode()
    return struct.pack(">B", len(b)) + b


def synthdef():
    """Saw.ar(freq) -> LPF.ar(cutoff) * EnvGen.kr(Env.linen(a, sus, r), amp,
    doneAction 2) -> Out.ar(0, [x, x]), as sclang would compile it."""
    constants = [1.0, 0.0, 2.0, 3.0, -99.0, ATTACK, RELEASE]
    c = {v: i for i, v in enumerate(constants)}
    params = [("freq", 440.0), ("cutoff", CUTOFF), ("sus", HOLD - ATTACK), ("amp", GAIN)]
    K = lambda v: (-1, c[v])  # a constant input
    ugens = [  # class, rate (0 ir, 1 kr, 2 ar), inputs, output rates, special index
        ("Control", 1, [], [1] * len(params), 0),
        ("Saw", 2, [(0, 0)], [2], 0),
        ("LPF", 2, [(1, 0), (0, 1)], [2], 0),
        ("EnvGen", 1, [K(1.0), (0, 3), K(0.0), K(1.0), K(2.0),
                       K(0.0), K(3.0), K(-99.0), K(-99.0),
                       K(1.0), K(ATTACK), K(1.0), K(0.0),
                       K(1.0), (0, 2), K(1.0), K(0.0),
                       K(0.0), K(RELEASE), K(1.0), K(0.0)], [1], 0),
        ("BinaryOpUGen", 2, [(2, 0), (3, 0)], [2], 2),  # *
        ("Out", 2, [K(0.0), (4, 0), (4, 0)], [], 0),
    ]
    d = b"SCgf" + struct.pack(">iH", 2, 1) + pstring("cbref")
    d += struct.pack(">i", len(constants)) + b"".join(struct.pack(">f", v) for v in constants)
    d += struct.pack(">i", len(params)) + b"".join(struct.pack(">f", v) for _, v in params)
    d += struct.pack(">i", len(params))
    d += b"".join(pstring(n) + struct.pack(">i", i) for i, (n, _) in enumerate(params))
    d += struct.pack(">i", len(ugens))
    for name, rate, inputs, outputs, special in ugens:
        d += pstring(name) + struct.pack(">biih", rate, len(inputs), len(outputs), special)
        d += b"".join(struct.pack(">ii", u, i) for u, i in inputs)
        d += b"".join(struct.pack(">b", r) for r in outputs)
    return d + struct.pack(">H", 0)


def osc_pad(b):
    return b + b"\0" * (4 - len(b) % 4)


def osc_message(address, *args):
    tags, data = ",", b""
    for a in args:
        if isinstance(a, bytes):
            tags += "b"
            data += struct.pack(">i", len(a)) + a + b"\0" * (-len(a) % 4)
        elif isinstance(a, str):
            tags += "s"
            data += osc_pad(a.encode())
        elif isinstance(a, int):
            tags += "i"
            data += struct.pack(">i", a)
        else:
            tags += "f"
            data += struct.pack(">f", a)
    return osc_pad(address.encode()) + osc_pad(tags.encode()) + data


def osc_bundle(seconds, messages):
    b = b"#bundle\0" + struct.pack(">Q", int(round(seconds * 2 ** 32)))
    b += b"".join(struct.pack(">i", len(m)) + m for m in messages)
    return struct.pack(">i", len(b)) + b


def write_osc(path, layers):
    out = [osc_bundle(0.0, [osc_message("/d_recv", synthdef())])]
    for _, t, n in sorted(events(layers), key=lambda e: e[1]):
        out.append(osc_bundle(t, [osc_message("/s_new", "cbref", -1, 0, 0, "freq",
                                              freq(round(n, 4)), "amp", GAIN)]))
    out.append(osc_bundle(SECONDS, [osc_message("/c_set", 0, 0)]))  # the score's end
    with open(path, "wb") as f:
        f.write(b"".join(out))


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    directory, layers = sys.argv[1], int(sys.argv[2])
    write_cb(os.path.join(directory, "ref.cb"), layers)
    write_csd(os.path.join(directory, "ref.csd"), layers)
    write_osc(os.path.join(directory, "ref.osc"), layers)
    # What the slope divides by: voice-samples of the whole render.
    print(int(round(len(events(layers)) * (HOLD + RELEASE) * 48000)))


if __name__ == "__main__":
    main()
