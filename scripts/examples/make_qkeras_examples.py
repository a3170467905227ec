#!/usr/bin/env python3
"""Trains the QKeras example model under examples/models/:

  qkeras_jet_mlp  the jet-tagging MLP 16-64-32-32-5 with quantized_bits(6,0,alpha=1) weights
                  and biases and quantized_relu(6) activations, quantization-aware trained on
                  the same synthetic jet data set as jet_mlp

    ~/.cache/fixnn/venv-keras2/bin/python scripts/examples/make_qkeras_examples.py

Training is seeded and runs on one thread. The folder gets model.h5 (full model, HDF5, as
hls4ml's QKeras examples are saved), input.npy / labels.npy (the same held-out jets as
jet_mlp), output.npy (QKeras' own predict, float32) and meta.json. The saved model is
reloaded and must reproduce output.npy.
"""

import sys
import time
from importlib.metadata import version
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import examples_common as ec  # noqa: E402

ec.quiet_tensorflow()

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from tensorflow import keras  # noqa: E402
import qkeras  # noqa: E402
from qkeras import QActivation, QDense, quantized_bits, quantized_relu  # noqa: E402

tf.get_logger().setLevel("ERROR")
L = keras.layers

NAME = "qkeras_jet_mlp"
SEED = 404
EPOCHS = 40
BATCH = 256
LR = 2e-3
WEIGHTS = "quantized_bits(6,0,alpha=1)"
ACTIVATION = "quantized_relu(6)"


def qkeras_jet_mlp():
    layers = [keras.Input((16,), name="jet_features")]
    for i, units in enumerate([64, 32, 32], start=1):
        layers += [QDense(units, kernel_quantizer=quantized_bits(6, 0, alpha=1),
                          bias_quantizer=quantized_bits(6, 0, alpha=1), name=f"fc{i}"),
                   QActivation(quantized_relu(6), name=f"relu{i}")]
    layers += [QDense(5, kernel_quantizer=quantized_bits(6, 0, alpha=1),
                      bias_quantizer=quantized_bits(6, 0, alpha=1), name="fc4"),
               L.Activation("softmax", name="softmax")]
    return keras.Sequential(layers, name="qkeras_jet_mlp")


def main():
    t0 = time.time()
    ec.single_thread_deterministic(tf, keras, SEED)
    x_tr, y_tr, x_te, y_te = ec.jet_dataset()
    model = qkeras_jet_mlp()
    model.compile(optimizer=keras.optimizers.Adam(LR), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    hist = model.fit(x_tr, y_tr, epochs=EPOCHS, batch_size=BATCH, validation_split=0.1,
                     shuffle=True, verbose=0)
    probs = model.predict(x_te, batch_size=256, verbose=0)
    n = ec.N_COMMITTED
    x, labels, out = x_te[:n], y_te[:n], probs[:n].astype(np.float32)

    d = ec.fresh_dir(NAME)
    model.save(d / "model.h5", save_format="h5")
    ec.write_arrays(d, x, labels, out)
    co = {}
    qkeras.utils._add_supported_quantized_objects(co)
    again = keras.models.load_model(d / "model.h5", custom_objects=co, compile=False)
    again = again.predict(x, batch_size=256, verbose=0)
    err = float(np.max(np.abs(again - out)))
    if err > 1e-6:
        raise SystemExit(f"{NAME}: the reloaded model.h5 differs from output.npy by {err}")

    meta = {
        "name": NAME,
        "description": "Jet-tagging MLP 16-64-32-32-5 in QKeras: QDense with "
                       f"{WEIGHTS} kernels and biases, QActivation {ACTIVATION}, softmax",
        "framework": "qkeras",
        "model_file": "model.h5",
        "dataset": {
            "name": "synthetic jet-like data (examples/models/README.md), as jet_mlp",
            "generator": "scripts/examples/examples_common.py jet_dataset()",
            "seed": ec.JET_SEED, "classes": ec.JET_CLASSES, "features": ec.JET_FEATURES,
            "train_samples": len(x_tr), "heldout_samples": len(x_te),
            "scaling": "each feature standardized with the training split's mean and std",
            "sha256_train_x": ec.sha256(x_tr), "sha256_heldout_x": ec.sha256(x_te),
        },
        "layers": [{"name": l.name, "class_name": type(l).__name__} for l in model.layers],
        "quantizers": {"kernel": WEIGHTS, "bias": WEIGHTS, "activation": ACTIVATION},
        "params": int(model.count_params()),
        "training": {"optimizer": "Adam", "learning_rate": LR,
                     "loss": "sparse_categorical_crossentropy", "epochs": EPOCHS,
                     "batch_size": BATCH, "quantization_aware": True,
                     "validation": "last 10 % of the training split (validation_split=0.1)",
                     "seed": SEED,
                     "determinism": "keras.utils.set_random_seed, enable_op_determinism, one "
                                    "intra/inter-op thread, TF_ENABLE_ONEDNN_OPTS=0",
                     "final_val_accuracy": float(hist.history["val_accuracy"][-1])},
        "accuracy_heldout": ec.accuracy(probs, y_te),
        "samples": n,
        "accuracy_input": ec.accuracy(out, labels),
        "files": {"input": "input.npy", "labels": "labels.npy", "output": "output.npy"},
        "input_shape": list(x.shape),
        "output": "model.predict(input, batch_size=256) as float32 (class probabilities)",
        "versions": ec.versions({"tensorflow": tf.__version__, "keras": version("keras"),
                                 "qkeras": version("qkeras")}),
        "command": ec.command_line(),
    }
    ec.write_json(d / "meta.json", meta)
    print(f"{NAME}: held-out accuracy {meta['accuracy_heldout']:.4f} ({len(x_te)} samples), "
          f"input.npy {meta['accuracy_input']:.4f} ({n}), {ec.folder_size(d) / 1024:.0f} KiB, "
          f"{time.time() - t0:.0f} s")


if __name__ == "__main__":
    if sys.argv[1:] not in ([], [NAME]):
        raise SystemExit(f"unknown example(s): {' '.join(sys.argv[1:])}; known: {NAME}")
    main()
