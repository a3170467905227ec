"""fixnn through its command line only: show, config, predict, convert, and a reader for the
graph `fixnn show -c CONFIG` prints (each node's resolved types)."""

import re
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml


class FixnnError(Exception):
    """fixnn refused or failed; the message is its own last line of output."""


@dataclass
class Node:
    name: str
    op: str  # fixnn's op: Input, Recurrent, Dense, Activation, Quantize, Scale, Conv ...
    keras_class: str  # the file's class where it differs from op ("QGRU", "QDense", ...)
    detail: str  # the rest of the line: "GRU units=20 act=tanh ...", "sigmoid", ...
    result: str  # the resolved output type
    inputs: list = field(default_factory=list)  # the nodes it reads
    types: dict = field(default_factory=dict)  # internal types: accum, state, table ...
    weights: dict = field(default_factory=dict)  # weight name -> (type, has_quantizer)
    output_quantizer: bool = False


NODE_RE = re.compile(r"^  (\S+) = (\w+)(?: \(([^)]*)\))?(.*?)-> \[[^\]]*\] ?(\S*)\s*$")
OVERFLOW_RE = re.compile(r"^(\S+) (\S+) (ap_u?fixed<[^>]*>): (\d+) above, (\d+) below \(of (\d+)\)$")
WEIGHT_RE = re.compile(r"^      (\w+) \[[^\]]*\](.*?)(?: type (\S+))?\s*$")


class Fixnn:
    def __init__(self, binary, threads=2, log=None):
        self.binary = str(binary)
        self.threads = threads
        self.log = log  # optional callable(str): every command line run
        self.calls = 0
        self.seconds = 0.0

    def run(self, args, timeout=600):
        cmd = [self.binary] + [str(a) for a in args]
        if self.log:
            self.log(" ".join(cmd))
        start = time.time()
        try:
            p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return 124, "", f"timed out after {timeout} s"
        finally:
            self.calls += 1
            self.seconds += time.time() - start
        return p.returncode, p.stdout, p.stderr

    @staticmethod
    def message(rc, out, err):
        lines = [s.strip() for s in (err + "\n" + out).splitlines() if s.strip()]
        text = next((s for s in lines if s.startswith("fixnn ")), lines[-1] if lines else "")
        return f"exit {rc}: {text}" if text else f"exit {rc}"

    def _model_args(self, model):
        args = [model.file()]
        if model.weights_file():
            args += ["-w", model.weights_file()]
        return args

    def show(self, model, config=None):
        args = ["show"] + self._model_args(model)
        if config:
            args += ["-c", config]
        rc, out, err = self.run(args)
        if rc != 0:
            raise FixnnError(self.message(rc, out, err))
        return out

    def config(self, model):
        """The default configuration: `fixnn config -g name`, hls4ml's usual granularity and
        what `fixnn predict` takes without -c."""
        rc, out, err = self.run(["config", "-g", "name"] + self._model_args(model))
        if rc != 0:
            raise FixnnError(self.message(rc, out, err))
        return out

    def predict(self, model, config, inputs, output):
        args = ["predict"] + self._model_args(model) + ["-i", inputs, "-o", output, "--force",
                                                         "-j", self.threads]
        if config:
            args += ["-c", config]
        rc, out, err = self.run(args)
        if rc != 0:
            raise FixnnError(self.message(rc, out, err))
        y = np.load(output)
        return y.reshape(len(y), -1)

    def overflow(self, model, config, inputs, output):
        """The run's overflow report (`fixnn predict --overflow`): one dict per cast site that
        had values out of range, {node, site, type, above, below, of}."""
        args = ["predict"] + self._model_args(model) + ["-i", inputs, "-o", output, "--force",
                                                         "-j", self.threads, "--overflow"]
        if config:
            args += ["-c", config]
        rc, out, err = self.run(args)
        if rc != 0:
            raise FixnnError(self.message(rc, out, err))
        sites = []
        for line in (out + "\n" + err).splitlines():
            m = OVERFLOW_RE.match(line.strip())
            if m:
                sites.append({"node": m.group(1), "site": m.group(2), "type": m.group(3),
                              "above": int(m.group(4)), "below": int(m.group(5)),
                              "of": int(m.group(6))})
        return sites

    def convert_check(self, model, config, folder, timeout=600):
        """`fixnn convert MODEL -c CONFIG -o FOLDER --check --force`: (status, message), status
        one of "checked", "converted" (written but the check failed) or "refused"."""
        shutil.rmtree(folder, ignore_errors=True)  # what is there afterwards is this run's
        args = ["convert"] + self._model_args(model) + ["-o", folder, "--check", "--force"]
        if config:
            args += ["-c", config]
        rc, out, err = self.run(args, timeout=timeout)
        text = (out + "\n" + err).strip()
        checked = [s.strip() for s in text.splitlines() if s.strip().startswith("checked")]
        if rc == 0:
            return "checked", checked[-1] if checked else text.splitlines()[-1]
        written = Path(folder).is_dir() and any(Path(folder).iterdir())
        return ("converted" if written else "refused"), self.message(rc, out, err)


def parse_show(text):
    """The nodes of `fixnn show` output, in order."""
    nodes = []
    for line in text.splitlines():
        m = NODE_RE.match(line)
        if m:
            name, op, cls, detail, result = m.groups()
            reads = re.search(r"<-\s*(.*)$", detail)
            inputs = [s.strip() for s in reads.group(1).split(",")] if reads else []
            detail = re.sub(r"\s*<-.*$", "", detail).strip()
            nodes.append(Node(name, op, cls or "", detail, result, [s for s in inputs if s]))
            continue
        if not nodes or not line.startswith("      "):
            continue
        node = nodes[-1]
        stripped = line.strip()
        if stripped.startswith("types "):
            for item in stripped[len("types "):].split():
                k, _, v = item.partition("=")
                node.types[k] = v
        elif stripped.startswith("output quantizer"):
            node.output_quantizer = True
        else:
            w = WEIGHT_RE.match(line)
            if w:
                node.weights[w.group(1)] = (w.group(3) or "", "quantizer" in w.group(2))
    return nodes


def write_config(config, path):
    Path(path).write_text(yaml.safe_dump(config, sort_keys=False, width=1000))
