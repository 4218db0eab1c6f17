"""`xubao models install URL --sha256 HEX` against archives served over HTTP on loopback."""

from __future__ import annotations

import hashlib
import http.server
import threading
import zipfile
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import numpy as np
import pytest

from config.cli import main
from recordings.errors import ModelInstallFailed
from recordings.model_install import install_model
from recordings.vosk_model import load_model


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A folder served on 127.0.0.1 (an ephemeral port), and its base URL."""
    folder = tmp_path / "www"
    folder.mkdir()
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield folder, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _zip(path: Path, files: dict[str, bytes]) -> str:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_real_model_is_installed_atomically_and_loads(
    served: tuple[Path, str], model_dir: Path, tmp_path: Path,
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    folder, base = served
    archive = folder / "vosk-model-small-ko-0.22.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as zf:
        for file in sorted(model_dir.rglob("*")):
            if file.is_file():
                zf.write(file, f"vosk-model-small-ko-0.22/{file.relative_to(model_dir)}")
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    monkeypatch.setenv("XUBAO_CONFIG_FILE", str(tmp_path / "none.toml"))
    monkeypatch.setenv("XUBAO_LANG", "en")
    dest = tmp_path / "models"
    url = f"{base}/{archive.name}"
    assert main(["models", "install", url, "--sha256", digest, "--dir", str(dest)]) == 0
    installed = dest / "vosk-model-small-ko-0.22"
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == f"XUBAO_VOSK_MODEL={installed.resolve()}"
    assert sorted(p.name for p in dest.iterdir()) == [installed.name]  # no leftovers
    loaded = load_model(installed)  # Vosk loads and runs it
    assert loaded.name == str(installed) and loaded.recognise(np.zeros(8000, np.int16), 8000) == []
    # Installing the same archive again is a no-op.
    assert main(["models", "install", url, "--sha256", digest, "--dir", str(dest)]) == 0


@pytest.mark.parametrize(
    ("files", "why"),
    [
        ({"m/conf/model.conf": b"", "m/am/final.mdl": b"", "../../evil": b"x"}, "leaves"),
        ({"m/README": b"just a readme"}, "not a Vosk model"),
    ],
)
def test_bad_archives_leave_nothing_behind(
    served: tuple[Path, str], tmp_path: Path, files: dict[str, bytes], why: str
) -> None:
    folder, base = served
    digest = _zip(folder / "m.zip", files)
    dest = tmp_path / "models"
    with pytest.raises(ModelInstallFailed, match=why):
        install_model(f"{base}/m.zip", digest, dest)
    assert list(dest.iterdir()) == []
    assert not (tmp_path / "evil").exists()


def test_a_wrong_checksum_stops_before_unpacking(
    served: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    folder, base = served
    _zip(folder / "m.zip", {"m/conf/model.conf": b"", "m/am/final.mdl": b""})
    monkeypatch.setenv("XUBAO_CONFIG_FILE", str(tmp_path / "none.toml"))
    monkeypatch.setenv("XUBAO_LANG", "en")
    dest = tmp_path / "models"
    assert main(["models", "install", f"{base}/m.zip", "--sha256", "0" * 64,
                 "--dir", str(dest)]) == 2  # fmt: skip
    assert "checksum mismatch" in capsys.readouterr().out
    assert list(dest.iterdir()) == []
    with pytest.raises(ModelInstallFailed, match="64 hexadecimal"):
        install_model(f"{base}/m.zip", "abc", dest)
    with pytest.raises(ModelInstallFailed, match="download failed"):
        install_model(f"{base}/absent.zip", "0" * 64, dest)
    with pytest.raises(ModelInstallFailed, match="http"):
        install_model("file:///etc/passwd.zip", "0" * 64, dest)
