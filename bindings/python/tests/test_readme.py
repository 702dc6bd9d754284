"""The README's Python blocks run as they are written: each is a program of its own, run in an
empty folder against the sandbox it starts, so the docs cannot drift from the package."""

import os
import pathlib
import re

import pytest

README = pathlib.Path(__file__).resolve().parents[3] / "README.md"


def blocks() -> list:
    return re.findall(r"```python\n(.*?)\n```", README.read_text(encoding="utf-8"), re.S)


def test_the_readme_has_python_blocks():
    assert len(blocks()) >= 1


@pytest.mark.parametrize("number", range(len(blocks())))
def test_a_readme_python_block_runs(number, tmp_path, capsys):
    code = compile(blocks()[number], f"README.md python block {number + 1}", "exec")
    here = os.getcwd()
    os.chdir(tmp_path)
    try:
        exec(code, {"__name__": "__readme__"})
    finally:
        os.chdir(here)
    assert "order_update" in capsys.readouterr().out
