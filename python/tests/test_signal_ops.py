"""The TFLM audio front end (Signal* custom ops) in the float variant of the
micro_speech preprocessor: no published expected output exists for it, so it
is checked for consistency with the int8 variant, which test_expectations.py
checks byte-exact against TFLM.

Both graphs share every op up to SignalFilterBankLog (int16 log-mel values L);
the float graph then outputs L * 0.0390625 (1/25.6) and the int8 graph
clip(trunc((L * 256 + 333) / 666) - 128, -128, 127) (constants read from the
model). So over 49 successive frames of each 1000 ms clip (noise state carried
across invokes in both interpreters), the float output must be an exact
multiple of its scale, and mapping it through the int8 tail must give the int8
model's output exactly.
"""

import wave

import numpy as np
import pytest
from conftest import model_path, shared_path

from edgelite.interpreter import Interpreter

DIR = "tflm/micro_speech"


def read_wav_int16(name):
    with wave.open(str(shared_path("models", DIR, "testdata", name)), "rb") as w:
        assert w.getsampwidth() == 2 and w.getnchannels() == 1
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")


def tensor_by_name(it, name):
    for d in it.get_tensor_details():
        if d["name"] == name:
            return it.get_tensor(d["index"])
    raise KeyError(name)


@pytest.mark.parametrize("clip", ["yes", "no", "silence", "noise"])
def test_float_preprocessor_matches_int8(clip):
    f = Interpreter(model_path=model_path(f"{DIR}/audio_preprocessor_float.tflite"))
    q = Interpreter(model_path=model_path(f"{DIR}/audio_preprocessor_int8.tflite"))
    f.allocate_tensors()
    q.allocate_tensors()
    scale = float(tensor_by_name(f, "truediv;truediv/y"))
    mul, add, div, zp = (int(tensor_by_name(q, n)) for n in ("Const1", "Cast_3", "Const_1",
                                                              "Const_2"))
    assert scale == 0.0390625 and (mul, add, div, zp) == (256, 333, 666, -128)
    audio = read_wav_int16(f"{clip}_1000ms.wav")
    worst = 0
    for i in range(49):
        frame = audio[i * 320:i * 320 + 480].reshape(1, 480)
        for it in (f, q):
            it.set_tensor(it.get_input_details()[0]["index"], frame)
            it.invoke()
        yf = f.get_tensor(f.get_output_details()[0]["index"]).astype(np.float64)
        yq = q.get_tensor(q.get_output_details()[0]["index"]).astype(np.int64)
        log = np.round(yf / scale)
        assert np.array_equal(log * scale, yf), f"frame {i}: float output is not a multiple"
        assert log.min() >= 0 and log.max() <= 32767
        pred = np.clip(np.trunc((log * mul + add) / div) + zp, -128, 127).astype(np.int64)
        worst = max(worst, int(np.abs(pred - yq).max()))
        assert np.array_equal(pred, yq), f"frame {i}: {np.flatnonzero(pred != yq)}"
    print(f"{clip}: 49 frames, float and int8 front ends agree (max diff {worst})")


def test_noise_state_reset():
    """The spectral-subtraction noise estimate persists across invokes (TFLM
    semantics) and reset_all_variables() restores the initial state."""
    it = Interpreter(model_path=model_path(f"{DIR}/audio_preprocessor_int8.tflite"))
    it.allocate_tensors()
    audio = read_wav_int16("yes_1000ms.wav")
    idx_in = it.get_input_details()[0]["index"]
    idx_out = it.get_output_details()[0]["index"]

    def run(frame):
        it.set_tensor(idx_in, audio[frame * 320:frame * 320 + 480].reshape(1, 480))
        it.invoke()
        return it.get_tensor(idx_out).copy()

    first = run(20)
    again = run(20)  # same audio, but the noise estimate has moved
    assert not np.array_equal(first, again)
    it.reset_all_variables()
    assert np.array_equal(run(20), first)
