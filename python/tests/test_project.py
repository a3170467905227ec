"""write(), compile() and build(): the HLS project, built with g++, computes predict's values."""

import os

import numpy as np
import pytest

import fixnn
from conftest import KERAS, fixture


@pytest.fixture(scope="module")
def jet(tmp_path_factory):
    out = tmp_path_factory.mktemp("prj") / "jet"
    inputs = KERAS / "qk_jet_tagging_mlp" / "input.npy"
    model = fixnn.converters.convert_from_keras_model(
        fixture("qk_jet_tagging_mlp"), output_dir=out, project_name="jet",
        part="xcu250-figd2104-2L-e", clock_period=4, input_data_tb=inputs)
    return model, np.load(inputs)


def test_write(jet):
    model, X = jet
    folder = model.write()
    assert os.path.isfile(os.path.join(folder, "firmware", "jet.cpp"))
    tb = os.path.join(folder, "tb_data", "tb_input_features.dat")
    assert os.path.isfile(tb) and len(open(tb).read().splitlines()) == len(X)
    tcl = open(os.path.join(folder, "build_prj.tcl")).read()
    assert "xcu250-figd2104-2L-e" in tcl and "set clock_period 4" in tcl


def test_compile_equals_predict(jet):
    model, X = jet
    with pytest.raises(fixnn.Error, match="compile"):
        model.predict(X, engine="compiled")
    model.compile()
    compiled = model.predict(X, engine="compiled")
    assert compiled.shape == (64, 5)
    assert np.array_equal(compiled, model.predict(X))
    assert np.array_equal(model.predict(X[7], engine="compiled"), compiled[7])


def test_build_without_vendor_tool(jet, monkeypatch, tmp_path):
    model, _ = jet
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(fixnn.Error, match="vivado_hls is not on PATH"):
        model.build(csim=True, synth=True)


def test_project_file(tmp_path):
    """convert_from_config reads an hls4ml project file, as `fixnn predict project.yml`."""
    path = fixture("qk_jet_tagging_mlp")
    yml = tmp_path / "prj.yml"
    yml.write_text(f"KerasH5: {path}\nOutputDir: {tmp_path / 'out'}\nProjectName: jp\n"
                   "HLSConfig:\n  Model:\n    Precision: fixed<18,8>\n    ReuseFactor: 1\n")
    model = fixnn.converters.convert_from_config(yml)
    assert model.config["ProjectName"] == "jp"
    X = np.load(KERAS / "qk_jet_tagging_mlp" / "input.npy")
    direct = fixnn.converters.convert_from_keras_model(
        path, hls_config={"Model": {"Precision": "fixed<18,8>", "ReuseFactor": 1}})
    assert np.array_equal(model.predict(X), direct.predict(X))
    yml.write_text(f"KerasH5: {path}\nHLSConfig:\n  Model:\n    Precison: fixed<18,8>\n")
    with pytest.raises(fixnn.Error, match=r"prj.yml:4: .*unknown key 'Precison'"):
        fixnn.converters.convert_from_config(yml)


def test_read_report():
    from conftest import DATA

    folder = DATA / "hls_reports" / "vivado_hls_2020_1_hls4ml"
    if not folder.exists():
        pytest.skip(f"{folder} is missing")
    report = fixnn.report.read_report(folder / "myproject_csynth.xml")
    assert report["part"] == "xc7z020-clg400-1"
    assert report["latency"]["max_cycles"] == 10 and report["resources"]["DSP"]["used"] == 73
    from_text = fixnn.report.read_report(folder / "myproject_csynth.rpt")
    assert from_text["latency"]["max_cycles"] == 10
    with pytest.raises(fixnn.Error, match="no C-synthesis report"):
        fixnn.report.read_report(folder)
