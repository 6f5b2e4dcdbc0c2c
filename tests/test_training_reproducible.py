"""The shipped models are what the training scripts build from the data: retraining both
tracks from the benchmarks' development pages gives the model files byte for byte."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_shipped_models_rebuild_byte_for_byte():
    run = subprocess.run([sys.executable, "-m", "training.train", "--check"], cwd=ROOT,
                         capture_output=True, text=True, timeout=3600)
    report = run.stdout + run.stderr
    assert run.returncode == 0, report
    for track in ("text", "html"):
        assert f"{track}_model.json: identical" in report
        assert f"{track}_model_folds.json: identical" in report
