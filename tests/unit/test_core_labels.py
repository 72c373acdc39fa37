"""Offline: the learner's session id, session-namespaced names and the kit's labels."""

from __future__ import annotations

import pytest

from dockerlab import labels
from dockerlab.errors import BadInput


@pytest.fixture(autouse=True)
def clean_session(monkeypatch):
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
