"""hls4ml.converters' entry points."""

import json
import os

from . import _fixnn
from ._keras import model_file, reword
from .model import FixnnModel


def convert_from_keras_model(model, hls_config=None, output_dir="my-hls-test",
                             project_name="myproject", input_data_tb=None, output_data_tb=None,
                             backend="Vivado", part=None, clock_period=5, io_type="io_parallel",
                             hls4ml_compatible=False, weights=None, **kwargs):
    """A FixnnModel for a Keras/QKeras/HGQ model, as hls4ml's ``convert_from_keras_model``.

    Args:
        model: a keras.Model (Keras 3 saved as .keras, Keras 2 as .h5, in a temporary folder),
            or the path of a model file (.keras, .h5, or a .json architecture with `weights`).
        hls_config: the HLSConfig dict (Model / LayerType / LayerName), as
            fixnn.utils.config_from_keras_model or hls4ml's makes it. None: hls4ml's
            config_from_keras_model(granularity='name'), every type 'auto'.
        output_dir, project_name, backend, part, clock_period, io_type: the project's settings,
            as hls4ml's (only io_parallel projects are written).
        input_data_tb: a .npy file of testbench inputs (one model input), written to tb_data/
            by write() and compile() with the emulator's outputs. output_data_tb: accepted
            for hls4ml's signature; the expected outputs written are the emulator's.
        hls4ml_compatible: make every choice as hls4ml 1.3.0 makes it (its 'auto' types,
            BatchNorm folding, linear-activation removal), so that predict equals hls4ml's
            predict bit for bit; default: fixnn's exact choices.

    Raises:
        fixnn.Error: the model, the configuration or a layer is refused; the message names it.
    """
    unknown = set(kwargs) - {"board", "bit_exact", "allow_da_fallback", "allow_v2_fallback"}
    if unknown:
        raise TypeError(f"convert_from_keras_model: unexpected arguments {sorted(unknown)}")
    del output_data_tb
    tb_inputs = None
    if input_data_tb is not None:
        import numpy as np

        tb_inputs = np.load(os.fspath(input_data_tb))
    config_json = None
    if hls_config is not None:
        if not isinstance(hls_config, dict):
            raise TypeError("hls_config must be a dict (HLSConfig: Model, LayerType, LayerName)")
        config_json = json.dumps(hls_config.get("HLSConfig", hls_config))
    with model_file(model) as (path, display):
        try:
            impl = _fixnn.load_model(
                path, weights="" if weights is None else os.fspath(weights),
                hls_config_json=config_json, hls4ml_compatible=bool(hls4ml_compatible),
                output_dir=os.fspath(output_dir), project_name=project_name, part=part or "",
                clock_period=float(clock_period), io_type=io_type, backend=backend)
        except _fixnn.Error as e:
            raise reword(e, path, display) from None
    return FixnnModel(impl, hls_config, tb_inputs)


def convert_from_config(config, hls4ml_compatible=False):
    """A FixnnModel from an hls4ml project file (YAML naming its model: KerasModel, or
    KerasJson + KerasH5), as hls4ml's ``convert_from_config`` with a path."""
    impl = _fixnn.load_project(os.fspath(config), hls4ml_compatible=bool(hls4ml_compatible))
    return FixnnModel(impl, None)
