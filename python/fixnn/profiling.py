"""hls4ml.model.profiling's numerical(): weights and activations per layer, drawn against each
layer's fixed-point range. Needs matplotlib."""

import numpy as np


def _pyplot():
    try:
        import matplotlib

        matplotlib.use(matplotlib.get_backend())
        import matplotlib.pyplot as plt
    except ImportError as e:
        raise ImportError(
            "fixnn.profiling needs matplotlib (pip install matplotlib)") from e
    return plt


def _nonzero_abs(values):
    v = np.abs(np.asarray(values, dtype=np.float64).ravel())
    return v[v > 0]


def _boxplot(plt, title, rows):
    """rows: (label, values, type info or None). One horizontal box of |values| per row on a
    log2 axis, with the type's range [lsb, max] shaded behind it."""
    fig, ax = plt.subplots(figsize=(8, max(2.0, 0.45 * len(rows) + 1)))
    data = [_nonzero_abs(v) if _nonzero_abs(v).size else np.array([np.nan]) for _, v, _ in rows]
    for i, (_, _, t) in enumerate(rows):
        if t is not None:
            top = max(abs(t["min"]), abs(t["max"]))
            ax.add_patch(plt.Rectangle((t["lsb"], i + 0.6), top - t["lsb"], 0.8,
                                       color="tab:gray", alpha=0.35, zorder=0))
    ax.boxplot(data, vert=False, positions=np.arange(1, len(rows) + 1), whis=(0, 100),
               widths=0.5)
    ax.set_yticks(np.arange(1, len(rows) + 1))
    ax.set_yticklabels([label for label, _, _ in rows])
    ax.set_xscale("log", base=2)
    ax.invert_yaxis()
    ax.set_xlabel("|value| (shaded: the type's range, lsb to max)")
    ax.set_title(title)
    fig.tight_layout()
    return fig


def _hls_weight_rows(hls_model):
    rows = []
    for layer in hls_model.layers():
        for w in layer["weights"]:
            rows.append((f"{layer['name']}/{w['name']}", w["values"], w["type"]))
    return rows


def _keras_weight_rows(model, types):
    rows = []
    for layer in model.layers:
        for w in layer.weights:
            short = w.name.split("/")[-1].split(":")[0]
            short = {"kernel": "kernel", "bias": "bias"}.get(short, short)
            rows.append((f"{layer.name}/{short}", np.asarray(w.numpy()),
                         types.get((layer.name, short))))
    return rows


def _keras_activation_rows(model, X, types):
    import keras

    layers = [l for l in model.layers if not l.__class__.__name__ == "InputLayer"]
    probe = keras.Model(model.inputs, [l.output for l in layers])
    outs = probe.predict(X, verbose=0)
    if not isinstance(outs, (list, tuple)):
        outs = [outs]
    return [(l.name, o, types.get(l.name)) for l, o in zip(layers, outs)]


def numerical(model=None, hls_model=None, X=None, plot="boxplot"):
    """Numerical profiling, as hls4ml's: a quadruple of figures (weights of `model`, weights of
    `hls_model`, activations of `model`, activations of `hls_model`), None where the inputs
    for one are missing. Each shows per layer the distribution of |value| on a log2 axis, with
    the layer's fixed-point range (from `hls_model`) shaded behind it.

    model: the keras.Model (float weights and activations); hls_model: a FixnnModel (its
    configured types, its stored weights, and its bit-exact activations on X).
    """
    if plot != "boxplot":
        raise ValueError(f"plot '{plot}': fixnn draws 'boxplot' only")
    plt = _pyplot()
    weight_types, result_types = {}, {}
    if hls_model is not None:
        for layer in hls_model.layers():
            for w in layer["weights"]:
                weight_types[(layer["name"], w["name"])] = w["type"]
            if layer["result_types"]:
                result_types[layer["name"]] = layer["result_types"][0]
    wp = wph = ap = aph = None
    if model is not None:
        wp = _boxplot(plt, "Weights (model)", _keras_weight_rows(model, weight_types))
    if hls_model is not None:
        wph = _boxplot(plt, "Weights (fixnn, with their types)", _hls_weight_rows(hls_model))
    if X is not None and model is not None:
        ap = _boxplot(plt, "Activations (model)", _keras_activation_rows(model, X, result_types))
    if X is not None and hls_model is not None:
        _, trace = hls_model.trace(X)
        rows = [(name, values, result_types.get(name)) for name, values in trace.items()]
        aph = _boxplot(plt, "Activations (fixnn, bit-exact, with their types)", rows)
    return wp, wph, ap, aph
