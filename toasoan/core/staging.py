"""Files written whole or not at all into local media storage."""

from pathlib import Path

from django.core.files import File


class StagedFile(File):
    """A whole file in a staging folder on the media's own disk: Django's
    FileSystemStorage moves it into place (file_move_safe renames within a
    disk) instead of copying it, so no half file is ever at its name; other
    storages read it."""

    def __init__(self, handle, path: Path):
        super().__init__(handle, name=path.name)
        self._staged = path

    def temporary_file_path(self) -> str:
        return str(self._staged)
