"""fixnn.profiling.numerical: matplotlib figures of weights and activations per layer."""

import sys

import numpy as np
import pytest

import fixnn
from conftest import KERAS, fixture


def test_numerical_figures():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    keras = pytest.importorskip("keras")
    path = fixture("k3_cnn2d_classifier", "model.keras")
    model = keras.models.load_model(path)
    hls_model = fixnn.converters.convert_from_keras_model(model)
    X = np.load(KERAS / "k3_cnn2d_classifier" / "input.npy")[:16]
    wp, wph, ap, aph = fixnn.profiling.numerical(model=model, hls_model=hls_model, X=X)
    for fig in (wp, wph, ap, aph):
        assert isinstance(fig, matplotlib.figure.Figure)
    # One box per weight (c1, c2, d1, head: kernel and bias) and per traced layer.
    assert len(wph.axes[0].get_yticklabels()) == 8
    assert [t.get_text() for t in wph.axes[0].get_yticklabels()][:2] == ["c1/kernel", "c1/bias"]
    assert len(aph.axes[0].get_yticklabels()) == len(hls_model.trace(X)[1])
    # Each weight's type range is drawn behind its box.
    assert len(wph.axes[0].patches) == 8
    # Only what the inputs allow.
    assert fixnn.profiling.numerical(hls_model=hls_model)[::2] == (None, None)
    matplotlib.pyplot.close("all")


def test_numerical_without_matplotlib(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    hls_model = fixnn.converters.convert_from_keras_model(fixture("qk_jet_tagging_mlp"))
    with pytest.raises(ImportError, match="matplotlib"):
        fixnn.profiling.numerical(hls_model=hls_model)
