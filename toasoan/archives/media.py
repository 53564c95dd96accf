"""Media files on the way in: each is copied to a staging folder beside the
media, checked against the manifest, and moved into place whole; everything
written is remembered so that a failed restore can take it back."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import uuid
from pathlib import Path

from django.core.files.storage import FileSystemStorage, default_storage
from django.utils.translation import gettext as _

from toasoan.archives import format as fmt
from toasoan.core.staging import StagedFile


class MediaConflict(Exception):
    """The storage has another file where one must go; the message is for
    people."""


def stored_digest(storage, name: str) -> str:
    digest = hashlib.sha256()
    with storage.open(name, "rb") as handle:
        while chunk := handle.read(fmt.CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class MediaWriter:
    def __init__(self, directory: Path, manifest: fmt.Manifest):
        self.directory = directory
        self.entries = manifest.media()
        self.written: list[tuple[object, str]] = []
        self.reused = 0
        self._staging: Path | None = None

    def same_bytes(self, storage, name: str) -> bool:
        """Whether the storage holds ``name`` with the bytes the export has."""
        entry = self.entries.get(name)
        return (
            entry is not None
            and storage.exists(name)
            and stored_digest(storage, name) == entry.sha256
        )

    def place(
        self, name: str, target: str | None = None, *, storage=None, folder=False
    ) -> str:
        """Store media/<name> as ``target`` (its own name by default) and return
        the name it got. A file already there with the same bytes is used as it
        is; another file of that name makes the storage choose a free name, or,
        inside a video's folder (playlists name their segments), is an error."""
        storage = storage or default_storage
        target = target or name
        entry = self.entries.get(name)
        if entry is None:  # named by the record, missing at export time
            return target
        if storage.exists(target):
            if stored_digest(storage, target) == entry.sha256:
                self.reused += 1
                return target
            if folder:
                raise MediaConflict(
                    _(
                        "Kho media đã có tệp %(name)s khác với bản xuất / the media "
                        "storage already has a different %(name)s"
                    )
                    % {"name": target}
                )
        staged = self._stage(name, entry)
        try:
            with open(staged, "rb") as handle:
                stored = storage.save(target, StagedFile(handle, staged))
        finally:
            staged.unlink(missing_ok=True)
        self.written.append((storage, stored))
        return stored

    def _stage(self, name: str, entry: fmt.FileEntry) -> Path:
        if self._staging is None:
            # Beside the media when they are local files, so that the final move
            # is a rename on the same disk.
            base = None
            if isinstance(default_storage, FileSystemStorage):
                base = Path(default_storage.location)
                base.mkdir(parents=True, exist_ok=True)
            self._staging = Path(tempfile.mkdtemp(prefix=".toasoan-restore-", dir=base))
        staged = self._staging / uuid.uuid4().hex
        with open(self.directory / fmt.media_path(name), "rb") as source:
            digest, _size = fmt.copy_file(source, staged)
        if digest != entry.sha256:
            staged.unlink(missing_ok=True)
            raise MediaConflict(
                _("Tệp %(name)s đã đổi sau khi kiểm tra / changed after checking")
                % {"name": fmt.media_path(name)}
            )
        return staged

    def discard(self) -> None:
        """Delete every file written (the restore failed)."""
        for storage, name in reversed(self.written):
            try:
                storage.delete(name)
            except OSError:
                pass
        self.written.clear()

    def close(self) -> None:
        if self._staging is not None:
            shutil.rmtree(self._staging, ignore_errors=True)
            self._staging = None
