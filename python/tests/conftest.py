"""Shared helpers for the edgelite Python tests.

The corpus (models, goldens, images, labels) lives in ../shared beside the
checkout; EDGELITE_SHARED overrides the location. Tests needing it skip when
it is absent.
"""

import json
import os
from pathlib import Path

import numpy as np
import pytest

_HERE = Path(__file__).resolve().parent
SHARED = Path(os.environ.get("EDGELITE_SHARED", _HERE.parents[2] / "shared"))

# The runtime's float bound against TensorFlow Lite (tests/models_test.cc):
# max|ours - golden| <= 1e-4 * max(1, max|golden|) per output; integers exact.
FLOAT_TOLERANCE = 1e-4


def shared_path(*parts: str) -> Path:
    """A file under ../shared, or skip the test if it is not there."""
    p = SHARED.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"{p} not found (set EDGELITE_SHARED to the shared corpus)")
    return p


def model_path(rel: str) -> str:
    return str(shared_path("models", rel))


class Golden:
    """input_N.bin / output_N.bin / meta.json of one model (TFLite's outputs)."""

    def __init__(self, rel: str) -> None:
        self.dir = shared_path("goldens", rel)
        self.meta = json.loads((self.dir / "meta.json").read_text())

    def input(self, k: int) -> np.ndarray:
        m = self.meta["inputs"][k]
        return np.fromfile(self.dir / f"input_{k}.bin", dtype=np.dtype(m["dtype"])).reshape(
            m["shape"])

    def output(self, k: int) -> np.ndarray:
        m = self.meta["outputs"][k]
        return np.fromfile(self.dir / f"output_{k}.bin", dtype=np.dtype(m["dtype"])).reshape(
            m["shape"])


def assert_matches_golden(ours: np.ndarray, golden: np.ndarray) -> float:
    """Asserts the runtime's bound; returns the max error relative to the
    output's scale (max|ours-golden| / max|golden|)."""
    assert ours.dtype == golden.dtype
    assert ours.shape == golden.shape
    if ours.dtype.kind == "f":
        if ours.size == 0:
            return 0.0
        finite = np.isfinite(golden)
        np.testing.assert_array_equal(np.isfinite(ours), finite)
        err = float(np.max(np.abs(ours[finite].astype(np.float64) - golden[finite]), initial=0))
        scale = float(np.max(np.abs(golden[finite]), initial=0))
        assert err <= FLOAT_TOLERANCE * max(1.0, scale), f"max abs err {err}, scale {scale}"
        return err / scale if scale > 0 else err
    np.testing.assert_array_equal(ours, golden)
    return 0.0


def skip_if_unsupported(exc: Exception) -> None:
    """Ops or types edgelite does not implement yet (quantized kernels are
    being added): the runtime says 'unsupported: ...'. Skip, not fail."""
    if "unsupported:" in str(exc):
        pytest.skip(str(exc).splitlines()[0][:200])
    raise exc
