"""Images for another CPU architecture: "it runs the same everywhere" holds only on the same architecture.

``arm64_image()`` builds ``arm-hello:1``: an image with one program, Debian's static busybox **for arm64**, made
``FROM scratch`` with ``--platform linux/arm64`` (the binary itself is fetched from Debian's mirror in an ordinary
amd64 build, the course image ``dockerlab/arm-fetch:1``: kept by resets like the other course images, so running the
chapter again needs neither Debian's mirror nor the half minute). On an amd64 machine its program cannot run —
``exec format error`` — unless the kernel hands arm64 programs to an emulator: QEMU registered with ``binfmt_misc``
(Debian's ``qemu-user-static`` and ``binfmt-support``). ``emulator()`` says which this machine does.
"""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

from ..engine import connect
from ..errors import BuildFailed, translated
from ..i18n import _
from ..builder import BuildResult, build
from ..labels import kit_labels

__all__ = ["arm64_image", "emulator", "FETCH_DOCKERFILE", "FETCH_TAG", "ARM_DOCKERFILE", "BINFMT"]

#: where the kernel lists the interpreters it hands foreign programs to
BINFMT = Path("/proc/sys/fs/binfmt_misc")
#: the image the arm64 program is fetched in: the course's (shared, no session), not the learner's
FETCH_TAG = "dockerlab/arm-fetch:1"
FETCH_DOCKERFILE = """FROM debian:bookworm-slim
RUN dpkg --add-architecture arm64 && apt-get update -qq && cd /tmp && apt-get download -qq busybox-static:arm64 \\
 && dpkg-deb -x busybox-static_*_arm64.deb /out && rm -rf /var/lib/apt/lists/*
"""
ARM_DOCKERFILE = """FROM scratch
COPY busybox /bin/busybox
ENTRYPOINT ["/bin/busybox"]
CMD ["uname", "-m"]
"""


def emulator(arch: str = "aarch64") -> str | None:
    """The emulator this machine's kernel runs ``arch`` programs with (e.g. QEMU's), or None. Only meaningful when the
    engine runs on this machine (Docker Desktop's VM has its own kernel, and QEMU built in)."""
    entry = BINFMT / f"qemu-{arch}"
    try:
        lines = entry.read_text().splitlines()
    except OSError:
        return None
    if not lines or lines[0].strip() != "enabled":
        return None
    return next((line.split(None, 1)[1] for line in lines if line.startswith("interpreter ")), str(entry))


def _busybox(fetch: str) -> bytes:
    """The arm64 busybox out of the fetch image (`docker create` + `docker cp`)."""
    client = connect()
    with translated(_("copying busybox out of the fetch image"), client):
        box = client.containers.create(fetch, ["true"], labels=kit_labels())
        try:
            stream, _stat = box.get_archive("/out/bin/busybox")
            data = b"".join(stream)
        finally:
            box.remove(force=True, v=True)
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        member = tar.extractfile("busybox")
        if member is None:  # pragma: no cover - the fetch stage always writes a file there
            raise BuildFailed(_("The fetch image holds no /out/bin/busybox file."), step="docker cp")
        return member.read()


def arm64_image(tag: str = "arm-hello:1") -> BuildResult:
    """Build the arm64 image ``tag`` (the learner's, labelled; about half a minute the first time on an engine:
    Debian's arm64 package list is fetched inside the build of the course image FETCH_TAG, which resets keep)."""
    fetch = build(FETCH_TAG, dockerfile=FETCH_DOCKERFILE, role="course")
    # the program keeps its execute bit in the image (a file without it: "permission denied", not the lesson here)
    return build(tag, dockerfile=ARM_DOCKERFILE, files={"busybox": (_busybox(fetch.tag), 0o755)}, platform="linux/arm64")
