"""An image for another CPU on the real engine: built with --platform linux/arm64; its program runs through QEMU
where the kernel has it registered, and ends in "exec format error" where it has not."""

from __future__ import annotations

import pytest

import dockerlab as lab
from dockerlab.course import platforms

pytestmark = [pytest.mark.engine, pytest.mark.slow]


@pytest.fixture(autouse=True)
def clean_up(session):
    yield
    lab.reset()


def test_an_arm64_image_runs_only_where_the_kernel_emulates_arm64():
    built = platforms.arm64_image()
    assert lab.images.inspect(built.tag).platform == "linux/arm64"
    assert "--platform linux/arm64" in built.cli
    c = lab.run("arm", built.tag)
    code = c.wait(timeout=60)
    if platforms.emulator("aarch64"):
        assert code == 0 and c.logs().strip() == "aarch64"
    else:
        assert code != 0 and "exec format error" in c.logs()


def test_the_fetch_image_is_the_courses_so_a_reset_keeps_it_for_the_next_run():
    platforms.arm64_image()
    lab.reset(purge_volumes=True)
    fetch = lab.images.inspect(platforms.FETCH_TAG)  # still there: the next run's fetch step is a cache hit
    assert fetch.labels.get("org.dockerlab.role") == "course" and "org.dockerlab.session" not in fetch.labels
    assert not lab.images.exists("arm-hello:1")  # the learner's own image went with the reset
    assert all(r.name != platforms.FETCH_TAG for r in lab.leaks())
