"""fixnn.utils.config_from_keras_model against hls4ml's, on the same Keras model."""

import pytest

import fixnn
from conftest import fixture


def keys(d, prefix=""):
    """Every key path of a nested dict ("Model.Precision.default")."""
    out = set()
    for k, v in d.items():
        out.add(prefix + k)
        if isinstance(v, dict):
            out |= keys(v, prefix + k + ".")
    return out


@pytest.fixture(scope="module")
def cnn():
    keras = pytest.importorskip("keras")
    path = fixture("k3_cnn2d_classifier", "model.keras")
    return path, keras.models.load_model(path)


@pytest.mark.parametrize("granularity", ["model", "name"])
def test_keys_equal_hls4ml(cnn, granularity):
    hls4ml = pytest.importorskip("hls4ml")
    path, model = cnn
    want = hls4ml.utils.config_from_keras_model(model, granularity=granularity, backend="Vitis")
    got = fixnn.utils.config_from_keras_model(model, granularity=granularity)
    assert keys(got) == keys(want)
    assert got["Model"] == want["Model"]
    # A path gives the same dict as the live model.
    assert fixnn.utils.config_from_keras_model(str(path), granularity=granularity) == got


def test_type_granularity_layer_classes(cnn):
    hls4ml = pytest.importorskip("hls4ml")
    path, model = cnn
    want = hls4ml.utils.config_from_keras_model(model, granularity="type", backend="Vitis")
    got = fixnn.utils.config_from_keras_model(path, granularity="type")
    # hls4ml files Flatten under its own class name, Reshape; fixnn under the Keras class.
    want_types = {"Flatten" if k == "Reshape" else k for k in want["LayerType"]}
    assert set(got["LayerType"]) == want_types
    assert got["LayerType"]["Conv2D"] == want["LayerType"]["Conv2D"]


def test_defaults_and_quantizer_types():
    path = fixture("qk_jet_tagging_mlp")
    config = fixnn.utils.config_from_keras_model(
        path, granularity="name", default_precision="fixed<12,4>", default_reuse_factor=2,
        max_precision="fixed<24,12>")
    assert config["Model"]["Precision"] == {"default": "fixed<12,4>", "maximum": "fixed<24,12>"}
    assert config["Model"]["ReuseFactor"] == 2
    # QKeras quantized_bits(6,0) weights: hls4ml's type for them.
    assert config["LayerName"]["fc1"]["Precision"]["weight"] == "fixed<6,1,RND_CONV,SAT>"
    assert config["LayerName"]["fc1"]["ReuseFactor"] == 2


def test_bad_granularity_and_precision():
    path = fixture("qk_jet_tagging_mlp")
    with pytest.raises(fixnn.Error, match="granularity 'layer'"):
        fixnn.utils.config_from_keras_model(path, granularity="layer")
    with pytest.raises(fixnn.Error):
        fixnn.utils.config_from_keras_model(path, default_precision="auto")
