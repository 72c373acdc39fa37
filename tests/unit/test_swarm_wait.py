"""Service.wait_replaced judges one listing of the tasks per poll (offline: a scripted fake service)."""
from __future__ import annotations

from typing import Any

import pytest

from dockerlab import errors
from dockerlab.services import Service


def task(cid: str, state: str = "running", desired: str = "running", slot: int = 1,
         err: str = "") -> dict[str, Any]:
    return {"DesiredState": desired, "Status": {"State": state, "ContainerStatus": {"ContainerID": cid}, "Err": err},
            "Spec": {"ContainerSpec": {"Image": "x"}}, "Slot": slot, "CreatedAt": cid}


class ScriptedSdkService:
    """Answers each `tasks()` call with the next listing of a script (the last one repeats)."""

    def __init__(self, listings: list[list[dict[str, Any]]], replicas: int = 3) -> None:
        self.listings = listings
        self.calls = 0
        self.name, self.id, self.client = "s-todo", "svc1", None
        self.attrs = {"Spec": {"Mode": {"Replicated": {"Replicas": replicas}}}}

    def tasks(self) -> list[dict[str, Any]]:
        listing = self.listings[min(self.calls, len(self.listings) - 1)]
        self.calls += 1
        return listing

    def reload(self) -> None:
        pass


def test_a_stale_listing_then_a_fresh_one_is_not_taken_for_a_replacement() -> None:
    # The race CI met: one answer still lists the killed container among 3, the next has only the 2
    # survivors. Judged across two answers, "3 running" and "victim gone" both look true.
    stale = [task("victim"), task("a"), task("b")]
    survivors = [task("a"), task("b"), task("victim", state="failed")]
    replaced = [task("a"), task("b"), task("new"), task("victim", state="failed", desired="shutdown")]
    sdk = ScriptedSdkService([stale, survivors, stale, survivors, replaced])
    ids = Service(sdk).wait_replaced("victim", timeout=5)  # type: ignore[arg-type]
    assert ids == {"a", "b", "new"}
    assert sdk.calls == 5


def test_no_replacement_times_out_with_the_task_rows_and_a_hint() -> None:
    sdk = ScriptedSdkService([[task("a"), task("b"), task("victim", state="failed")]])
    with pytest.raises(errors.ReadyTimeout) as caught:
        Service(sdk).wait_replaced("victim", timeout=0.3)  # type: ignore[arg-type]
    message = str(caught.value)
    assert "was not replaced" in message and "2 of 3" in message
    assert "Hint:" in message and "docker service ps s-todo" in message


def test_wait_running_judges_one_listing_per_poll() -> None:
    # A first answer with 3 running (an old task still running, desired shutdown) and a second answer where
    # the old one is gone but so is a replica: across two answers, "3 run and no leftovers" looks true.
    with_leftover = [task("a"), task("b"), task("c"), task("old", desired="shutdown")]
    one_short = [task("a"), task("b"), task("c", state="failed"), task("old", state="shutdown", desired="shutdown")]
    settled = [task("a"), task("b"), task("d"), task("c", state="failed", desired="shutdown")]
    sdk = ScriptedSdkService([with_leftover, one_short, with_leftover, one_short, settled])
    Service(sdk).wait_running(timeout=5)  # type: ignore[arg-type]
    assert sdk.calls == 5


def test_one_task_too_many_times_out_with_every_tasks_slot_and_state() -> None:
    # CI met Swarm's restart and its rollback both refilling a failed task's slot (moby/moby#41804): 3 tasks running
    # for 2 replicas, two of them in slot 1. The error shows each task's slot, state and error, as `docker service ps`.
    listing = [task("old", slot=1), task("refill", slot=1), task("b", slot=2),
               task("broken", state="failed", desired="shutdown", slot=1, err="task: non-zero exit (1)")]
    with pytest.raises(errors.ReadyTimeout) as caught:
        Service(ScriptedSdkService([listing], replicas=2)).wait_running(timeout=0.3)  # type: ignore[arg-type]
    message = str(caught.value)
    assert "3 of 2 task(s) running" in message and "docker service ps s-todo" in message
    assert message.count("'slot': 1") == 3 and "'container': 'refill'" in message
    assert "task: non-zero exit (1)" in message


def test_the_replacement_is_the_new_container_in_the_killed_ones_slot() -> None:
    # What CI met: while the killed replica (slot 1) was replaced, another one (slot 3) was replaced too, so
    # "running now minus running before" held two new containers. The slot tells which one took the victim's place.
    listing = [task("victim", state="failed", desired="shutdown", slot=1, err="task: non-zero exit (137)"),
               task("new1", slot=1), task("b", slot=2),
               task("c", state="failed", desired="shutdown", slot=3, err="unhealthy container"), task("new3", slot=3)]
    assert Service(ScriptedSdkService([listing])).replacement("victim") == "new1"  # type: ignore[arg-type]


def test_no_replacement_yet_or_a_foreign_container_is_a_clear_error() -> None:
    waiting = [task("victim", state="failed", desired="shutdown", slot=1), task("new1", state="starting", slot=1),
               task("b", slot=2)]
    with pytest.raises(errors.NotFound) as caught:
        Service(ScriptedSdkService([waiting])).replacement("victim")  # type: ignore[arg-type]
    assert "slot 1 runs no new container yet" in str(caught.value) and "Hint:" in str(caught.value)
    with pytest.raises(errors.NotFound) as caught:
        Service(ScriptedSdkService([waiting])).replacement("elsewhere")  # type: ignore[arg-type]
    message = str(caught.value)
    assert "no task that ran container elsewhere" in message and "docker service ps s-todo" in message
