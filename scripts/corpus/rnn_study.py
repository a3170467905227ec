#!/usr/bin/env python3
"""The recurrent corpus study: every GRU / LSTM model under shared/models through fixnn's
command line (show, predict, convert --check), its outputs against the framework's own
(Keras / QKeras) on synthetic inputs, and per model the cheapest configuration that closes
the gap (rnn_search.py). Writes docs/rnn-corpus.md and docs/img/rnn-corpus.svg.

    python3 scripts/corpus/rnn_study.py --fixnn build/release/tools/fixnn/fixnn --out docs

Needs numpy, PyYAML and matplotlib: a plain python3 without them re-runs itself under
~/.cache/fixnn/venv-keras3. The references run under ~/.cache/fixnn/venv-keras2 (TensorFlow
2.14 + QKeras). Everything computed is cached in ~/.cache/fixnn/rnn-corpus, keyed by the
fixnn binary, the model file, the inputs and these scripts, so a rerun redoes only what
changed. With --revalidate, a model whose cached result came from another fixnn binary or
other scripts (the same model file, inputs and settings) is not searched again when the
current binary reproduces its reported numbers exactly: the default and closing
configurations' gaps (max, mean, changed decisions, recomputed from fresh predictions) equal
the cached ones, and both configurations pass `convert --check` again.
"""

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
VENV = Path.home() / ".cache" / "fixnn"

try:
    import numpy as np
    import yaml
except ImportError:
    python = VENV / "venv-keras3" / "bin" / "python"
    if python.exists() and Path(sys.prefix).resolve() != python.parents[1].resolve():
        os.execv(str(python), [str(python), __file__] + sys.argv[1:])
    raise

sys.path.insert(0, str(HERE))
import rnn_doc  # noqa: E402
import rnn_models  # noqa: E402
import rnn_search  # noqa: E402
from rnn_fixnn import Fixnn, FixnnError, parse_show, write_config  # noqa: E402

SEED = 20261121


def sha256(path, n=16):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()[:n]


def scripts_digest():
    h = hashlib.sha256()
    for name in ("rnn_study.py", "rnn_search.py", "rnn_fixnn.py", "rnn_models.py",
                 "rnn_reference.py"):
        h.update((HERE / name).read_bytes())
    return h.hexdigest()[:16]


class Study:
    def __init__(self, args):
        self.args = args
        self.cache = Path(args.cache).expanduser()
        for sub in ("inputs", "ref", "results", "configs", "work", "projects"):
            (self.cache / sub).mkdir(parents=True, exist_ok=True)
        self.fixnn = Fixnn(args.fixnn, threads=args.threads)
        self.fixnn_sha = sha256(args.fixnn)
        self.scripts = scripts_digest()
        self.inputs = {}  # input shape -> (full .npy, screening .npy)

    # Inputs and references -------------------------------------------------------------
    def input_files(self, shape):
        shape = tuple(shape)
        if shape not in self.inputs:
            tag = "x".join(map(str, shape))
            full = self.cache / "inputs" / f"x_{tag}_seed{SEED}_n{self.args.samples}.npy"
            screen = self.cache / "inputs" / f"x_{tag}_seed{SEED}_n{self.args.screen}.npy"
            if not full.exists() or not screen.exists():
                rng = np.random.default_rng(SEED)
                x = rng.standard_normal((self.args.samples,) + shape).astype(np.float32)
                np.save(full, x)
                np.save(screen, x[: self.args.screen])
            self.inputs[shape] = (full, screen)
        return self.inputs[shape]

    def ref_file(self, model, shape):
        full, _ = self.input_files(shape)
        digest = sha256(model.file(), 12)
        if model.weights_file():
            digest += sha256(model.weights_file(), 8)
        return self.cache / "ref" / f"{model.id}_{digest}_{full.stem}.npy"

    def make_references(self, todo):
        """todo: [(model, shape)] whose reference is not cached yet."""
        jobs = [{"id": m.id, "input": str(self.input_files(s)[0]),
                 "output": str(self.ref_file(m, s))} for m, s in todo]
        if not jobs:
            return
        job_file = self.cache / "work" / "reference_jobs.json"
        job_file.write_text(json.dumps(jobs, indent=1))
        python = VENV / "venv-keras2" / "bin" / "python"
        print(f"references: {len(jobs)} models with {python}", flush=True)
        subprocess.run([str(python), str(HERE / "rnn_reference.py"), str(job_file)],
                       check=True)

    # One model ---------------------------------------------------------------------------
    def result_key(self, model):
        parts = [self.fixnn_sha, sha256(model.file()), self.scripts, str(SEED),
                 str(self.args.samples), str(self.args.screen), str(self.args.convert),
                 str(self.args.search)]
        if model.weights_file():
            parts.append(sha256(model.weights_file()))
        return "-".join(parts)

    def fill_in(self, model, shape, r):
        """Adds to a cached result the fields added to the study after it was made (computed
        with the same binary, which its key names): the default run's overflow report.
        Returns whether anything was added."""
        if "default_overflow" in r or not r.get("emulated", {}).get("ok"):
            return False
        full_x, _ = self.input_files(shape)
        r["default_overflow"] = self.fixnn.overflow(
            model, self.cache / "configs" / f"{model.id}.default.yml", full_x,
            self.cache / "work" / model.id / "overflow.npy")
        return True

    @staticmethod
    def same_setting(old_key, key):
        """Whether two result keys differ at most in the fixnn binary and the scripts."""
        a, b = old_key.split("-"), key.split("-")
        return len(a) == len(b) and a[1] == b[1] and a[3:] == b[3:]

    def revalidate(self, model, shape, old):
        """The cached result `old`, where the current binary reproduces it (see the module
        comment), with the convert checks redone; None where it does not."""
        if not old.get("emulated", {}).get("ok") or old.get("search_error"):
            return None
        start = time.time()
        default_yml = self.cache / "configs" / f"{model.id}.default.yml"
        try:
            if not default_yml.exists() or self.fixnn.config(model) != default_yml.read_text():
                return None
            full_x, _ = self.input_files(shape)
            ref = np.load(self.ref_file(model, shape))
            work = self.cache / "work" / model.id
            classifier = old.get("classifier", True)
            y = self.fixnn.predict(model, default_yml, full_x, work / "revalidate.npy")
            if rnn_search.gap(y, ref, classifier) != old.get("default_gap"):
                return None
            s = old.get("search")
            if s:
                y = self.fixnn.predict(model, s["closing_config"], full_x,
                                       work / "revalidate.npy")
                if rnn_search.gap(y, ref, classifier) != s["closed"]:
                    return None
        except FixnnError:
            return None
        r = json.loads(json.dumps(old))
        if self.args.convert:
            r["convert"] = dict(zip(("status", "message"), self.fixnn.convert_check(
                model, default_yml, self.cache / "projects" / model.id)))
            if s:
                r["search"]["closing_convert"] = dict(zip(
                    ("status", "message"), self.fixnn.convert_check(
                        model, s["closing_config"],
                        self.cache / "projects" / f"{model.id}.closing")))
        # Where the search was made: kept through later revalidations.
        first = old.get("revalidated", {})
        r["revalidated"] = {
            "searched_with_fixnn_sha256": first.get("searched_with_fixnn_sha256",
                                                    old["key"].split("-")[0]),
            "searched_with_scripts": first.get("searched_with_scripts", first.get(
                "scripts", old["key"].split("-")[2])),
            "seconds": time.time() - start}
        return r

    def study(self, model, shape, results):
        out = {"id": model.id, "family": model.family, "cell": model.cell,
               "int_bits": model.int_bits, "frac_bits": model.frac_bits, "bits": model.bits,
               "path": model.path, "weights": model.weights, "note": model.note,
               "duplicate_of": model.duplicate_of}
        work = self.cache / "work" / model.id
        work.mkdir(parents=True, exist_ok=True)
        timing = {}
        start = time.time()
        try:
            self.fixnn.show(model)
            out["show"] = {"ok": True, "message": "read"}
        except FixnnError as e:
            out["show"] = {"ok": False, "message": str(e)}
        timing["show"] = time.time() - start

        default_yml = self.cache / "configs" / f"{model.id}.default.yml"
        try:
            default_text = self.fixnn.config(model)
            default_yml.write_text(default_text)
            default_config = yaml.safe_load(default_text)
        except FixnnError as e:
            out["emulated"] = {"ok": False, "message": f"fixnn config: {e}"}
            out["convert"] = {"status": "refused", "message": f"fixnn config: {e}"}
            return out

        full_x, screen_x = self.input_files(shape)
        ref = np.load(self.ref_file(model, shape))
        classifier = model.id != "hostpipe_gru"
        out["classifier"] = classifier
        out["outputs"] = int(ref.shape[1])
        start = time.time()
        try:
            y = self.fixnn.predict(model, default_yml, full_x, work / "default.npy")
            out["emulated"] = {"ok": True, "message": "predicted"}
            out["default_gap"] = rnn_search.gap(y, ref, classifier)
            out["default_overflow"] = self.fixnn.overflow(model, default_yml, full_x,
                                                          work / "overflow.npy")
        except FixnnError as e:
            y = None
            out["emulated"] = {"ok": False, "message": str(e)}
        timing["predict"] = time.time() - start

        if model.duplicate_of and y is not None:
            twin = results.get(model.duplicate_of)
            twin_y = self.cache / "work" / model.duplicate_of / "default.npy"
            if twin and twin.get("emulated", {}).get("ok") and twin_y.exists():
                out["identical_to_twin"] = bool(np.array_equal(np.load(twin_y), y))

        if self.args.convert:
            start = time.time()
            project = self.cache / "projects" / model.id
            status, message = self.fixnn.convert_check(model, default_yml, project)
            out["convert"] = {"status": status, "message": message}
            timing["convert"] = time.time() - start
        else:
            out["convert"] = {"status": "skipped", "message": "run without --no-convert"}

        if y is not None and self.args.search and not model.duplicate_of:
            start = time.time()
            try:
                out["search"] = self.search(model, default_config, full_x, screen_x, ref,
                                            classifier, work, y)
            except (FixnnError, RuntimeError) as e:
                out["search_error"] = str(e)
                print(f"    search failed: {e}", flush=True)
            timing["search"] = time.time() - start
        out["timing"] = timing
        return out

    def search(self, model, default_config, full_x, screen_x, ref, classifier, work,
               default_y):
        default_yml = self.cache / "configs" / f"{model.id}.default.yml"
        default_show = self.fixnn.show(model, default_yml)
        default_nodes = parse_show(default_show)
        float_weights = model.family == "float"
        knobs = rnn_search.knobs_of(default_nodes, float_weights)
        screen_ref = ref[: self.args.screen]
        followers = {}
        counter = [0]

        def config_for(levels):
            return rnn_search.apply_levels(default_config, knobs, levels, followers)

        def evaluate(levels, full):
            counter[0] += 1
            path = work / "trial.yml"
            write_config(config_for(levels), path)
            try:
                y = self.fixnn.predict(model, path, full_x if full else screen_x,
                                       work / "trial.npy")
            except FixnnError as e:
                print(f"      refused: {rnn_search.describe(knobs, levels)}: {e}", flush=True)
                return None
            if counter[0] % 25 == 0:
                print(f"      ... {counter[0]} evaluations", flush=True)
            return rnn_search.gap(y, ref if full else screen_ref, classifier)

        # Every type written explicitly at its default: the base of the search. Where that
        # keeps the default graph, it must give the default outputs bit for bit.
        known = list(default_nodes)
        for _ in range(4):
            zero = [0] * len(knobs)
            write_config(config_for(zero), work / "pinned.yml")
            pinned_show = self.fixnn.show(model, work / "pinned.yml")
            if not rnn_search.extend_for_pinning(known, parse_show(pinned_show), knobs,
                                                 followers, float_weights):
                break
        graph = lambda text: text.split("configuration per layer")[0]  # noqa: E731
        same_graph = graph(pinned_show) == graph(default_show)
        if same_graph:
            y0 = self.fixnn.predict(model, work / "pinned.yml", full_x, work / "pinned.npy")
            if not np.array_equal(y0, default_y):
                raise RuntimeError(f"{model.id}: writing the default types explicitly changes "
                                   "the outputs")
        default_bits = rnn_search.graph_bits(default_nodes)

        def extra_bits(levels):
            write_config(config_for(levels), work / "cost.yml")
            nodes = parse_show(self.fixnn.show(model, work / "cost.yml"))
            tables = sum(lv for k, lv in zip(knobs, levels) if k.kind == "table")
            return rnn_search.graph_bits(nodes) - default_bits + tables

        result = rnn_search.Search(knobs, evaluate, (len(ref), len(screen_ref)),
                                   log=lambda s: print(s, flush=True)).run()
        result["pinned_is_default_graph"] = same_graph
        result["extra_bits"] = extra_bits(result["levels"])
        result["floor_bits"] = extra_bits(result["floor_levels"])
        closing = config_for(result["levels"])
        closing_yml = self.cache / "configs" / f"{model.id}.closing.yml"
        write_config(closing, closing_yml)
        result["knobs"] = [k.label for k in knobs]
        result["changes"] = rnn_search.describe(knobs, result["levels"])
        result["floor_changes"] = rnn_search.describe(knobs, result["floor_levels"])
        result["closing_config"] = str(closing_yml)
        if self.args.convert:
            status, message = self.fixnn.convert_check(
                model, closing_yml, self.cache / "projects" / f"{model.id}.closing")
            result["closing_convert"] = {"status": status, "message": message}
        return result

    def run(self):
        models = rnn_models.all_models()
        if self.args.models:
            import re

            models = [m for m in models if re.search(self.args.models, m.id)]
        shapes = {}
        for m in models:
            shapes[m.id] = (32, 3) if m.id == "hostpipe_gru" else (20, 6)
        self.make_references([(m, shapes[m.id]) for m in models
                              if not self.ref_file(m, shapes[m.id]).exists()])
        results = {}
        total = time.time()
        for k, m in enumerate(models):
            cached = self.cache / "results" / f"{m.id}.json"
            key = self.result_key(m)
            if cached.exists() and not self.args.fresh:
                old = json.loads(cached.read_text())
                if old.get("key") == key and self.fill_in(m, shapes[m.id], old):
                    cached.write_text(json.dumps(old, indent=1))
                if old.get("key") == key:
                    results[m.id] = old
                    print(f"[{k + 1}/{len(models)}] {m.id}: cached", flush=True)
                    continue
                if self.args.revalidate and self.same_setting(old.get("key", ""), key):
                    r = self.revalidate(m, shapes[m.id], old)
                    if r is not None:
                        self.fill_in(m, shapes[m.id], r)
                        r["key"] = key
                        results[m.id] = r
                        cached.write_text(json.dumps(r, indent=1))
                        print(f"[{k + 1}/{len(models)}] {m.id}: revalidated "
                              f"({r['revalidated']['seconds']:.0f} s)", flush=True)
                        continue
                    print(f"[{k + 1}/{len(models)}] {m.id}: not reproduced, studied again",
                          flush=True)
            print(f"[{k + 1}/{len(models)}] {m.id}", flush=True)
            start = time.time()
            r = self.study(m, shapes[m.id], results)
            r["seconds"] = time.time() - start
            r["key"] = key
            results[m.id] = r
            cached.write_text(json.dumps(r, indent=1))
            print(f"    {summary(r)} ({r['seconds']:.0f} s)", flush=True)
        meta = {
            "fixnn": str(self.args.fixnn),
            "fixnn_sha256": self.fixnn_sha,
            "fixnn_version": subprocess.run([str(self.args.fixnn), "--version"],
                                            capture_output=True, text=True).stdout.strip(),
            "seed": SEED,
            "samples": self.args.samples,
            "screen": self.args.screen,
            "tol": rnn_search.TOL,
            "floor_slack": rnn_search.FLOOR_SLACK,
            "wall_seconds_this_run": time.time() - total,
            "study_seconds": sum(r.get("seconds", 0.0) for r in results.values()),
            "command": "python3 scripts/corpus/rnn_study.py " + " ".join(sys.argv[1:]),
        }
        (self.cache / "results.json").write_text(
            json.dumps({"meta": meta, "models": list(results.values())}, indent=1))
        if self.args.out:
            rnn_doc.write(Path(self.args.out), meta, [results[m.id] for m in models])
        return results


def summary(r):
    parts = [("show ok" if r.get("show", {}).get("ok") else "show refused"),
             ("emulated" if r.get("emulated", {}).get("ok") else "not emulated"),
             r.get("convert", {}).get("status", "")]
    if "default_gap" in r:
        g = r["default_gap"]
        parts.append(f"default max|d| {g['max']:.3g} flips {rnn_search.fmt_flips(g['flips'])}")
    return ", ".join(parts)


def main():
    root = HERE.parents[1]
    default_fixnn = next((p for p in (root / "build/corpus/tools/fixnn/fixnn",
                                      root / "build/release/tools/fixnn/fixnn") if p.exists()),
                         None)
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--fixnn", type=Path, default=default_fixnn, help="the fixnn binary")
    p.add_argument("--out", help="write rnn-corpus.md and img/rnn-corpus.svg into this folder")
    p.add_argument("--cache", default=str(VENV / "rnn-corpus"))
    p.add_argument("--samples", type=int, default=10000)
    p.add_argument("--screen", type=int, default=500, help="screening samples in the search")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--models", help="only the models whose id matches this regex")
    p.add_argument("--no-convert", dest="convert", action="store_false")
    p.add_argument("--no-search", dest="search", action="store_false")
    p.add_argument("--fresh", action="store_true", help="ignore cached per-model results")
    p.add_argument("--revalidate", action="store_true",
                   help="keep a cached result from another binary or scripts where the current "
                        "binary reproduces its numbers (see above)")
    p.add_argument("--require-ok", action="store_true",
                   help="exit 1 unless every model studied is read, emulated and its HLS "
                        "project checked; exit 77 (a skip for ctest) when the models or the "
                        "Keras 2 environment are missing")
    args = p.parse_args()
    if not args.fixnn or not Path(args.fixnn).exists():
        p.error("no fixnn binary: build the fixnn target and pass --fixnn")
    args.fixnn = Path(args.fixnn).resolve()
    missing = [str(x) for x in (rnn_models.MODELS, VENV / "venv-keras2" / "bin" / "python")
               if not x.exists()]
    if missing:
        print(f"skipped: {', '.join(missing)} not found", file=sys.stderr)
        return 77 if args.require_ok else 0
    shutil.which("g++") or print("warning: no g++; convert --check will fail", file=sys.stderr)
    results = Study(args).run()
    if args.require_ok:
        bad = [r["id"] for r in results.values()
               if not (r.get("show", {}).get("ok") and r.get("emulated", {}).get("ok")
                       and r.get("convert", {}).get("status") in ("checked", "skipped"))]
        if bad:
            print(f"not read, emulated and checked: {', '.join(bad)}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
