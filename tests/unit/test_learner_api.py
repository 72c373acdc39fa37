"""Offline: the learner's API answers what the chapters ask without reaching into docker-py (`.sdk`, `.attrs[…]`):
a container's exit code, restarts, PID, env, mounts, ports, health log, wait and stats; `lab.ps()`; healthcheck
times in seconds; and the one polling helper behind every wait."""

from __future__ import annotations

import pytest

import dockerlab as lab
from dockerlab import labels
from dockerlab.errors import BadInput, ReadyTimeout
from dockerlab.hostconfig import healthcheck_ns
from dockerlab.polling import poll

IMAGE = "debian:bookworm-slim"


def test_state_of_a_running_and_of_an_exited_container(fake):
    web = lab.run("web", IMAGE, env={"GREETING": "hi"}, volumes={"data": "/data"}, tmpfs={"/tmp": "size=1m"},
                  ports={8080: None}, restart="on-failure:2", client=fake)
    assert web.status == "running" and web.exit_code is None and web.pid == 4242 and web.restart_count == 0
    assert web.image == IMAGE and web.env["GREETING"] == "hi" and web.restart_policy == "on-failure"
    assert [(m.type, m.name, m.destination) for m in web.mounts] == [("volume", "alice-data", "/data"),
                                                                     ("tmpfs", None, "/tmp")]
    assert web.mount_at("/data").name == "alice-data" and web.mount_at("/nowhere") is None
    assert list(web.ports) == ["8080/tcp"] and web.ports["8080/tcp"] == web.host_port(8080)
    assert web.networks == ["bridge"] and web.host_config["Memory"] == "512m"
    fake.engine.exit_codes["alice-quitter"] = 3
    quitter = lab.run("quitter", IMAGE, client=fake)
    assert quitter.exit_code == 3 and quitter.pid is None and quitter.wait(timeout=1) == 3


def test_wait_on_a_program_that_keeps_running_times_out_with_its_logs(fake):
    fake.engine.logs_for["alice-forever"] = "still going\n"
    forever = lab.run("forever", IMAGE, client=fake)
    with pytest.raises(ReadyTimeout, match="still runs after 0 s") as err:
        forever.wait(timeout=0.01)
    assert "still going" in str(err.value)


def test_stats_leave_out_the_droppable_file_cache(fake):
    stats = lab.run("idle", IMAGE, client=fake).stats()
    assert (stats.memory_used, stats.memory_limit, stats.pids) == (8 * 2**20, 512 * 2**20, 3)
    assert stats.memory_used_mib == 8


def test_ps_lists_this_learners_containers_of_a_chapter(fake):
    labels.set_chapter("03")
    lab.run("b", IMAGE, client=fake)
    lab.run("a", IMAGE, client=fake)
    labels.set_chapter("04")
    lab.run("c", IMAGE, client=fake)
    labels.set_chapter(None)
    assert [c.name for c in lab.ps("03", client=fake)] == ["alice-a", "alice-b"]
    assert len(lab.ps(client=fake)) == 3


def test_healthcheck_times_are_seconds(fake):
    h = lab.run("health", IMAGE, healthcheck={"test": ["CMD-SHELL", "curl -f localhost"], "interval": 2,
                                              "start_period": 0.5, "retries": 3}, client=fake)
    assert "--health-cmd 'curl -f localhost' --health-interval 2s --health-start-period 0.5s --health-retries 3" \
        in h.cli
    assert h.sdk.kwargs["healthcheck"]["interval"] == 2_000_000_000  # the engine's API counts nanoseconds
    assert h.sdk.kwargs["healthcheck"]["start_period"] == 500_000_000
    with pytest.raises(BadInput, match="seconds .* not nanoseconds"):
        healthcheck_ns({"test": ["CMD", "true"], "interval": 2_000_000_000})
    with pytest.raises(BadInput, match="number of seconds"):
        healthcheck_ns({"test": ["CMD", "true"], "timeout": "2s"})
    assert healthcheck_ns({"test": ["NONE"]}) == {"test": ["NONE"]}


def test_poll_returns_the_first_true_answer_or_fails_at_the_deadline():
    now = [0.0]
    answers = iter([None, 0, "ready"])
    assert poll(lambda: next(answers), timeout=5, clock=lambda: now[0], sleep=lambda s: now.__setitem__(0, now[0] + s)) \
        == "ready"
    now[0] = 0.0
    with pytest.raises(ReadyTimeout, match="never"):
        poll(lambda: False, timeout=1, interval=0.5, fail=lambda: ReadyTimeout("never"), clock=lambda: now[0],
             sleep=lambda s: now.__setitem__(0, now[0] + s))
    assert now[0] == 1.0
    assert poll(lambda: [], timeout=0, sleep=lambda s: None) == []  # no fail: the last (false) answer


def test_ask_again_repeats_a_passing_refusal_until_its_deadline_and_no_other():
    from dockerlab.polling import ask_again

    now, calls = [0.0], []
    tick = dict(clock=lambda: now[0], sleep=lambda s: now.__setitem__(0, now[0] + s))

    def refuse(error: Exception):
        def call():
            calls.append(now[0])
            raise error
        return call

    with pytest.raises(OSError, match="busy"):
        ask_again(refuse(OSError("busy")), transient=lambda e: "busy" in str(e), timeout=1, interval=0.5, **tick)
    assert calls == [0.0, 0.5, 1.0]  # three tries, then the last error
    calls.clear()
    with pytest.raises(OSError, match="gone"):
        ask_again(refuse(OSError("gone")), transient=lambda e: "busy" in str(e), timeout=1, interval=0.5, **tick)
    assert calls == [1.0]  # any other error at once
    answers = iter([OSError("busy"), "made"])

    def flaky():
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer

    assert ask_again(flaky, transient=lambda e: "busy" in str(e), timeout=1, **tick) == "made"
