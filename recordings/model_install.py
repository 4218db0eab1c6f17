"""``xubao models install URL --sha256 HEX``: fetch an official Vosk model archive, safely.

The archive is streamed to a temporary file beside the destination while its SHA-256 is
computed; a wrong checksum stops everything before unpacking. Members are unpacked into a
temporary folder (absolute paths, ``..`` and links refused), the result must look like a Vosk
model, and only then is the folder renamed into place: a model directory is complete or absent.
"""

from __future__ import annotations

import hashlib
import logging
import re
import shutil
import tarfile
import tempfile
import urllib.request
import zipfile
from pathlib import Path, PurePosixPath
from urllib.parse import urlparse

from recordings.errors import ModelInstallFailed, ModelUnavailable
from recordings.vosk_model import check_model_dir

__all__ = ["install_model"]

log = logging.getLogger(__name__)

_HEX = re.compile(r"^[0-9a-f]{64}$")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_MARKER = ".xubao-sha256"


def _download(url: str, into: Path, timeout_s: float) -> str:
    digest = hashlib.sha256()
    request = urllib.request.Request(url, headers={"User-Agent": "xubao"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=timeout_s) as response, into.open("wb") as out:  # noqa: S310
        while block := response.read(1 << 20):
            digest.update(block)
            out.write(block)
    return digest.hexdigest()


def _safe_member(name: str, url: str) -> None:
    pure = PurePosixPath(name)
    if pure.is_absolute() or ".." in pure.parts or "\\" in name:
        raise ModelInstallFailed(url, f"archive member leaves its folder: {name!r}")


def _unpack(archive: Path, into: Path, url: str) -> None:
    if zipfile.is_zipfile(archive):
        with zipfile.ZipFile(archive) as zf:
            for info in zf.infolist():
                _safe_member(info.filename, url)
                if (info.external_attr >> 16) & 0o170000 == 0o120000:
                    raise ModelInstallFailed(url, f"archive holds a link: {info.filename!r}")
            zf.extractall(into)  # noqa: S202 - every member checked above
        return
    try:
        with tarfile.open(archive) as tf:
            for member in tf.getmembers():
                _safe_member(member.name, url)
                if not (member.isfile() or member.isdir()):
                    raise ModelInstallFailed(url, f"archive holds a link: {member.name!r}")
            tf.extractall(into, filter="data")
    except tarfile.TarError as exc:
        raise ModelInstallFailed(url, f"not a zip or tar archive ({exc})") from exc


def _model_root(unpacked: Path, url: str) -> Path:
    entries = [p for p in unpacked.iterdir() if not p.name.startswith(".")]
    root = entries[0] if len(entries) == 1 and entries[0].is_dir() else unpacked
    try:
        check_model_dir(root)
    except ModelUnavailable as exc:
        raise ModelInstallFailed(url, exc.reason) from exc
    return root


def install_model(url: str, sha256: str, dest_root: Path, *, timeout_s: float = 60.0) -> Path:
    """Install the archive at ``url`` under ``dest_root``; returns the model's directory."""
    sha256 = sha256.lower()
    if not _HEX.match(sha256):
        raise ModelInstallFailed(url, "--sha256 must be 64 hexadecimal digits")
    parsed = urlparse(url)
    name = PurePosixPath(parsed.path).name
    for suffix in (".zip", ".tar.gz", ".tgz", ".tar"):
        name = name.removesuffix(suffix)
    if parsed.scheme not in {"http", "https"} or not _NAME.match(name):
        raise ModelInstallFailed(url, "expected an http(s) URL ending in a model archive name")
    target = dest_root / name
    if (target / _MARKER).is_file() and (target / _MARKER).read_text().strip() == sha256:
        return target  # the same archive is installed already
    if target.exists():
        raise ModelInstallFailed(url, f"{target} exists (from another archive): remove it first")
    dest_root.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=dest_root, prefix=".install-"))
    try:
        try:
            got = _download(url, work / "archive", timeout_s)
        except OSError as exc:
            raise ModelInstallFailed(url, f"download failed ({exc})") from exc
        if got != sha256:
            raise ModelInstallFailed(url, f"checksum mismatch: got {got}, expected {sha256}")
        (work / "unpacked").mkdir()
        _unpack(work / "archive", work / "unpacked", url)
        root = _model_root(work / "unpacked", url)
        (root / _MARKER).write_text(sha256 + "\n")
        root.rename(target)  # atomic: same filesystem, target absent
    finally:
        shutil.rmtree(work, ignore_errors=True)
    log.info("model from %s installed at %s", url, target)
    return target
