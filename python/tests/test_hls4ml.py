"""A Keras model built here, converted by fixnn and by hls4ml with the same configuration:
in hls4ml-compatible mode fixnn's predict equals hls4ml's (its project built with g++) bit for
bit, as do the traces of the layers both report."""

import numpy as np
import pytest

import fixnn


@pytest.fixture(scope="module")
def small_model():
    keras = pytest.importorskip("keras")
    keras.utils.set_random_seed(7)
    model = keras.Sequential([
        keras.Input((6,), name="x"),
        keras.layers.Dense(8, activation="relu", name="fc1"),
        keras.layers.Dense(3, name="fc2"),
        keras.layers.Activation("sigmoid", name="out"),
    ], name="small")
    X = np.random.default_rng(3).normal(0, 2, (200, 6))
    return model, X


def test_predict_equals_hls4ml(small_model, tmp_path):
    hls4ml = pytest.importorskip("hls4ml")
    model, X = small_model
    config = hls4ml.utils.config_from_keras_model(model, granularity="name", backend="Vitis",
                                                  default_precision="fixed<12,5>")
    config["LayerName"]["fc1"]["Precision"]["weight"] = "fixed<8,2>"
    config["LayerName"]["fc1"]["Trace"] = True
    config["LayerName"]["fc2"]["Trace"] = True
    theirs = hls4ml.converters.convert_from_keras_model(
        model, hls_config=config, output_dir=str(tmp_path / "hls4ml"), backend="Vitis",
        io_type="io_parallel")
    theirs.compile()
    want = theirs.predict(np.ascontiguousarray(X, dtype=np.float32)).astype(np.float64)

    ours = fixnn.converters.convert_from_keras_model(
        model, hls_config=config, output_dir=str(tmp_path / "fixnn"), backend="Vitis",
        hls4ml_compatible=True)
    got = ours.predict(X.astype(np.float32))
    assert np.array_equal(got, want.reshape(got.shape))

    _, their_trace = theirs.trace(np.ascontiguousarray(X, dtype=np.float32))
    _, our_trace = ours.trace(X.astype(np.float32))
    for name in ("fc1", "fc2"):
        assert np.array_equal(our_trace[name],
                              np.asarray(their_trace[name], np.float64).reshape(-1, *our_trace[name].shape[1:]))
