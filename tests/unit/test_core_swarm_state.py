"""Offline: how the kit asks whether the engine is in a swarm — `GET /swarm`, not /info, in the usual cases (every
reset and leak check asks; /info makes dockerd run `runc --version` and `docker-init --version` each time)."""

from __future__ import annotations

import pytest

from dockerlab import swarm
from dockerlab.errors import EngineUnavailable


def asked(fake) -> list[str]:
    return [c[0] for c in fake.engine.calls if c[0] in ("inspect_swarm", "info")]


def test_an_engine_in_no_swarm_is_told_by_get_swarm_alone(fake):
    assert swarm.swarm_active(fake) is False
    assert asked(fake) == ["inspect_swarm"]


def test_a_manager_is_told_by_get_swarm_alone(fake):
    fake.engine.swarm = True
    assert swarm.swarm_active(fake) is True
    assert asked(fake) == ["inspect_swarm"]


@pytest.mark.parametrize("answer", [
    "This node is not a swarm manager. Worker nodes can't be used to view or modify cluster state. Please run this "
    "command on a manager node or promote the current node to a manager.",
    "Swarm is encrypted and needs to be unlocked before it can be used. Please use 'docker swarm unlock' to unlock "
    "it.",
])
def test_a_worker_or_a_locked_swarm_is_asked_of_info(fake, answer):
    fake.engine.swarm, fake.engine.swarm_answer = True, answer
    assert swarm.swarm_active(fake) is True  # a Swarm node all the same: /info's LocalNodeState says "active"
    assert asked(fake) == ["inspect_swarm", "info"]


def test_a_stopped_engine_says_so(fake):
    fake.engine.up = False
    with pytest.raises(EngineUnavailable):
        swarm.swarm_active(fake)
