"""Data sets and helpers shared by the example-model scripts (Keras 3 and Keras 2 / QKeras
venvs).

Imports only numpy and the standard library at module level so it runs under both
environments; the jet data set comes out bit-identical in both (numpy's PCG64 Generator and
its normal / gamma / poisson / binomial streams are stable across numpy 1.26 and 2.x; the
scripts record a SHA-256 of every array in meta.json, so a difference would show).
"""

import hashlib
import json
import os
import platform
import shutil
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "examples" / "models"

JET_SEED = 20260101
JET_CLASSES = ["g", "q", "W", "Z", "t"]
JET_FEATURES = [
    "mass", "log_mass_over_pt", "mass_softdrop", "multiplicity", "tau21", "tau32", "d2",
    "c2", "zlogz", "lead_track_frac", "girth", "displacement", "log_pt", "n_subjets",
    "mass_two_subjets", "pileup_density",
]
JET_TRAIN_PER_CLASS = 5000   # training + validation
JET_TEST_PER_CLASS = 1000    # held-out split
N_COMMITTED = 500            # samples written to input.npy (first ones of the held-out split)
ALL_HELDOUT = 1 << 30        # write the whole held-out split (the digits: 540 samples)

DIGITS_SEED = 1797
DIGITS_TEST_FRACTION = 0.3


def quiet_tensorflow():
    """Call before importing tensorflow: less log noise, no oneDNN kernels (their float
    results depend on the CPU's instruction set), and one thread, so training is
    reproducible."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"
    os.environ["TF_DETERMINISTIC_OPS"] = "1"
    os.environ["OMP_NUM_THREADS"] = "1"
    os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
    os.environ.setdefault("PYTHONHASHSEED", "0")


def single_thread_deterministic(tf, keras, seed):
    """Seeds Python, numpy and TensorFlow; one intra/inter-op thread; deterministic ops."""
    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()


# ----------------------------------------------------------------------------------------
# Synthetic jet-like data set: 16 features, 5 classes (gluon, light quark, W, Z, top).
# The generating process is documented in examples/models/README.md; keep the two in step.
# ----------------------------------------------------------------------------------------
def _jets_of_class(rng, c, n):
    """Raw (unscaled) features of n jets of class c (index into JET_CLASSES)."""
    pt = np.exp(rng.uniform(np.log(500.0), np.log(1200.0), n))        # GeV, class-blind
    pileup = rng.gamma(4.0, 0.25, n)                                   # per-event nuisance
    soft_scale = {0: 0.075, 1: 0.050}.get(c, 0.055)                    # g heavier than q
    soft_mass = pt * soft_scale * np.exp(0.45 * rng.standard_normal(n))
    # Prong structure and hard mass: W/Z two prongs at their masses (sometimes a prong is
    # lost); top three prongs at 173 GeV, or only its W inside the jet, or one soft prong.
    prongs = np.ones(n, dtype=np.int64)
    mass = soft_mass.copy()
    u = rng.uniform(size=n)
    if c in (2, 3):
        peak, width = (80.4, 10.0) if c == 2 else (91.2, 11.0)
        hard = u < 0.8
        prongs[hard] = 2
        mass[hard] = peak + width * rng.standard_normal(hard.sum())
    elif c == 4:
        full, wonly = u < 0.6, (u >= 0.6) & (u < 0.85)
        prongs[full], prongs[wonly] = 3, 2
        mass[full] = 173.0 + 20.0 * rng.standard_normal(full.sum())
        mass[wonly] = 80.4 + 12.0 * rng.standard_normal(wonly.sum())
    mass = np.abs(mass) + 2.0 * pileup                                 # pileup adds mass
    # N-subjettiness ratios: small where the jet has at least that many prongs.
    tau21 = np.where(prongs >= 2, rng.beta(2.5, 4.0, n), rng.beta(4.0, 2.5, n))
    tau32 = np.where(prongs >= 3, rng.beta(2.5, 4.0, n), rng.beta(4.0, 2.5, n))
    # Constituent multiplicity: gluons and tops many, quarks few; grows with log pt, pileup.
    mult_mean = {0: 46.0, 1: 30.0, 2: 36.0, 3: 38.0, 4: 52.0}[c]
    mult = rng.poisson(mult_mean * (1.0 + 0.15 * np.log(pt / 800.0)) + 4.0 * pileup)
    # Soft-drop grooming removes soft radiation: one-prong jets lose most of their mass.
    keep = np.where(prongs >= 2, rng.beta(8.0, 1.5, n), rng.beta(2.0, 3.0, n))
    mass_sd = mass * keep
    # Energy correlation observables: non-linear in the prong variables, with their own noise.
    d2 = tau21 ** 2 / np.maximum(tau32, 0.05) * np.exp(0.3 * rng.standard_normal(n))
    c2 = tau21 * np.sqrt(tau32) + 0.05 * rng.standard_normal(n)
    zlogz = -np.log(mult + 1.0) + 0.3 * rng.standard_normal(n)
    lead = rng.beta({0: 2.0, 1: 3.5, 2: 2.5, 3: 2.5, 4: 1.8}[c], 5.0, n)
    girth = (mass / pt) * (0.6 + 0.4 * tau21) + 0.01 * pileup + 0.01 * rng.standard_normal(n)
    # Displaced tracks: b quarks in all tops (t -> bW), in Z -> bb (15 %), in g -> bb (5 %).
    b_frac = {0: 0.05, 1: 0.01, 2: 0.0, 3: 0.15, 4: 1.0}[c]
    has_b = rng.uniform(size=n) < b_frac
    displacement = np.abs(rng.standard_normal(n)) + has_b * rng.exponential(3.0, n)
    n_subjets = np.maximum(prongs + rng.poisson(0.5 + 0.3 * pileup) - rng.binomial(1, 0.3, n), 1)
    # Invariant mass of the two hardest subjets: the W inside a top, the boson in W/Z.
    m12 = np.where(prongs == 3, 80.4 + 12.0 * rng.standard_normal(n),
                   mass * rng.beta(6.0, 2.0, n))
    rho = pileup + 0.2 * rng.standard_normal(n)
    cols = [mass / 100.0, np.log(mass / pt), mass_sd / 100.0, mult, tau21, tau32, d2, c2,
            zlogz, lead, girth, displacement, np.log(pt), n_subjets, np.abs(m12) / 100.0, rho]
    return np.stack([np.asarray(v, dtype=np.float64) for v in cols], axis=1)


def jet_dataset():
    """(x_train, y_train, x_test, y_test): float32 features standardized with the training
    split's mean and standard deviation, int64 class indices; both splits shuffled."""
    rng = np.random.default_rng(JET_SEED)
    per = JET_TRAIN_PER_CLASS + JET_TEST_PER_CLASS
    xs, ys = [], []
    for c in range(len(JET_CLASSES)):
        xs.append(_jets_of_class(rng, c, per))
        ys.append(np.full(per, c, dtype=np.int64))
    train = np.concatenate([np.arange(JET_TRAIN_PER_CLASS) + c * per
                            for c in range(len(JET_CLASSES))])
    test = np.concatenate([np.arange(JET_TRAIN_PER_CLASS, per) + c * per
                           for c in range(len(JET_CLASSES))])
    x, y = np.concatenate(xs), np.concatenate(ys)
    train, test = rng.permutation(train), rng.permutation(test)
    mean, std = x[train].mean(axis=0), x[train].std(axis=0)
    x = (x - mean) / std
    return (x[train].astype(np.float32), y[train], x[test].astype(np.float32), y[test])


def digits_dataset(as_sequence=False):
    """scikit-learn's bundled 8x8 digits (1797 images, no download), pixels / 16 in [0, 1].
    Shapes: (N, 8, 8, 1) images or (N, 8, 8) sequences (row t = time step t). A stratified
    70/30 split with a fixed seed."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    d = load_digits()
    x = (d.images / 16.0).astype(np.float32)
    y = d.target.astype(np.int64)
    x_tr, x_te, y_tr, y_te = train_test_split(x, y, test_size=DIGITS_TEST_FRACTION,
                                              random_state=DIGITS_SEED, stratify=y)
    if not as_sequence:
        x_tr, x_te = x_tr[..., None], x_te[..., None]
    return x_tr, y_tr, x_te, y_te


# ----------------------------------------------------------------------------------------
# Writing a model folder.
# ----------------------------------------------------------------------------------------
def sha256(a):
    return hashlib.sha256(np.ascontiguousarray(a).tobytes()).hexdigest()


def fresh_dir(name):
    d = OUT / name
    if d.exists():
        shutil.rmtree(d)
    d.mkdir(parents=True)
    return d


def accuracy(probs, labels):
    return float(np.mean(np.argmax(probs, axis=1) == labels))


def write_arrays(d, x, labels, outputs):
    np.save(d / "input.npy", np.ascontiguousarray(x, dtype=np.float32))
    np.save(d / "labels.npy", np.ascontiguousarray(labels, dtype=np.int64))
    np.save(d / "output.npy", np.ascontiguousarray(outputs, dtype=np.float32))


def versions(extra):
    v = {"python": platform.python_version(), "numpy": np.__version__}
    try:
        import sklearn
        v["scikit-learn"] = sklearn.__version__
    except ImportError:  # pragma: no cover
        pass
    v.update(extra)
    return v


def command_line():
    venv = Path(sys.executable).parents[1].name
    return f"~/.cache/fixnn/{venv}/bin/python scripts/examples/{Path(sys.argv[0]).name}"


def write_json(path, obj):
    with open(path, "w") as f:
        json.dump(obj, f, indent=1)
        f.write("\n")


def folder_size(d):
    return sum(p.stat().st_size for p in Path(d).iterdir() if p.is_file())
