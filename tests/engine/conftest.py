"""Fixtures the engine tests share (the session-wide ones are in tests/conftest.py)."""

from __future__ import annotations

import pytest

from learner_cli import LearnerCli


@pytest.fixture
def cli(engine_client):
    """The learner's terminal: ``cli("run", …)``; what it made is removed after the test."""
    terminal = LearnerCli()
    try:
        yield terminal
    finally:
        terminal.cleanup()
