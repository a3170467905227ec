"""FixnnModel: what hls4ml's ModelGraph is to its users, computed by fixnn."""

import os
import shutil
import subprocess

import numpy as np

from . import _fixnn


def _arrays(X):
    """X as a list of float64 C-contiguous arrays (copied only when it is not one already)."""
    xs = list(X) if isinstance(X, (list, tuple)) else [X]
    return [np.ascontiguousarray(x, dtype=np.float64) for x in xs]


def _one_or_list(outputs):
    return outputs[0] if len(outputs) == 1 else outputs


class FixnnModel:
    """A configured model: bit-exact predictions, traces and overflow counts from fixnn's
    emulator, and the Vitis/Vivado HLS project that computes the same values.

    Inputs are NumPy arrays [N, input shape...] (one sample may omit N), one per model input
    (a list for several); outputs are float64 arrays holding the exact fixed-point values,
    a list for several outputs.
    """

    def __init__(self, impl, hls_config=None, tb_inputs=None):
        self._impl = impl
        self._hls_config = hls_config
        self._tb_inputs = tb_inputs

    # --- predictions -------------------------------------------------------------------------

    def predict(self, X, engine="emulator"):
        """What the firmware computes for X. engine 'emulator' (default) runs fixnn's bit-exact
        emulator; 'compiled' runs the project built by compile() (the same values)."""
        if engine == "emulator":
            return _one_or_list(self._impl.predict(_arrays(X)))
        if engine == "compiled":
            return _one_or_list(self._impl.predict_compiled(_arrays(X)))
        raise ValueError(f"engine '{engine}': expected 'emulator' or 'compiled'")

    def trace(self, X):
        """(predictions, {layer name: outputs}) as hls4ml's trace returns them: every layer's
        outputs [N, shape...], the inputs' too, exact fixed-point values."""
        outputs, trace = self._impl.trace(_arrays(X))
        return _one_or_list(outputs), trace

    def overflow_report(self, X, verbose=False):
        """The values that wrapped or saturated running X, per layer and cast site
        ('input', 'product', 'accum', 'result', ...), and while storing weights and tables
        ('setup'). A dict with 'run', 'setup' (lists of {layer, site, type, casts, overflow,
        underflow}), their totals and 'text'; verbose prints the text."""
        report = self._impl.overflow(_arrays(X))
        if verbose:
            print(report["text"], end="")
        return report

    # --- the HLS project ---------------------------------------------------------------------

    @property
    def config(self):
        """Project settings (OutputDir, ProjectName, Part, ClockPeriod, IOType, Backend), the
        HLSConfig given, inputs and outputs."""
        info = self._impl.info()
        info["HLSConfig"] = self._hls_config
        return info

    @property
    def output_dir(self):
        return self._impl.info()["OutputDir"]

    def layers(self):
        """Every layer with its types and weights (list of dicts)."""
        return self._impl.layers()

    def write(self, tb_inputs=None):
        """Writes the HLS project into output_dir (replacing it), with tb_data/ from
        `tb_inputs` (default: convert's input_data_tb) and the emulator's outputs when given.
        Returns the folder."""
        if tb_inputs is None:
            tb_inputs = self._tb_inputs
        return self._impl.write(_arrays(tb_inputs) if tb_inputs is not None else [])

    def compile(self, ap_include_dir=""):
        """Writes the project and builds it with g++ (the C simulation, in process); then
        predict(X, engine='compiled') runs it. `ap_include_dir`: the vendor's ap_types folder
        (default: fixnn's headers, written with the project)."""
        self.write()
        self._impl.compile(os.fspath(ap_include_dir))

    def build(self, reset=False, csim=True, synth=True, cosim=False, validation=False,
              export=False, vsynth=False, **kwargs):
        """Runs the vendor tool on the written project, as hls4ml's build: vitis_hls for the
        Vitis backend, vivado_hls for the others (found on PATH). Returns the synthesis report
        as fixnn.report.read_report reads it (None when synth is off).

        Raises:
            fixnn.Error: the tool is not on PATH, or it failed.
        """
        del validation, kwargs
        info = self._impl.info()
        tool = "vitis_hls" if info["Backend"] == "Vitis" else "vivado_hls"
        exe = shutil.which(tool)
        if exe is None:
            raise _fixnn.Error(
                f"{tool} is not on PATH: the {info['Backend']} backend's synthesis needs "
                f"Xilinx's {tool} (predict, trace and compile need no vendor tool)")
        project = info["OutputDir"]
        if not os.path.isfile(os.path.join(project, "build_prj.tcl")):
            self.write()
        flags = dict(reset=reset, csim=csim, synth=synth, cosim=cosim, export=export,
                     vsynth=vsynth)
        args = " ".join(f"{k}={int(bool(v))}" for k, v in flags.items())
        result = subprocess.run([exe, "-f", "build_prj.tcl", "-tclargs", args], cwd=project)
        if result.returncode != 0:
            raise _fixnn.Error(f"{project}: {tool} failed (exit status {result.returncode})")
        return self.read_report() if synth else None

    def read_report(self):
        """The synthesis report of the project in output_dir (fixnn.report.read_report)."""
        from .report import read_report

        return read_report(self.output_dir)

    def __repr__(self):
        info = self._impl.info()
        return (f"FixnnModel(project={info['ProjectName']!r}, output_dir={info['OutputDir']!r}, "
                f"inputs={info['inputs']}, outputs={info['outputs']})")
