"""docs/rnn-corpus.md and docs/img/rnn-corpus.svg from the study's results (every number in
them comes from here, none is typed by hand).

rnn_study.py --out writes them at the end of a run; to write them again from the last run's
results (~/.cache/fixnn/rnn-corpus/results.json) without running anything:

    python3 scripts/corpus/rnn_doc.py --out docs [--source "fixnn built from commit ..."]
"""

import collections
import importlib.util
import io
import os
import re
import statistics
import sys
from pathlib import Path

if importlib.util.find_spec("numpy") is None:  # rnn_search needs it, the plot matplotlib:
    python = Path.home() / ".cache/fixnn/venv-keras3/bin/python"  # the project's environment
    if __name__ == "__main__" and python.exists():
        os.execv(str(python), [str(python), __file__] + sys.argv[1:])

sys.path.insert(0, str(Path(__file__).resolve().parent))
import rnn_search as rs  # noqa: E402

PLOT = "img/rnn-corpus.svg"


def e(x, digits=3):
    """A gap value: 0, or 3 significant digits."""
    if x is None:
        return "n/a"
    return "0" if x == 0 else f"{x:.{digits}g}"


def count(f, samples):
    return "n/a" if f is None else f"{round(f * samples)}"


def hls_cell(entry):
    if not entry:
        return "—"
    return {"checked": "checked", "converted": "written, check failed", "refused": "refused",
            "skipped": "not run"}[entry["status"]]


def gap_cell(g, n):
    if not g:
        return "—"
    return f"{e(g['max'])} / {e(g['mean'])} / {count(g['flips'], n)}"


def refusals(models):
    """Each distinct refusal message with the models that got it, per step."""
    out = collections.OrderedDict()
    for r in models:
        steps = [("show", r.get("show")), ("predict", r.get("emulated")),
                 ("convert --check (default)", r.get("convert"))]
        if r.get("search"):
            steps.append(("convert --check (closing)", r["search"].get("closing_convert")))
        for step, entry in steps:
            if not entry:
                continue
            bad = (not entry["ok"]) if "ok" in entry else entry["status"] not in ("checked",
                                                                                "skipped")
            if bad:
                message = re.sub(r"\S*/configs/[\w.-]+\.yml", "CONFIG",
                                 entry["message"].replace(str(Path.home()), "~"))
                out.setdefault((step, message), []).append(r["id"])
        if r.get("search_error"):
            out.setdefault(("search", r["search_error"]), []).append(r["id"])
    return out


def model_list(ids, limit=8):
    if len(ids) <= limit:
        return ", ".join(f"`{i}`" for i in ids)
    return ", ".join(f"`{i}`" for i in ids[:limit]) + f" and {len(ids) - limit} more"


def plot(models, path, later=None):
    """mean |d| and changed decisions against bits, per cell and integer bits, default
    against closed (and the default at a later binary: later = {id: result})."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["svg.fonttype"] = "none"
    plt.rcParams["svg.hashsalt"] = "rnn-corpus"
    fig, axes = plt.subplots(2, 2, figsize=(9, 6.4), sharex=True)
    colors = {0: "#1b6ca8", 2: "#d1495b", 4: "#3c9d5d"}
    drawn = False
    for col, cell in enumerate(("GRU", "LSTM")):
        for row, metric in enumerate(("mean", "flips")):
            ax = axes[row][col]
            for i in (0, 2, 4):
                group = sorted((r for r in models if r["family"] == f"q{cell.lower()}"
                                and r["int_bits"] == i and r.get("default_gap")),
                               key=lambda r: r["bits"])
                if not group:
                    continue
                drawn = True
                floor = 1e-6 if metric == "mean" else 1e-5
                ax.plot([r["bits"] for r in group],
                        [max(r["default_gap"][metric] or 0, floor) for r in group], "-o",
                        color=colors[i], ms=3, lw=1.2, label=f"I={i}, default")
                closed = [r for r in group if r.get("search")]
                if closed:
                    ax.plot([r["bits"] for r in closed],
                            [max(r["search"]["closed"][metric] or 0, floor) for r in closed],
                            "--s", color=colors[i], ms=3, lw=1.0, mfc="none",
                            label=f"I={i}, closed")
                again = [later[r["id"]] for r in group
                         if later and later.get(r["id"], {}).get("default_gap")]
                if again:
                    ax.plot([r["bits"] for r in again],
                            [max(r["default_gap"][metric] or 0, floor) for r in again], ":x",
                            color=colors[i], ms=3, lw=0.9, label=f"I={i}, default (later)")
            ax.set_yscale("log")
            ax.grid(True, which="major", lw=0.3, alpha=0.6)
            if metric == "mean":
                ax.set_title(f"Q{cell}: mean |fixnn − QKeras|", fontsize=10)
            else:
                ax.set_title(f"Q{cell}: fraction of decisions changed", fontsize=10)
                ax.set_xlabel("bits per quantizer (1 + I + F)")
    if not drawn:
        plt.close(fig)
        return False
    axes[0][0].legend(fontsize=7, ncol=2)
    fig.tight_layout()
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})
    plt.close(fig)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(buf.getvalue())
    return True


def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def write(out_dir, meta, models, later=None):
    """later: (meta, [results]) of a run without search at a later fixnn binary, whose default
    gaps are shown beside this run's."""
    out_dir.mkdir(parents=True, exist_ok=True)
    n = meta["samples"]
    sweep = [r for r in models if r["family"] != "float"]
    floats = [r for r in models if r["family"] == "float"]
    emulated = [r for r in models if r.get("emulated", {}).get("ok")]
    checked = [r for r in models if r.get("convert", {}).get("status") == "checked"]
    searched = [r for r in models if r.get("search")]
    later_models = {r["id"]: r for r in later[1]} if later else None
    plotted = plot(models, out_dir / PLOT, later_models)
    timing = collections.Counter()
    for r in models:
        timing.update(r.get("timing", {}))

    L = []
    w = L.append
    w("# Recurrent models: the corpus study")
    w("")
    w("Every GRU and LSTM model under `shared/models` through fixnn's command line: whether "
      "fixnn reads it (`fixnn show`), emulates it (`fixnn predict`) and writes an HLS project "
      "that compiles and agrees with the emulator (`fixnn convert --check`); how far the "
      "emulator's outputs are from the framework's own (QKeras, Keras); and, per model, the "
      "cheapest configuration found that closes that gap.")
    w("")
    w("This page and its plot are written by the study script; do not edit them by hand. To "
      "reproduce everything (the Keras / QKeras references, the fixnn runs, the searches, "
      "this page):")
    w("")
    w("```")
    w("cmake --build build/release --target fixnn")
    w("python3 scripts/corpus/rnn_study.py --fixnn build/release/tools/fixnn/fixnn --out docs")
    w("```")
    w("")
    source = f", {meta['source']}" if meta.get("source") else ""
    if meta.get("doc_command"):
        w(f"This page, from the results of the run below: `{meta['doc_command']}`.")
        w("")
    w(f"This page: `{meta['command']}`, fixnn `{meta['fixnn_version']}` (binary sha256 "
      f"`{meta['fixnn_sha256']}…`{source}). The {len(models)} models took "
      f"{meta['study_seconds'] / 60:.0f} min on two threads: searches "
      f"{timing['search'] / 60:.0f} min, default predictions {timing['predict'] / 60:.1f} "
      f"min, default conversions with `--check` {timing['convert'] / 60:.1f} min (the "
      f"Keras / QKeras references take about a minute more). Results are cached in "
      f"`~/.cache/fixnn/rnn-corpus` (`results.json`, the configurations in `configs/`), so "
      f"a rerun redoes only the models whose file, fixnn binary or study scripts changed.")
    revalidated = [r for r in models if r.get("revalidated")]
    if revalidated:
        older = collections.Counter(r["revalidated"]["searched_with_fixnn_sha256"]
                                    for r in revalidated)
        w("")
        w(f"{len(revalidated)} of the models were searched with earlier study scripts or an "
          f"earlier fixnn binary ("
          + ", ".join(f"{c} with " + ("this binary" if x == meta["fixnn_sha256"] else
                                       f"binary `{x}…`")
                      for x, c in sorted(older.items()))
          + f") and revalidated with this binary and these scripts (`--revalidate`): they "
          f"reproduce the default and closing gaps exactly (max, mean and changed decisions "
          f"from fresh predictions on all {n} samples), and both configurations passed "
          f"`convert --check` again.")
    w("")
    w("## Method")
    w("")
    w(f"* **Inputs.** There is no top-tagging data in the corpus, so the study compares "
      f"outputs, not accuracy: {n} samples of `numpy.random.default_rng({meta['seed']})."
      f"standard_normal((N, 20, 6))`, cast to float32 (`(N, 32, 3)` for the Conv1D + GRU "
      f"model); both sides read the same float32 values. Standard-normal features are not "
      f"top-tagging jets, so the numbers say how faithfully fixnn computes these networks, "
      f"not how well they tag.")
    w("* **Reference.** The model's own framework: TensorFlow 2.14 / Keras 2 with QKeras "
      "0.9.0, float32 (`scripts/corpus/rnn_reference.py`). QKeras' recurrent cells need two "
      "aliases TensorFlow 2.13 removed (`fixture_common.patch_qkeras_for_tf214`); the Keras "
      "2.1 GRU (`KERAS_gru_model`) predates `reset_after` and is loaded with "
      "`reset_after=False`, what it meant.")
    w("* **fixnn.** `fixnn predict` in fixnn's own mode (not `--hls4ml-compatible`) with the "
      "default configuration `fixnn config -g name MODEL` (hls4ml's `config_from_keras_model`"
      " at granularity `name`, which is also what `fixnn predict` uses without `-c`): QKeras "
      "quantizers fix the weight, bias, state and quantized-activation types; every other "
      "type is `auto` or the Model default `ap_fixed<16,6>`; tables `ap_fixed<18,8>` with "
      "1024 entries. `fixnn convert MODEL -c CONFIG -o DIR --check --force` writes the HLS "
      "project, builds it with g++ and compares it with the emulator on 1000 random inputs; "
      "it is run with the default and with the closing configuration.")
    w("* **Gap.** Over all samples: max |d| and mean |d| of d = fixnn − reference (every "
      "output), and *changed*: the number of samples whose decision differs (0.5 threshold on "
      "a single sigmoid output, argmax of a softmax; none for the Conv1D + GRU model, whose 16 "
      "outputs are a GRU state). fixnn's recurrent output is the state as the firmware holds "
      "it, in the state quantizer's type where the model has one (±1 for the 1-bit models' "
      "binary state); QKeras outputs h before its state quantizer, which it applies to the "
      "state each step reads. A coarse state quantizer therefore leaves a gap that no "
      "configuration closes: the floor shows it.")
    w(f"* **Criterion.** *Strict*: decisions identical on all {n} samples and max |d| ≤ 2^-10 "
      f"(the LSB of the default output type `ap_fixed<16,6>`). Where even the floor (below) "
      f"does not reach it, the *smallest reachable*: mean |d| ≤ "
      f"{1 + rs.FLOOR_SLACK:g} × the floor's and changed ≤ {1 + rs.FLOOR_SLACK:g} × the "
      f"floor's + {rs.FLOOR_SAMPLES}. Mean and count rather than the maximum: where a small "
      f"difference can move a quantized state by one step, which single sample ends worst is "
      f"close to chance.")
    w(f"* **Search** (`scripts/corpus/rnn_search.py`). Knobs: every type fixnn resolves, except "
      f"the weights and activations a QKeras quantizer fixes — each node's result, the recurrent `accum`, `state` "
      f"(narrower only, where a state quantizer fixes it) and `table`, the Dense `accum`, the softmax "
      f"tables, the input, and the weights of the float models — with one knob for fractional "
      f"and one for integer bits each (modes kept), and the `TableSize` of every layer that "
      f"reads a table. The *floor* puts every knob at its wide level (+{rs.WIDE_FRAC} "
      f"fractional, +{rs.WIDE_INT} integer bits, ×{2 ** rs.WIDE_TABLE} entries). From the "
      f"floor, knob by knob (accumulators and types over 64 bits first, then the widest "
      f"range), the lowest level (down to {rs.MIN_FRAC} fractional, {rs.MIN_INT} integer "
      f"bits, /{2 ** -rs.MIN_TABLE} entries) that still meets the criterion on the first "
      f"{meta['screen']} samples (the lowest level tried first, then bisection); the result "
      f"is then checked "
      f"on all {n} (where it misses, every lowered knob goes back up one level, at most "
      f"{rs.REPAIRS} times). **Extra bits** = the total width of all the types the closing "
      f"configuration resolves (`fixnn show -c`: each result, internal type and weight type "
      f"once) minus the default configuration's, plus one per doubling of a table; negative "
      f"where the closing configuration is narrower overall. Writing a type explicitly can "
      f"change the graph (a QKeras po2 alpha folded into its Dense stays a Scale layer of its "
      f"own, whose result is then a knob too).")
    w("")
    w("## Summary")
    w("")
    w("| | models | read (`show`) | emulated (`predict`) | HLS compiled and checked | "
      "searched |")
    w("|---|---|---|---|---|---|")
    for label, group in (("QKeras sweep", sweep), ("float", floats), ("all", models)):
        w(f"| {label} | {len(group)} | "
          f"{sum(1 for r in group if r.get('show', {}).get('ok'))} | "
          f"{sum(1 for r in group if r in emulated)} | {sum(1 for r in group if r in checked)} "
          f"| {sum(1 for r in group if r in searched)} |")
    w("")
    sw = [r for r in sweep if r.get("search")]
    if sw:
        strict = sum(1 for r in searched if r["search"]["target_kind"] == "strict")
        missed = [r["id"] for r in searched if not r["search"]["meets_target"]]
        overflow = [r for r in sw if r["default_gap"]["max"] >= 0.5]
        w(f"* Of the {len(searched)} models searched, {strict} reach the strict criterion; the "
          f"others stop at the smallest reachable gap. "
          + (f"{len(missed)} miss their target on all samples and keep the floor: "
             f"{model_list(missed)}." if missed else "Every closing configuration meets its "
                                                      "target on all samples."))
        w(f"* QKeras sweep, medians over the {len(sw)} models searched: mean |d| "
          f"{e(median([r['default_gap']['mean'] for r in sw]))} with the default "
          f"configuration, {e(median([r['search']['closed']['mean'] for r in sw]))} closed; "
          f"changed decisions {count(median([r['default_gap']['flips'] for r in sw]), n)} "
          f"default, {count(median([r['search']['closed']['flips'] for r in sw]), n)} closed "
          f"(of {n}); extra bits of the closing configuration "
          f"{median([r['search']['extra_bits'] for r in sw]):+g} (range "
          f"{min(r['search']['extra_bits'] for r in sw):+d} to "
          f"{max(r['search']['extra_bits'] for r in sw):+d}).")
        if overflow:
            widened = collections.Counter()
            for r in overflow:
                s = r["search"]
                widened.update(k[: -len(".int")] for k, lv in zip(s["knobs"], s["levels"])
                               if k.endswith(".int") and lv > 0)
            wraps = collections.Counter()
            wrapping = 0
            for r in overflow:
                sites = {(o["node"], o["site"]) for o in r.get("default_overflow", [])
                         if "SAT" not in o["type"]}
                wraps.update(sites)
                wrapping += 1 if sites else 0
            w(f"* {len(overflow)} QKeras models reach max |d| ≥ 0.5 with the default "
              f"configuration (an output on the wrong side of the sigmoid): "
              f"{model_list([r['id'] for r in overflow])}. In {wrapping} of them the default "
              f"run's overflow report (`fixnn predict --overflow`, all {n} samples) shows "
              f"values wrapping in an `AP_WRAP` type: "
              + ", ".join(f"`{node}` {site} ({c} models)"
                          for (node, site), c in wraps.most_common(4))
              + ". Their closing configurations add integer bits to "
              + ", ".join(f"`{k}` ({c} models)" for k, c in widened.most_common(4)) + ".")
        w("")
    refused = refusals(models)
    if refused:
        w("### Refusals and failures")
        w("")
        w("| step | message | models |")
        w("|---|---|---|")
        for (step, message), ids in refused.items():
            w(f"| {step} | `{message}` | {len(ids)}: {model_list(ids)} |")
        w("")

    head = ("| model | {} | default gap: max / mean / changed | closed gap: max / mean / "
            "changed | extra bits | target | HLS check: default / closing |")
    rule = "|---|---|---|---|---|---|---|"

    def row(r, what):
        s = r.get("search")
        if not r.get("emulated", {}).get("ok"):
            return (f"| `{r['id']}` | {what} | not emulated | — | — | — | "
                    f"{hls_cell(r.get('convert'))} / — |")
        target = "—"
        if s:
            target = s["target_kind"] + ("" if s["meets_target"] else " (missed: floor)")
        return (f"| `{r['id']}` | {what} | {gap_cell(r.get('default_gap'), n)} | "
                f"{gap_cell(s['closed'] if s else None, n)} | "
                f"{'%+d' % s['extra_bits'] if s else '—'} | {target} | "
                f"{hls_cell(r.get('convert'))} / {hls_cell(s.get('closing_convert') if s else None)} |")

    w("## The QKeras sweep (QGRU / QLSTM top tagging)")
    w("")
    w("Every quantizer is `quantized_bits(1+I+F, I)`; *bits* = 1+I+F (I+F). *Changed*: "
      f"samples (of {n}) whose decision differs from QKeras'.")
    w("")
    if plotted:
        w(f"![mean |d| and changed decisions against bits, default and closed]({PLOT})")
        w("")
    w(head.format("bits"))
    w(rule)
    for r in sorted(sweep, key=lambda r: (r["family"], r["int_bits"], r["frac_bits"])):
        w(row(r, f"{r['bits']} ({r['int_bits']}+{r['frac_bits']})"))
    w("")
    w("## Float models")
    w("")
    w(head.format("what"))
    w(rule)
    for r in floats:
        w(row(r, r["note"]))
    w("")
    twins = [r for r in floats if "identical_to_twin" in r]
    if twins:
        w("The same model in two file forms gives the same outputs, bit for bit: " + "; ".join(
            f"`{r['id']}` = `{r['duplicate_of']}`: {'yes' if r['identical_to_twin'] else 'NO'}"
            for r in twins) + ". They are not searched twice.")
        w("")
    if later:
        lmeta = later[0]
        lsource = f", {lmeta['source']}" if lmeta.get("source") else ""
        moved = [(r, later_models[r["id"]]) for r in models
                 if r.get("default_gap") and later_models.get(r["id"], {}).get("default_gap")
                 and later_models[r["id"]]["default_gap"] != r["default_gap"]]
        w("## The default configuration at a later binary")
        w("")
        w(f"The default configuration again, without search, at fixnn binary sha256 "
          f"`{lmeta['fixnn_sha256']}…`{lsource} (`{lmeta['command']}`; dotted lines in the "
          f"plot): {len(moved)} of the {len(models)} models' default gaps differ from the "
          f"ones above, the others are identical. Gap: max / mean / changed, of {n} samples.")
        w("")
        w("| model | default gap above | default gap, later binary |")
        w("|---|---|---|")
        for r, lr in moved:
            w(f"| `{r['id']}` | {gap_cell(r['default_gap'], n)} | "
              f"{gap_cell(lr['default_gap'], n)} |")
        w("")
    if searched:
        w("## Closing configurations")
        w("")
        w("Each type or table size the closing configuration moves away from the default "
          "(types that end at their default are not listed; the full YAML files are in "
          "`~/.cache/fixnn/rnn-corpus/configs/`).")
        w("")
        for r in searched:
            s = r["search"]
            w(f"* `{r['id']}` ({s['extra_bits']:+d} bits; {s['evaluations']['screen']} "
              f"screening + {s['evaluations']['full']} full evaluations, "
              f"{s['seconds']:.0f} s): " + ("; ".join(s["changes"]) or "the default"))
        w("")
    (out_dir / "rnn-corpus.md").write_text("\n".join(L))


def main():
    import argparse
    import json

    p = argparse.ArgumentParser(description="Write the study's page and plot from its results.")
    p.add_argument("--results", default=str(Path.home() / ".cache/fixnn/rnn-corpus/results.json"))
    p.add_argument("--out", required=True, help="the docs folder")
    p.add_argument("--source", help="where the fixnn binary came from (a commit), for the page")
    p.add_argument("--later", help="the results.json of a run without search (--no-search) at "
                                   "a later fixnn binary, whose default gaps are shown too")
    p.add_argument("--later-source", help="where that binary came from")
    args = p.parse_args()
    data = json.loads(Path(args.results).read_text())
    meta = dict(data["meta"])
    if args.source:
        meta["source"] = args.source
    meta["doc_command"] = "python3 scripts/corpus/rnn_doc.py " + " ".join(
        f'"{a}"' if " " in a else a for a in sys.argv[1:]).replace(str(Path.home()), "~")
    later = None
    if args.later:
        ldata = json.loads(Path(args.later).read_text())
        lmeta = dict(ldata["meta"])
        if args.later_source:
            lmeta["source"] = args.later_source
        later = (lmeta, ldata["models"])
    write(Path(args.out), meta, data["models"], later)


if __name__ == "__main__":
    main()
