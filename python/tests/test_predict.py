"""predict, trace and the overflow report against the fixnn command, bit for bit; errors."""

import subprocess

import numpy as np
import pytest

import fixnn
from conftest import KERAS, fixture


def cli_predict(cli, model, inputs, tmp_path, n_outputs, extra=()):
    args = [cli, "predict", str(model)]
    for i, x in enumerate(inputs):
        np.save(tmp_path / f"x{i}.npy", x)
        args += ["-i", str(tmp_path / f"x{i}.npy")]
    for o in range(n_outputs):
        args += ["-o", str(tmp_path / f"y{o}.npy")]
    subprocess.run(args + ["--force", *extra], check=True, capture_output=True)
    return [np.load(tmp_path / f"y{o}.npy") for o in range(n_outputs)]


@pytest.mark.parametrize("compatible", [False, True])
def test_predict_equals_cli(fixnn_cli, tmp_path, compatible):
    path = fixture("qk_jet_tagging_mlp")
    X = np.load(KERAS / "qk_jet_tagging_mlp" / "input.npy")
    model = fixnn.converters.convert_from_keras_model(path, hls4ml_compatible=compatible)
    got = model.predict(X)
    extra = ["--hls4ml-compatible"] if compatible else []
    (want,) = cli_predict(fixnn_cli, path, [X], tmp_path, 1, extra)
    assert got.dtype == np.float64 and got.shape == want.shape == (64, 5)
    assert np.array_equal(got, want)
    # The same values for float32, non-contiguous and single-sample inputs.
    assert np.array_equal(model.predict(X.astype(np.float32)), got)
    assert np.array_equal(model.predict(np.asfortranarray(X)), got)
    assert np.array_equal(model.predict(X[5]), got[5])


def test_several_inputs_and_outputs(fixnn_cli, tmp_path):
    path = fixture("k3_multi_io_branches", "model.keras")
    d = KERAS / "k3_multi_io_branches"
    inputs = [np.load(p) for p in sorted(d.glob("input*.npy"))]
    model = fixnn.converters.convert_from_keras_model(path)
    n_out = len(model.config["outputs"])
    assert len(inputs) == len(model.config["inputs"]) > 1 and n_out > 1
    got = model.predict(inputs)
    want = cli_predict(fixnn_cli, path, inputs, tmp_path, n_out)
    assert isinstance(got, list) and len(got) == n_out
    for g, w in zip(got, want):
        assert np.array_equal(g, w)


def test_trace_names_and_values():
    path = fixture("qk_jet_tagging_mlp")
    X = np.load(KERAS / "qk_jet_tagging_mlp" / "input.npy")
    model = fixnn.converters.convert_from_keras_model(path)
    y, trace = model.trace(X)
    assert list(trace) == ["x", "fc1", "relu1", "fc2", "relu2", "output", "softmax"]
    assert trace["fc1"].shape == (64, 16) and trace["x"].shape == (64, 16)
    assert np.array_equal(trace["softmax"], y)
    assert np.array_equal(y, model.predict(X))
    # relu outputs lie in their types: ufixed<6,0>.
    assert trace["relu1"].min() >= 0 and trace["relu1"].max() <= 1 - 2**-6


def test_overflow_report():
    path = fixture("qk_jet_tagging_mlp")
    X = np.load(KERAS / "qk_jet_tagging_mlp" / "input.npy")
    report = fixnn.converters.convert_from_keras_model(path).overflow_report(X)
    assert report["samples"] == 64
    relu1 = [s for s in report["run"] if s["layer"] == "relu1" and s["site"] == "result"]
    assert relu1 and relu1[0]["casts"] == 64 * 16 and relu1[0]["overflow"] > 0
    assert report["run_total"] == sum(s["overflow"] + s["underflow"] for s in report["run"])
    assert "relu1 result" in report["text"]


def test_errors_name_the_file_and_layer(tmp_path):
    missing = tmp_path / "missing.h5"
    with pytest.raises(fixnn.Error, match="missing.h5"):
        fixnn.converters.convert_from_keras_model(missing)
    bad = tmp_path / "bad.h5"
    bad.write_bytes(b"not a model")
    with pytest.raises(fixnn.Error, match="bad.h5"):
        fixnn.converters.convert_from_keras_model(bad)
    path = fixture("qk_jet_tagging_mlp")
    with pytest.raises(fixnn.Error, match="no layer named 'fc9'"):
        fixnn.converters.convert_from_keras_model(
            path, hls_config={"LayerName": {"fc9": {"ReuseFactor": 2}}})
    with pytest.raises(fixnn.Error, match=r"hls_config: HLSConfig.Model: unknown key 'Precison'"):
        fixnn.converters.convert_from_keras_model(path, hls_config={"Model": {"Precison": "x"}})
    with pytest.raises(fixnn.Error, match=r"HLSConfig.LayerName.fc1.ReuseFactor: must be a pos"):
        fixnn.converters.convert_from_keras_model(
            path, hls_config={"LayerName": {"fc1": {"ReuseFactor": 0}}})
    with pytest.raises(fixnn.Error, match=r"LayerName.fc1.Precision.weight: invalid type"):
        fixnn.converters.convert_from_keras_model(
            path, hls_config={"LayerName": {"fc1": {"Precision": {"weight": "fixed<0,3>"}}}})


def test_errors_in_inputs():
    path = fixture("qk_jet_tagging_mlp")
    model = fixnn.converters.convert_from_keras_model(path)
    X = np.load(KERAS / "qk_jet_tagging_mlp" / "input.npy")
    with pytest.raises(fixnn.Error, match=r"X: shape \[64, 3\] does not hold samples of input 'x'"):
        model.predict(X[:, :3])
    bad = X.copy()
    bad[3, 2] = np.nan
    with pytest.raises(fixnn.Error, match="X: sample 3, element 2: nan is not a number"):
        model.predict(bad)
    with pytest.raises(ValueError, match="1 input"):  # fixnn.Error is a ValueError too
        model.predict([X, X])
