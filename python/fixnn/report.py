"""hls4ml.report's readers: the synthesis reports Vivado HLS / Vitis HLS write."""

import json

from . import _fixnn


def read_report(path, verbose=False):
    """The C-synthesis report of a project folder (the folder holding <project>_prj, the
    _prj folder, a solution folder) or of a csynth .xml/.rpt file, as a dict: tool, part,
    clocks, latency (cycles and ns, interval), resources (used, available, percent) and the
    per-module rows; absent values are None. verbose prints the summary `fixnn report` prints.

    Raises:
        fixnn.Error: no report found (naming the folders looked in), or an unreadable one.
    """
    text, summary = _fixnn.read_report(str(path))
    if verbose:
        print(summary, end="" if summary.endswith("\n") else "\n")
    return json.loads(text)
