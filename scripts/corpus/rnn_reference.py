#!/usr/bin/env python3
"""The framework's own outputs of the corpus' recurrent models (the study's reference).

Runs in the Keras 2 environment (TensorFlow 2.14 with QKeras 0.9.0):
    ~/.cache/fixnn/venv-keras2/bin/python scripts/corpus/rnn_reference.py JOBS.json
JOBS.json is a list of {"id", "input", "output"}: the model of rnn_models with that id, the
.npy of inputs (float32) and the .npy to write (float64 copies of Keras' float32 outputs).
"""

import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "fixtures"))
import fixture_common as fc  # noqa: E402
import rnn_models  # noqa: E402

fc.quiet_tensorflow()

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from qkeras.utils import _add_supported_quantized_objects  # noqa: E402


def custom_objects():
    co = {}
    _add_supported_quantized_objects(co)
    return co


def gru_reset_before(config):
    """A Keras 2.1 GRU config has no reset_after; it meant reset_after=False, which Keras 2.14
    no longer defaults to."""
    for layer in config["config"]["layers"]:
        if layer["class_name"] == "GRU":
            layer["config"].setdefault("reset_after", False)
    return config


def load(model):
    co = custom_objects()
    path = model.file()
    if path.suffix == ".json" or "gru_reset_before" in model.fixups:
        if path.suffix == ".json":
            config = json.loads(path.read_text())
        else:
            import h5py

            with h5py.File(path, "r") as f:
                config = json.loads(f.attrs["model_config"])
        if "gru_reset_before" in model.fixups:
            config = gru_reset_before(config)
        keras_model = tf.keras.models.model_from_json(json.dumps(config), custom_objects=co)
        keras_model.load_weights(str(model.weights_file() or path))
        return keras_model
    return tf.keras.models.load_model(str(path), custom_objects=co, compile=False)


def main():
    jobs = json.loads(Path(sys.argv[1]).read_text())
    restored = fc.patch_qkeras_for_tf214()
    if restored:
        print("restored for QKeras on TF 2.14: " + "; ".join(restored), flush=True)
    by_id = {m.id: m for m in rnn_models.all_models()}
    for k, job in enumerate(jobs):
        start = time.time()
        model = by_id[job["id"]]
        keras_model = load(model)
        x = np.load(job["input"]).astype(np.float32)
        y = keras_model.predict(x, batch_size=1000, verbose=0)
        y = np.asarray(y, dtype=np.float64).reshape(len(x), -1)
        np.save(job["output"], y)
        print(f"[{k + 1}/{len(jobs)}] {model.id}: {y.shape[0]}x{y.shape[1]} "
              f"in {time.time() - start:.1f} s", flush=True)
        tf.keras.backend.clear_session()


if __name__ == "__main__":
    main()
