#!/usr/bin/env python3
"""Trains the Keras 3 example models under examples/models/:

  jet_mlp      16-64-32-32-5 MLP (ReLU, softmax) on the synthetic jet data set
  digits_cnn   Conv2D/MaxPooling2D x2 + Dense on scikit-learn's 8x8 digits
  digits_lstm  LSTM(16) + Dense on the same digits read row by row (8 steps of 8 pixels)

    ~/.cache/fixnn/venv-keras3/bin/python scripts/examples/make_keras3_examples.py [NAME...]

Training is seeded and runs on one thread, so a rerun gives the same weights (the .keras zip
differs only in its timestamps). Each folder gets model.keras, input.npy (held-out samples,
float32), labels.npy (class indices), output.npy (the model's own predict, float32) and
meta.json. Every saved model is reloaded and must reproduce output.npy.
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import examples_common as ec  # noqa: E402

ec.quiet_tensorflow()

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import keras  # noqa: E402

tf.get_logger().setLevel("ERROR")
L = keras.layers


def jet_mlp():
    return keras.Sequential([
        keras.Input((16,), name="jet_features"),
        L.Dense(64, activation="relu", name="fc1"),
        L.Dense(32, activation="relu", name="fc2"),
        L.Dense(32, activation="relu", name="fc3"),
        L.Dense(5, name="fc4"),
        L.Activation("softmax", name="softmax"),
    ], name="jet_mlp")


def digits_cnn():
    return keras.Sequential([
        keras.Input((8, 8, 1), name="image"),
        L.Conv2D(8, 3, padding="same", activation="relu", name="conv1"),
        L.MaxPooling2D(2, name="pool1"),
        L.Conv2D(16, 3, padding="same", activation="relu", name="conv2"),
        L.MaxPooling2D(2, name="pool2"),
        L.Flatten(name="flatten"),
        L.Dense(32, activation="relu", name="fc1"),
        L.Dense(10, name="fc2"),
        L.Activation("softmax", name="softmax"),
    ], name="digits_cnn")


def digits_lstm():
    return keras.Sequential([
        keras.Input((8, 8), name="rows"),
        L.LSTM(16, name="lstm"),
        L.Dense(10, name="fc"),
        L.Activation("softmax", name="softmax"),
    ], name="digits_lstm")


JET_DATA = {
    "name": "synthetic jet-like data (examples/models/README.md)",
    "generator": "scripts/examples/examples_common.py jet_dataset()",
    "seed": ec.JET_SEED,
    "classes": ec.JET_CLASSES,
    "features": ec.JET_FEATURES,
    "train_per_class": ec.JET_TRAIN_PER_CLASS,
    "heldout_per_class": ec.JET_TEST_PER_CLASS,
    "scaling": "each feature standardized with the training split's mean and std",
}
DIGITS_DATA = {
    "name": "scikit-learn load_digits (8x8 images, 10 classes, 1797 samples), pixels / 16",
    "generator": "scripts/examples/examples_common.py digits_dataset()",
    "split": f"sklearn train_test_split(test_size={ec.DIGITS_TEST_FRACTION}, "
             f"random_state={ec.DIGITS_SEED}, stratify=labels)",
    "classes": [str(i) for i in range(10)],
}

EXAMPLES = {
    "jet_mlp": dict(build=jet_mlp, data=lambda: ec.jet_dataset(), data_meta=JET_DATA,
                    committed=ec.N_COMMITTED, seed=101, epochs=40, batch_size=256, lr=2e-3,
                    desc="Jet-tagging MLP 16-64-32-32-5, ReLU, softmax (float Keras 3)"),
    "digits_cnn": dict(build=digits_cnn, data=lambda: ec.digits_dataset(), data_meta=DIGITS_DATA,
                       committed=ec.ALL_HELDOUT, seed=202, epochs=80, batch_size=32, lr=2e-3,
                       desc="CNN on 8x8 digits: Conv2D(8)+MaxPool, Conv2D(16)+MaxPool, "
                            "Dense(32), Dense(10), softmax"),
    "digits_lstm": dict(build=digits_lstm, data=lambda: ec.digits_dataset(as_sequence=True),
                        data_meta=dict(DIGITS_DATA, sequence="image row t is time step t "
                                       "(8 steps of 8 pixels)"),
                        committed=ec.ALL_HELDOUT, seed=303, epochs=80, batch_size=32, lr=5e-3,
                        desc="LSTM(16) over the digit rows, Dense(10), softmax"),
}


def make(name, spec):
    t0 = time.time()
    ec.single_thread_deterministic(tf, keras, spec["seed"])
    x_tr, y_tr, x_te, y_te = spec["data"]()
    model = spec["build"]()
    model.compile(optimizer=keras.optimizers.Adam(spec["lr"]),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    hist = model.fit(x_tr, y_tr, epochs=spec["epochs"], batch_size=spec["batch_size"],
                     validation_split=0.1, shuffle=True, verbose=0)
    probs = model.predict(x_te, batch_size=256, verbose=0)
    n = min(spec["committed"], len(x_te))
    x, labels, out = x_te[:n], y_te[:n], probs[:n].astype(np.float32)

    d = ec.fresh_dir(name)
    model.save(d / "model.keras")
    ec.write_arrays(d, x, labels, out)
    again = keras.models.load_model(d / "model.keras").predict(x, batch_size=256, verbose=0)
    err = float(np.max(np.abs(again - out)))
    if err > 1e-6:
        raise SystemExit(f"{name}: the reloaded model.keras differs from output.npy by {err}")

    meta = {
        "name": name,
        "description": spec["desc"],
        "framework": "keras3",
        "model_file": "model.keras",
        "dataset": dict(spec["data_meta"], train_samples=len(x_tr), heldout_samples=len(x_te),
                        sha256_train_x=ec.sha256(x_tr), sha256_heldout_x=ec.sha256(x_te)),
        "layers": [{"name": l.name, "class_name": type(l).__name__} for l in model.layers],
        "params": int(model.count_params()),
        "training": {"optimizer": "Adam", "learning_rate": spec["lr"],
                     "loss": "sparse_categorical_crossentropy", "epochs": spec["epochs"],
                     "batch_size": spec["batch_size"],
                     "validation": "last 10 % of the training split (validation_split=0.1)",
                     "seed": spec["seed"],
                     "determinism": "keras.utils.set_random_seed, enable_op_determinism, one "
                                    "intra/inter-op thread, TF_ENABLE_ONEDNN_OPTS=0",
                     "final_val_accuracy": float(hist.history["val_accuracy"][-1])},
        "accuracy_heldout": ec.accuracy(probs, y_te),
        "samples": n,
        "accuracy_input": ec.accuracy(out, labels),
        "files": {"input": "input.npy", "labels": "labels.npy", "output": "output.npy"},
        "input_shape": list(x.shape),
        "output": "model.predict(input, batch_size=256) as float32 (class probabilities)",
        "versions": ec.versions({"tensorflow": tf.__version__, "keras": keras.__version__}),
        "command": ec.command_line() + f" {name}",
    }
    ec.write_json(d / "meta.json", meta)
    print(f"{name}: held-out accuracy {meta['accuracy_heldout']:.4f} ({len(x_te)} samples), "
          f"input.npy {meta['accuracy_input']:.4f} ({n}), {ec.folder_size(d) / 1024:.0f} KiB, "
          f"{time.time() - t0:.0f} s")


def main(argv):
    names = argv or list(EXAMPLES)
    unknown = [n for n in names if n not in EXAMPLES]
    if unknown:
        raise SystemExit(f"unknown example(s): {', '.join(unknown)}; known: {', '.join(EXAMPLES)}")
    for name in names:
        make(name, EXAMPLES[name])


if __name__ == "__main__":
    main(sys.argv[1:])
