import os
import pathlib

import pytest


@pytest.fixture(scope="session")
def shared() -> pathlib.Path:
    env = os.environ.get("WABAKIT_SHARED")
    if env:
        return pathlib.Path(env)
    return pathlib.Path(__file__).resolve().parents[3].parent / "shared"
