"""Many learners, one engine: 8 separate processes work through chapter 00 (+ a published port and a
volume) at the same time. No name or port collides, every check is Correct, and each learner's reset
removes exactly their own resources while the others' stay until they reset.

The worker is tests/learner_worker.py (``python tests/learner_worker.py --learners 1 2 4 8`` is the benchmark).
"""

from __future__ import annotations

import pytest

import dockerlab as lab
from dockerlab.labels import _sanitize
import learner_worker as lw

pytestmark = [pytest.mark.engine, pytest.mark.slow]

LEARNERS = 8


def resources_of(session: str, client) -> set[str]:
    return {f"{r.kind}:{r.name}" for r in lab.leaks(session=session, client=client)}


def test_eight_learners_share_one_engine(session, engine_client, track_session):
    lw.ensure_images()
    learners = lw.start_learners(LEARNERS)
    try:
        wall = lw.wait_ready(learners)
        records = [ln.ready for ln in learners]
        for rec in records:
            if rec.get("session"):
                track_session(rec["session"])
        problems = [(ln.env_value, r.get("error")) for ln, r in zip(learners, records) if r.get("error")]
        assert not problems, problems

        sessions = [r["session"] for r in records]
        assert sessions == [_sanitize(ln.env_value) for ln in learners]  # DOCKERLAB_SESSION or JUPYTERHUB_USER
        assert len(set(sessions)) == LEARNERS
        for rec in records:
            me = rec["session"]
            assert rec["checks"] == {"q2_before": "Not attempted", "q1": "Correct", "q2": "Correct"}, rec
            assert "Hello" in rec["first"]["logs"]
            assert rec["web"]["host_ip"] == "127.0.0.1"
            assert rec["web"]["body"] == f"hello from {rec['web']['hostname']}"  # their own server answered
            assert rec["volume"] == {"name": f"{me}-data", "content": me}  # their own data, nobody else's
            assert rec["labels_ok"]
            assert all(r.split(":", 1)[1].startswith(me + "-") for r in rec["resources"])
        ports = [r["web"]["host_port"] for r in records]
        assert len(set(ports)) == LEARNERS, f"host ports clash: {ports}"
        names = [n for r in records for n in r["resources"]]
        assert len(set(names)) == len(names) == LEARNERS * 5  # 4 containers + 1 volume each

        # the engine agrees: each session owns exactly what its learner reported
        owned = {s: resources_of(s, engine_client) for s in sessions}
        for rec in records:
            assert owned[rec["session"]] == set(rec["resources"])

        # each learner resets in turn: theirs goes, the others' stays until they reset
        for i, ln in enumerate(learners):
            done = lw.reset_one(ln)
            me = sessions[i]
            assert "error" not in done, done
            assert set(done["removed"]) == owned[me] and done["left"] == []
            assert resources_of(me, engine_client) == set()
            for later in sessions[i + 1:]:
                assert resources_of(later, engine_client) == owned[later], f"{me}'s reset touched {later}"
        print(f"\n[multi-learner] {LEARNERS} learners: {wall:.1f} s until all were done with chapter 00; "
              f"slowest {max(r['seconds'] for r in records):.1f} s")
    finally:
        lw.stop_all(learners)
    assert lab.leaks() == []


def test_the_scale_benchmarks_driver_runs_learners_at_once(session, engine_client, track_session):
    """bench/bench_scale.py times 1, 2, 4 and 8 learners with ``run_learners``; here its driver runs two, once:
    every learner's checks Correct, no error (the eight learners above are the load; the timings are the bench's)."""
    result = lw.run_learners(2)
    for rec in result["records"]:
        if rec.get("session"):
            track_session(rec["session"])
    assert not result["errors"], result["errors"]
    assert len(result["records"]) == 2
    assert all(r["checks"]["q1"] == r["checks"]["q2"] == "Correct" for r in result["records"])
    print(f"\n[multi-learner] 2 learners: {result['wall_seconds']:5.1f} s wall, slowest learner "
          f"{result['slowest_learner']:5.1f} s, resets {result['reset_seconds']:4.1f} s")
