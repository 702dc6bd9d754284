import json
import pathlib
from typing import Any, Callable

import pytest

# The vendor examples and signing vectors, kept in the repository (tests/data/vendor/).
VENDOR = pathlib.Path(__file__).resolve().parents[3] / "tests" / "data" / "vendor"


def vendor_json(name: str) -> Any:
    """`tests/data/vendor/<name>` as JSON, without its `//` provenance header."""
    lines = (VENDOR / name).read_text(encoding="utf-8").splitlines(keepends=True)
    while lines and lines[0].startswith("//"):
        lines.pop(0)
    return json.loads("".join(lines))


@pytest.fixture(scope="session")
def vendor() -> Callable[[str], Any]:
    return vendor_json
