"""The offline bundle: every course image in one file, so thirty learners do not each rebuild them.

``python -m dockerlab bundle export FILE`` writes a tar with two members: ``dockerlab-bundle.json`` (the
manifest: kit version, a fingerprint of the course's ``images/`` recipes, each image's tag and ID, and the
SHA-256 and size of the images) first, then ``images.tar`` (``docker save`` of the base and course images, shared
layers stored once). ``bundle import FILE`` checks the whole file against the manifest **before** loading
anything, refuses a damaged, truncated or foreign bundle with one message and a Hint, loads it into the current
engine (or, as root, each running learner engine of the class with ``--learners``), and checks every image came
in with the ID the manifest names; an image it loaded for a bundle that then failed is removed again.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import docker

from . import APPS, BASE_IMAGES, images_dir
from ..engine import connect
from ..errors import DockerlabError, ImageMissing, translated
from ..i18n import N_, _
from ..streams import stream_error

__all__ = ["BundleError", "Manifest", "export_bundle", "import_bundle", "read_manifest", "verify",
           "missing_images", "course_fingerprint", "FORMAT", "MANIFEST", "IMAGES"]

FORMAT = 1
try:
    from importlib.metadata import version as _version

    __version__ = _version("dockerlab")
except Exception:  # running from a source tree that was never installed
    __version__ = "0+unknown"
MANIFEST = "dockerlab-bundle.json"
IMAGES = "images.tar"
_CHUNK = 1 << 20

Log = Callable[[str], None]


class BundleError(DockerlabError):
    default_hint = N_("Export the bundle again on the teacher's machine (`python -m dockerlab bundle export FILE`) "
                      "and copy it whole (compare its size and `sha256sum`).")


@dataclass(frozen=True)
class Manifest:
    kit: str
    course: str
    images: list[dict]
    files: dict[str, dict]
    created: float

    def to_json(self) -> bytes:
        return json.dumps({"format": FORMAT, "kit": self.kit, "course": self.course, "images": self.images,
                           "files": self.files, "created": self.created}, indent=1).encode()


def course_fingerprint(folder: Path | None = None) -> str:
    """A hash of the course's image recipes (every file under images/): bundles of other recipes are refused."""
    root = folder or images_dir()
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "node_modules" not in p.parts
                       and "__pycache__" not in p.parts):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _refs(apps: Iterable[str] | None) -> list[str]:
    names = list(APPS) if apps is None else list(apps)
    unknown = [a for a in names if a not in APPS]
    if unknown:
        raise DockerlabError(_("{names}: not a course image (known: {known}).").format(
            names=", ".join(unknown), known=", ".join(APPS)),
            _("Name course images by their folder under images/, e.g. --images hello,notes."))
    return BASE_IMAGES + [APPS[a] for a in names]


def export_bundle(path: str | os.PathLike[str], *, apps: Iterable[str] | None = None,
                  client: docker.DockerClient | None = None, log: Log = print) -> Manifest:
    """Write the bundle file: the base images and the course images (all, or ``apps``), with a manifest."""
    client = client or connect(timeout=900)
    target = Path(path)
    refs = _refs(apps)
    images = []
    missing = []
    for ref in refs:
        try:
            image = client.images.get(ref)
        except docker.errors.ImageNotFound:
            missing.append(ref)
            continue
        images.append({"ref": ref, "id": image.id, "size": image.attrs.get("Size", 0)})
    if missing:
        raise ImageMissing(_("These images are not on this engine, so they cannot go into the bundle: {images}.")
                           .format(images=", ".join(missing)),
                           _("Build them first: `python -m dockerlab prepare --apps`."))
    target.parent.mkdir(parents=True, exist_ok=True)
    log(_("Saving {count} images ({size:.0f} MB before sharing layers)…").format(
        count=len(refs), size=sum(i["size"] for i in images) / 1e6))
    fd, raw = tempfile.mkstemp(prefix=".bundle-", dir=target.parent)
    partial = target.with_name(target.name + ".partial")
    try:
        digest, size = hashlib.sha256(), 0
        with os.fdopen(fd, "wb") as out, translated(_("saving the course images"), client):
            api = client.api  # one `docker save` of all of them: shared layers are stored once
            res = api._get(api._url("/images/get"), params={"names": refs}, stream=True)
            api._raise_for_status(res)
            for chunk in api._stream_raw_result(res, _CHUNK, False):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
        manifest = Manifest(kit=__version__, course=course_fingerprint(), images=images,
                            files={IMAGES: {"sha256": digest.hexdigest(), "size": size}}, created=time.time())
        with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar:
            data = manifest.to_json()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(data), int(manifest.created), 0o644
            tar.addfile(info, io.BytesIO(data))
            info = tarfile.TarInfo(IMAGES)
            info.size, info.mtime, info.mode = size, int(manifest.created), 0o644
            with open(raw, "rb") as src:
                tar.addfile(info, src)
        os.replace(partial, target)  # never a half-written file under the bundle's name
    finally:
        for leftover in (raw, partial):
            Path(leftover).unlink(missing_ok=True)
    log(_("Wrote {path} ({size:.0f} MB): {images}").format(path=target, size=target.stat().st_size / 1e6,
                                                           images=", ".join(refs)))
    return manifest


def _open(path: str | os.PathLike[str]) -> tarfile.TarFile:
    source = Path(path)
    if not source.is_file():
        raise BundleError(_("There is no bundle file {path}.").format(path=source),
                          _("Check the path (the teacher's export writes it)."))
    try:
        return tarfile.open(source, "r:")
    except (tarfile.TarError, OSError) as exc:
        raise BundleError(_("{path} is not a dockerlab bundle, or it is damaged ({error}).").format(
            path=source, error=exc)) from None


def read_manifest(path: str | os.PathLike[str]) -> Manifest:
    """The bundle's manifest (its first member); refuses files that are no bundle of this format."""
    with _open(path) as tar:
        try:
            member = tar.next()
            if member is None or member.name != MANIFEST:
                raise BundleError(_("{path} is not a dockerlab bundle: it does not start with {manifest}.").format(
                    path=path, manifest=MANIFEST))
            data = json.loads(tar.extractfile(member).read())  # type: ignore[union-attr]
        except (tarfile.TarError, OSError, ValueError, AttributeError) as exc:
            raise BundleError(_("The manifest of {path} cannot be read: the file is damaged ({error}).").format(
                path=path, error=exc)) from None
    if data.get("format") != FORMAT:
        raise BundleError(_("{path} has bundle format {found!r}; this kit reads format {format}.").format(
            path=path, found=data.get("format"), format=FORMAT),
            _("Export it again with this kit (dockerlab {version}).").format(version=__version__))
    return Manifest(kit=str(data.get("kit")), course=str(data.get("course")), images=list(data.get("images", [])),
                    files=dict(data.get("files", {})), created=float(data.get("created", 0)))


def check_compatible(manifest: Manifest, path: object) -> None:
    """A bundle made from other course recipes would load images the chapters do not expect: refuse it."""
    if not images_dir().is_dir():  # an installed kit without the course's folder: only the version can tell
        if manifest.kit != __version__:
            raise BundleError(_("{path} was made by dockerlab {theirs}; this kit is dockerlab {version}.").format(
                path=path, theirs=manifest.kit, version=__version__),
                _("Export a bundle with this kit version (`python -m dockerlab bundle export FILE`)."))
        return
    mine = course_fingerprint()
    if manifest.course != mine:
        raise BundleError(
            _("{path} was made by dockerlab {theirs} from other course images (recipes {recipes}); this kit is "
              "dockerlab {version} with recipes {mine}. Loading it would give the chapters images they were not "
              "written for.").format(path=path, theirs=manifest.kit, recipes=manifest.course, version=__version__,
                                     mine=mine),
            _("Export a bundle with this kit version on the teacher's machine (`python -m dockerlab bundle export "
              "FILE`), or install dockerlab {theirs} to use this one.").format(theirs=manifest.kit))


def verify(path: str | os.PathLike[str]) -> Manifest:
    """Read the whole bundle and compare every member with the manifest (size and SHA-256); nothing is loaded."""
    manifest = read_manifest(path)
    check_compatible(manifest, path)
    seen: set[str] = set()
    with _open(path) as tar:
        try:
            for member in tar:
                if member.name == MANIFEST:
                    continue
                expected = manifest.files.get(member.name)
                if expected is None:
                    raise BundleError(_("{path} holds {member}, which its manifest does not list: it was changed.")
                                      .format(path=path, member=member.name))
                digest, size = hashlib.sha256(), 0
                stream = tar.extractfile(member)
                while stream is not None and (chunk := stream.read(_CHUNK)):
                    digest.update(chunk)
                    size += len(chunk)
                if size != expected["size"]:
                    raise BundleError(_("{path} is truncated: {member} has {size} of {total} bytes.").format(
                        path=path, member=member.name, size=size, total=expected["size"]))
                if digest.hexdigest() != expected["sha256"]:
                    raise BundleError(_("{path} is damaged: the checksum of {member} does not match its manifest.")
                                      .format(path=path, member=member.name))
                seen.add(member.name)
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise BundleError(_("{path} is truncated or damaged: reading it failed ({error}).").format(
                path=path, error=exc)) from None
    lost = sorted(set(manifest.files) - seen)
    if lost:
        raise BundleError(_("{path} is truncated: {members} is missing from it.").format(path=path,
                                                                                        members=", ".join(lost)))
    return manifest


def missing_images(path: str | os.PathLike[str], client: docker.DockerClient | None = None) -> list[str]:
    """The bundle's images that the engine lacks (or has with another ID)."""
    client = client or connect()
    manifest = read_manifest(path)
    wanted = []
    for image in manifest.images:
        try:
            if client.images.get(image["ref"]).id != image["id"]:
                wanted.append(image["ref"])
        except docker.errors.ImageNotFound:
            wanted.append(image["ref"])
    return wanted


def import_bundle(path: str | os.PathLike[str], *, client: docker.DockerClient | None = None,
                  log: Log = print) -> list[str]:
    """Verify the whole bundle, then load its images into the engine; returns the refs loaded."""
    manifest = verify(path)
    client = client or connect(timeout=900)
    before = {}
    for image in manifest.images:
        try:
            before[image["ref"]] = client.images.get(image["ref"]).id
        except docker.errors.ImageNotFound:
            before[image["ref"]] = None
    started = time.monotonic()
    try:
        with _open(path) as tar:
            member = tar.getmember(IMAGES)
            stream = tar.extractfile(member)
            with translated(_("loading the bundle's images"), client):
                for line in client.api.load_image(stream):
                    refused = stream_error(line) if isinstance(line, dict) else None
                    if refused is not None:
                        raise BundleError(_("The engine refused the bundle's images: {error}").format(error=refused))
        wrong = []
        for image in manifest.images:
            try:
                got = client.images.get(image["ref"]).id
            except docker.errors.ImageNotFound:
                got = None
            if got != image["id"]:
                wrong.append("{} ({})".format(image["ref"], got or _("missing")))
        if wrong:
            raise BundleError(_("After loading, these images are not the bundle's: {images}.").format(
                images=", ".join(wrong)))
    except BaseException:
        _undo(client, manifest, before)
        raise
    took = time.monotonic() - started
    log(_("Loaded {count} images in {seconds:.1f} s: {images}").format(
        count=len(manifest.images), seconds=took, images=", ".join(i["ref"] for i in manifest.images)))
    return [i["ref"] for i in manifest.images]


def _undo(client: docker.DockerClient, manifest: Manifest, before: dict[str, str | None]) -> None:
    """Remove what a failed import loaded: the refs it added (an image that was there before stays)."""
    for image in manifest.images:
        if before.get(image["ref"]) is not None:
            continue
        try:
            client.api.remove_image(image["ref"], force=True)
        except Exception:
            pass
