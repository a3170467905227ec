"""hls4ml.utils' configuration helpers."""

from . import _fixnn
from ._keras import model_file, reword


def config_from_keras_model(model, granularity="model", backend=None,
                            default_precision="fixed<16,6>", default_reuse_factor=1,
                            max_precision=None):
    """The HLSConfig dict hls4ml's ``config_from_keras_model`` makes, for the user to edit and
    pass as ``hls_config``.

    Args:
        model: a keras.Model, or the path of a model file (.keras, .h5, .json).
        granularity: 'model' (a Model entry), 'type' (plus one LayerType entry per layer
            class) or 'name' (plus one LayerName entry per layer).
        backend: accepted for hls4ml's signature; the entries are the same for every backend.
        default_precision: Model.Precision.default.
        default_reuse_factor: Model.ReuseFactor.
        max_precision: Model.Precision.maximum, the cap for 'auto' types.

    Quantized layers (QKeras, HGQ) get their quantizers' types, as hls4ml gives them. The
    entries are those hls4ml makes for its Vivado and Vitis backends (ReuseFactor, accum and
    table types, ...), whatever `backend` is.
    """
    del backend
    with model_file(model) as (path, display):
        try:
            config = _fixnn.config_from_model(
                path, "", granularity, default_precision, int(default_reuse_factor),
                max_precision or "")
        except _fixnn.Error as e:
            raise reword(e, path, display) from None
    return _hls4ml_form(config)


def _hls4ml_form(config):
    """Model.Precision as hls4ml writes it: {'default': ..., 'maximum': ...}."""
    model = config.get("Model", {})
    if isinstance(model.get("Precision"), str):
        model["Precision"] = {"default": model["Precision"]}
    return config


def config_from_model_file(path, weights="", **kwargs):
    """config_from_keras_model for a JSON architecture and its weights file."""
    args = dict(granularity="model", default_precision="fixed<16,6>", default_reuse_factor=1,
                max_precision=None)
    args.update(kwargs)
    args.pop("backend", None)
    return _hls4ml_form(_fixnn.config_from_model(
        str(path), str(weights), args["granularity"], args["default_precision"],
        int(args["default_reuse_factor"]), args["max_precision"] or ""))
