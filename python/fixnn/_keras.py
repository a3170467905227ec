"""Keras models given as live objects: written to a temporary file the C++ reader reads."""

import contextlib
import os
import sys
import tempfile


def is_model_object(model):
    """Whether `model` is a live Keras model rather than a path."""
    return not isinstance(model, (str, bytes, os.PathLike)) and hasattr(model, "save")


def keras_major_version(model):
    """2 for tf.keras 2 / tf_keras models, 3 for Keras 3."""
    package = type(model).__module__.split(".")[0]
    version = getattr(sys.modules.get(package), "__version__", "3")
    try:
        return int(str(version).split(".")[0])
    except ValueError:
        return 3


@contextlib.contextmanager
def model_file(model):
    """Yields (path, display name) for `model`: a path as given, or a live model saved to a
    temporary file (.keras for Keras 3, .h5 for Keras 2) that is removed afterwards."""
    if not is_model_object(model):
        path = os.fspath(model)
        if isinstance(path, bytes):
            path = path.decode()
        yield path, path
        return
    name = getattr(model, "name", "model") or "model"
    with tempfile.TemporaryDirectory(prefix="fixnn-") as tmp:
        if keras_major_version(model) >= 3:
            path = os.path.join(tmp, f"{name}.keras")
            model.save(path)
        else:
            path = os.path.join(tmp, f"{name}.h5")
            model.save(path, save_format="h5")
        yield path, f"keras.Model '{name}'"


def reword(error, path, display):
    """The same error with the temporary file's path replaced by the model's name."""
    from ._fixnn import Error

    message = str(error)
    if path != display and path in message:
        return Error(message.replace(path, display))
    return error
