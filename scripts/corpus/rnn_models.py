"""The recurrent models of the corpus study: every GRU / LSTM model under shared/models.

Imports only the standard library (it is read by the driver and by the Keras 2 reference
runner alike).
"""

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
MODELS = Path(os.environ.get("FIXNN_SHARED_MODELS", REPO.parent / "shared" / "models"))

TOPTAG = "HLS4ML_RNN/src/python/hls4ml-rnn-toptag/qkeras"
RNN_TEST = "hls4ml-RNN-test/toptag_model"
HLS4ML_KERAS = "hls4ml/example-models/keras"


@dataclass
class Model:
    id: str  # short unique name, used in file names and tables
    path: str  # relative to MODELS
    family: str  # "qgru", "qlstm" (the QKeras sweep) or "float"
    cell: str  # "GRU" or "LSTM"
    weights: str = ""  # weights file for a JSON architecture, relative to MODELS
    int_bits: int = -1  # the sweep's I and F: every quantizer is quantized_bits(1+I+F, I)
    frac_bits: int = -1
    # Keras 2.14 fix-ups the reference needs: "gru_reset_before" (a Keras 2.1 GRU, whose
    # config predates reset_after and so means reset_after=False).
    fixups: list = field(default_factory=list)
    duplicate_of: str = ""  # same architecture and weights as this model (other file form)
    note: str = ""

    @property
    def bits(self):
        return 1 + self.int_bits + self.frac_bits if self.int_bits >= 0 else 0

    def file(self):
        return MODELS / self.path

    def weights_file(self):
        return MODELS / self.weights if self.weights else None


def _sweep():
    out = []
    for cell in ("gru", "lstm"):
        for i in (0, 2, 4):
            folder = MODELS / TOPTAG / f"q{cell}_{i}int_test5"
            if not folder.is_dir():
                continue
            fracs = sorted(int(m.group(1)) for p in folder.iterdir()
                           if (m := re.fullmatch(rf"model_q{cell}_(\d+)frac\.h5", p.name)))
            for f in fracs:
                out.append(Model(id=f"q{cell}_{i}int_{f}frac",
                                 path=f"{TOPTAG}/q{cell}_{i}int_test5/model_q{cell}_{f}frac.h5",
                                 family=f"q{cell}", cell=cell.upper(), int_bits=i, frac_bits=f))
    return out


FLOAT_MODELS = [
    Model("toptag_gru", f"{TOPTAG}/gru/model_gru.h5", "float", "GRU",
          note="GRU(20) -> Dense 64 -> ReLU -> Dense 1 sigmoid (the sweep's float baseline)"),
    Model("toptag_lstm", f"{TOPTAG}/lstm/model_toptag_lstm.h5", "float", "LSTM",
          note="LSTM(20) -> Dense 64 relu -> Dense 1 sigmoid (the sweep's float baseline)"),
    Model("rnntest_gru", f"{RNN_TEST}/gru/model_gru.h5", "float", "GRU",
          note="GRU(20) -> Dense 64 -> ReLU -> Dense 1 -> sigmoid"),
    Model("rnntest_gru5", f"{RNN_TEST}/gru/model_toptag_gru.h5", "float", "GRU",
          note="GRU(5) -> Dense 5 relu -> Dense 1 sigmoid (Keras 2.4)"),
    Model("rnntest_lstm", f"{RNN_TEST}/lstm/model_lstm.h5", "float", "LSTM",
          note="LSTM(20) -> Dense 64 -> ReLU -> Dense 1 -> sigmoid"),
    Model("KERAS_lstm_model", f"{HLS4ML_KERAS}/KERAS_lstm_model_weights.h5", "float", "LSTM",
          note="LSTM(16, relu, sequences) -> Flatten -> Dense 5 softmax (Keras 2.1.3)"),
    Model("KERAS_lstm_model.json", f"{HLS4ML_KERAS}/KERAS_lstm_model.json", "float", "LSTM",
          weights=f"{HLS4ML_KERAS}/KERAS_lstm_model_weights.h5",
          duplicate_of="KERAS_lstm_model", note="JSON architecture + the same weights"),
    Model("KERAS_gru_model", f"{HLS4ML_KERAS}/KERAS_gru_model_weights.h5", "float", "GRU",
          fixups=["gru_reset_before"],
          note="GRU(20, relu, reset_after=False) -> Dense 20 relu -> Dense 5 softmax "
               "(Keras 2.1.3)"),
    Model("KERAS_gru_model.json", f"{HLS4ML_KERAS}/KERAS_gru_model.json", "float", "GRU",
          weights=f"{HLS4ML_KERAS}/KERAS_gru_model_weights.h5", fixups=["gru_reset_before"],
          duplicate_of="KERAS_gru_model", note="JSON architecture + the same weights"),
    Model("KERAS_model", f"{HLS4ML_KERAS}/KERAS_model.json", "float", "LSTM",
          weights=f"{HLS4ML_KERAS}/KERAS_check_best_model_weights.h5",
          note="LSTM(16, relu) -> Dense 5 softmax (Keras 2.3.1, JSON + weights-only h5)"),
    Model("hostpipe_gru", "hls4ml/experiments/hostpipe_parallel/keras_model.keras", "float",
          "GRU", note="Conv1D(16, k=3) -> ReLU -> GRU(16) on [32, 3] (HDF5 named .keras)"),
]


def all_models():
    """Every model whose file exists, the QKeras sweep first."""
    return [m for m in _sweep() + FLOAT_MODELS if m.file().is_file()]
