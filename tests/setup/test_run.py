"""`./run`: waits for apt's lock instead of failing, says what it installs, and a browser it
cannot install costs only the browser test. CI runs exactly the README's test command."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

FAKE_APT_GET = """#!/usr/bin/env bash
echo "apt-get $*" >> "$LOG"
n=$(grep -c " update" "$LOG")
if [[ " $* " == *" update "* ]] && [ "$n" = 1 ]; then
  echo "E: Could not get lock /var/lib/apt/lists/lock. It is held by process 4242 (apt-get)" >&2
  exit 100
fi
if [[ " $* " == *" install "* ]]; then
  echo "E: Unable to locate package chromium" >&2
  exit 100
fi
"""


def _run_function(
    tmp_path: Path, function: str, **env: str
) -> tuple[subprocess.CompletedProcess[str], str]:
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    (bin_ / "apt-get").write_text(FAKE_APT_GET)
    (bin_ / "id").write_text("#!/usr/bin/env bash\necho 0\n")  # as root, as CI runs
    (bin_ / "sleep").write_text("#!/usr/bin/env bash\n")  # the wait loop, without the wait
    for tool in bin_.iterdir():
        tool.chmod(0o755)
    log = tmp_path / "apt.log"
    log.touch()
    result = subprocess.run(
        ["bash", "-c", f"source ./run && {function}"],
        cwd=ROOT,
        env={
            "PATH": f"{bin_}:/usr/bin:/bin",
            "LOG": str(log),
            "CHROMIUM": str(tmp_path / "no-chromium"),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result, log.read_text()


def test_a_held_apt_lock_is_waited_for_and_a_failed_install_does_not_stop_the_run(
    tmp_path: Path,
) -> None:
    result, calls = _run_function(tmp_path, "browser; echo tests-would-run-now")
    assert result.returncode == 0
    assert result.stdout == "tests-would-run-now\n"
    assert result.stderr.splitlines() == [
        "./run: installing Debian's chromium for the browser test (apt-get install chromium)",
        "./run: waiting for another apt-get or dpkg to finish",
        "E: Unable to locate package chromium",
        "./run: could not install chromium; the browser test will be skipped",
    ]
    assert calls.splitlines() == [
        "apt-get -o DPkg::Lock::Timeout=600 update -qq",
        "apt-get -o DPkg::Lock::Timeout=600 update -qq",
        "apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends chromium",
    ]


def test_an_installed_chromium_is_left_alone(tmp_path: Path) -> None:
    chromium = tmp_path / "no-chromium"
    chromium.write_text("#!/bin/sh\n")
    chromium.chmod(0o755)
    result, calls = _run_function(tmp_path, "browser")
    assert (result.returncode, result.stderr, calls) == (0, "", "")


def _fc_list(tmp_path: Path, families: str) -> str:
    """A fontconfig `fc-list` that knows the Hangul fonts `families` (one a line)."""
    fake = tmp_path / "fc-list"
    fake.write_text(f"#!/usr/bin/env bash\nprintf '%s' '{families}'\n")
    fake.chmod(0o755)
    return str(fake)


def test_a_missing_hangul_font_is_installed_and_a_failed_install_does_not_stop_the_run(
    tmp_path: Path,
) -> None:
    result, calls = _run_function(
        tmp_path, "hangul_font; echo lab-would-start-now", FC_LIST=_fc_list(tmp_path, "")
    )
    assert result.returncode == 0
    assert result.stdout == "lab-would-start-now\n"
    assert result.stderr.splitlines()[0] == (
        "./run: installing Debian's fonts-nanum, a Hangul font for the Korean labs' figures "
        "(apt-get install fonts-nanum)"
    )
    assert result.stderr.splitlines()[-1] == (
        "./run: could not install fonts-nanum; the Korean labs' figures will keep English labels"
    )
    assert calls.splitlines()[-1] == (
        "apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends fonts-nanum"
    )


def test_an_installed_hangul_font_is_left_alone(tmp_path: Path) -> None:
    fc_list = _fc_list(tmp_path, "NanumGothic\n")
    result, calls = _run_function(tmp_path, "hangul_font", FC_LIST=fc_list)
    assert (result.returncode, result.stderr, calls) == (0, "", "")


def test_both_commands_look_for_a_hangul_font() -> None:
    script = (ROOT / "run").read_text()
    for command in ("lab)", "test)"):
        branch = script.split(f"  {command}\n", 1)[1].split(";;", 1)[0]
        assert "\n    hangul_font\n" in branch


def test_ci_runs_the_readmes_test_command() -> None:
    readme = (ROOT / "README.md").read_text()
    commands = re.findall(r"^(\./run \w+)\s+#", readme, re.M)
    # the "Two commands" section, and the same two in the 한국어 section
    assert commands == ["./run lab", "./run test"] * 2
    ci = [
        line
        for line in (ROOT / ".ci" / "run").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    assert ci == ["set -euo pipefail", 'cd "$(dirname "$0")/.."', "./run test"]
