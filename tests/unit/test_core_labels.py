"""Offline: the learner's session id, session-namespaced names and the kit's labels."""

from __future__ import annotations

import pytest

from dockerlab import labels
from dockerlab.errors import BadInput


@pytest.fixture(autouse=True)
def clean_session(monkeypatch):
    monkeypatch.setenv("DOCKER_HOST", "unix:///var/run/docker.sock")  # a shared engine's socket (naming rule 3)
    monkeypatch.delenv("DOCKERLAB_NAMES", raising=False)
    monkeypatch.delenv("DOCKERLAB_SESSION", raising=False)
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    labels.set_session(None)
    labels.set_chapter(None)
    yield
    labels.set_session(None)
    labels.set_chapter(None)


def test_session_precedence(monkeypatch):
    monkeypatch.setattr(labels.getpass, "getuser", lambda: "Login.Name")
    assert labels.session_id() == "login.name"
    monkeypatch.setenv("JUPYTERHUB_USER", "hub-user")
    assert labels.session_id() == "hub-user"
    monkeypatch.setenv("DOCKERLAB_SESSION", "from-env")
    assert labels.session_id() == "from-env"  # DOCKERLAB_SESSION beats JUPYTERHUB_USER
    assert labels.set_session("Explicit") == "explicit"  # set_session beats both
    assert labels.session_id() == "explicit"
    labels.set_session(None)
    assert labels.session_id() == "from-env"


def test_session_without_a_passwd_entry(monkeypatch):
    def no_user():
        raise KeyError("getpwuid(): uid not found: 1234")

    monkeypatch.setattr(labels.getpass, "getuser", no_user)
    assert labels.session_id() == "learner"


@pytest.mark.parametrize("raw, clean", [
    ("Alice", "alice"), ("  bob  ", "bob"), ("jupyter-carol", "jupyter-carol"), ("a.b_c-9", "a.b_c-9"),
    ("alice@example.org", "alice-example.org-"), ("Ünïcode Üser", "n-code-ser-"), ("---", "learner-"),
    ("x" * 40, "x" * 17 + "-"), ("jupyter-carol%20", "jupyter-carol-20-"),
])
def test_session_ids_are_safe_for_engine_names(monkeypatch, raw, clean):
    monkeypatch.setenv("JUPYTERHUB_USER", raw)
    sid = labels.session_id()
    if clean.endswith("-"):  # cleaning lost something: a short hash of the raw id keeps learners apart
        assert sid.startswith(clean) and len(sid) == len(clean) + 6
    else:
        assert sid == clean
    assert len(sid) <= 24
    labels.validate_name(sid + "-web")  # always usable in a container name


def test_long_or_lossy_ids_never_collide(monkeypatch):
    raws = ["jupyter-averylongusername1", "jupyter-averylongusername2", "alice@example.org", "alice-example.org",
            "alice@example_org", "Ünïcode Üser", "ünïcode-user"]
    sids = []
    for raw in raws:
        monkeypatch.setenv("JUPYTERHUB_USER", raw)
        sids.append(labels.session_id())
    assert len(set(sids)) == len(raws), sids
    monkeypatch.setenv("JUPYTERHUB_USER", raws[0])
    assert labels.session_id() == sids[0]  # stable across kernels


def test_names_are_namespaced_once(monkeypatch):
    monkeypatch.setenv("DOCKERLAB_SESSION", "alice")
    assert labels.name("web") == "alice-web"
    assert labels.name("alice-web") == "alice-web"
    assert labels.image_repo("hello") == "alice/hello"
    monkeypatch.setenv("DOCKERLAB_SESSION", "bob")
    assert labels.name("web") == "bob-web"  # two learners, two names


@pytest.mark.parametrize("bad", ["", "-web", "we b", "web/1", "a" * 64, "wéb", ".hidden"])
def test_invalid_names(bad):
    with pytest.raises(BadInput) as info:
        labels.validate_name(bad, "volume name")
    assert "volume name" in info.value.what and str(info.value).splitlines()[-1].startswith("Hint:")


@pytest.mark.parametrize("bad", [None, 42, b"web", ["web"]])
def test_names_must_be_strings(bad):
    with pytest.raises(BadInput) as info:
        labels.name(bad)
    assert type(bad).__name__ in info.value.what


@pytest.mark.parametrize("bad", ["Hello", "he llo", "", "hello:", 7])
def test_invalid_image_repos(bad):
    with pytest.raises(BadInput):
        labels.image_repo(bad)


def test_kit_labels_and_filter(monkeypatch):
    monkeypatch.setenv("DOCKERLAB_SESSION", "alice")
    assert labels.kit_labels() == {labels.KIT: "1", labels.SESSION: "alice"}
    labels.set_chapter("03")
    assert labels.kit_labels()[labels.CHAPTER] == "03"
    assert labels.kit_labels("05")[labels.CHAPTER] == "05"
    course = labels.kit_labels(role="course", session=False)
    assert labels.SESSION not in course and course[labels.ROLE] == "course"
    assert labels.kit_labels(extra={"x": "y"})["x"] == "y"
    assert labels.kit_filter() == {"label": [labels.KIT, f"{labels.SESSION}=alice"]}
    assert labels.kit_filter("03", session="bob") == {"label": [labels.KIT, f"{labels.SESSION}=bob",
                                                                f"{labels.CHAPTER}=03"]}
    assert labels.kit_filter(session=False) == {"label": [labels.KIT]}


# --- the plain-names rule: plain on the learner's own engine, prefixed where learners share one -------------

@pytest.fixture
def shared_engine(monkeypatch):
    """The default socket (root's), as on a shared classroom engine."""
    monkeypatch.delenv("DOCKERLAB_NAMES", raising=False)
    monkeypatch.setenv("DOCKER_HOST", "unix:///var/run/docker.sock")


def test_a_learner_id_on_a_shared_engine_prefixes(shared_engine, monkeypatch):
    monkeypatch.setenv("DOCKERLAB_SESSION", "alice")
    rule = labels.naming()
    assert rule.prefixed and "alice" in rule.reason
    assert labels.name("first") == "alice-first"
    assert labels.image_repo("greeter") == "alice/greeter"
    monkeypatch.delenv("DOCKERLAB_SESSION")
    monkeypatch.setenv("JUPYTERHUB_USER", "bob")  # a hub whose learners share one engine
    assert labels.name("first") == "bob-first"
    monkeypatch.delenv("JUPYTERHUB_USER")
    labels.set_session("carol")  # the test suite's sessions
    assert labels.name("first") == "carol-first"


def test_one_person_without_a_learner_id_gets_plain_names(shared_engine):
    assert labels.naming().prefixed is False
    assert labels.name("first") == "first"
    assert labels.image_repo("greeter") == "greeter"


def test_the_learners_own_socket_means_plain_names_even_with_a_learner_id(tmp_path, monkeypatch):
    import os
    import socket

    if os.geteuid() == 0:  # root's socket is never "a learner's own": pretend to be a learner
        monkeypatch.setattr(labels.os, "geteuid", lambda: 4242)
        monkeypatch.setattr(labels.os, "stat", lambda path: os.stat_result(
            (0o140600, 0, 0, 1, 4242, 4242, 0, 0, 0, 0)))
    path = tmp_path / "docker.sock"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))
        monkeypatch.setenv("DOCKER_HOST", f"unix://{path}")
        monkeypatch.setenv("JUPYTERHUB_USER", "alice")
        monkeypatch.delenv("DOCKERLAB_NAMES", raising=False)
        rule = labels.naming()
        assert not rule.prefixed and "your own engine" in rule.reason
        assert labels.name("first") == "first"
        monkeypatch.setenv("DOCKERLAB_NAMES", "prefixed")  # the teacher's explicit choice wins
        assert labels.name("first") == "alice-first"


def test_roots_socket_is_not_a_learners_own(monkeypatch, shared_engine):
    monkeypatch.setattr(labels.os, "geteuid", lambda: 0)
    assert labels._own_socket("unix:///var/run/docker.sock") is False
    assert labels._own_socket("tcp://127.0.0.1:2375") is False


def test_teacher_can_force_plain_names_on_a_shared_engine(shared_engine, monkeypatch):
    monkeypatch.setenv("DOCKERLAB_SESSION", "alice")
    monkeypatch.setenv("DOCKERLAB_NAMES", "plain")
    assert labels.name("first") == "first"
    assert labels.naming().reason == "DOCKERLAB_NAMES=plain"


def test_check_messages_name_the_exact_object(shared_engine, monkeypatch):
    from dockerlab import checks

    monkeypatch.setattr(checks, "find", lambda name: None)
    monkeypatch.setenv("DOCKERLAB_SESSION", "alice")
    with pytest.raises(checks.NotAttempted, match="'alice-first'"):
        checks.attempted_container("first")
    assert checks.image_ref("greeter:v1") == "alice/greeter:v1"
    monkeypatch.delenv("DOCKERLAB_SESSION")
    with pytest.raises(checks.NotAttempted, match="named 'first' yet"):
        checks.attempted_container("first")
    assert checks.image_ref("greeter") == "greeter:latest"


def test_acting_as_another_learner_holds_in_its_own_thread_only(monkeypatch):
    """A teacher's reset of bob acts as bob; a widget's thread meanwhile still belongs to the kernel's learner."""
    import threading

    labels.set_session("alice")
    try:
        seen: list[str] = []
        with labels.acting_as("bob"):
            assert labels.session_id() == "bob"
            other = threading.Thread(target=lambda: seen.append(labels.session_id()))
            other.start()
            other.join()
        assert seen == ["alice"] and labels.session_id() == "alice"
    finally:
        labels.set_session(None)
