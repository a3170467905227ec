"""fixnn: neural networks to bit-exact fixed-point FPGA firmware, with hls4ml's Python API.

Switching from hls4ml is a change of import::

    import fixnn
    config = fixnn.utils.config_from_keras_model(model, granularity='name')
    hls_model = fixnn.converters.convert_from_keras_model(model, hls_config=config)
    y = hls_model.predict(X)       # the bit-exact emulator: what the firmware computes
    hls_model.compile()            # write the HLS project and build it with g++

Every error fixnn reports is a ``fixnn.Error`` (both a RuntimeError and a ValueError) whose
message names the file, layer or key, as the ``fixnn`` command prints it.
"""

from ._fixnn import Error
from . import converters, profiling, report, utils
from .model import FixnnModel

__version__ = "0.1.0"

__all__ = ["Error", "FixnnModel", "converters", "profiling", "report", "utils", "__version__"]
