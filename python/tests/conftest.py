"""Shared fixtures: the repository's test data, the fixnn command, a quiet TensorFlow."""

import os
import pathlib
import shutil

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

REPO = pathlib.Path(__file__).resolve().parents[2]
DATA = pathlib.Path(os.environ.get("FIXNN_TEST_DATA", REPO / "tests" / "data"))
KERAS = DATA / "keras"


@pytest.fixture(scope="session")
def fixnn_cli():
    """The fixnn command (FIXNN_CLI, else on PATH); tests that need it skip without it."""
    path = os.environ.get("FIXNN_CLI") or shutil.which("fixnn")
    if not path or not os.path.exists(path):
        pytest.skip("the fixnn command is not built (set FIXNN_CLI)")
    return path


def fixture(name, file="model.h5"):
    path = KERAS / name / file
    if not path.exists():
        pytest.skip(f"{path} is missing")
    return path
