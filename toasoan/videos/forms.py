"""The video form in the admin: an uploaded file is probed before it is kept,
and a refusal says why, in Vietnamese and English; so does a full disk."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django import forms
from django.conf import settings
from django.db import transaction
from wagtail.admin.forms import WagtailAdminModelForm

from toasoan.videos.probing import VideoRejected


class VideoForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The uploaded file's own name stands in when the editor types none.
        if "original_filename" in self.fields:
            self.fields["original_filename"].required = False

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if not cleaned.get("original_filename"):
            if upload:
                cleaned["original_filename"] = Path(upload.name).name[:255]
                self.instance.original_filename = cleaned["original_filename"]
            elif not self.errors:  # a refused file has said why already
                self.add_error(
                    "original_filename",
                    "Cần tệp video hoặc tên tệp gốc / give the file or its name",
                )
        return cleaned

    def clean_file(self):
        from toasoan.videos.services import check_upload, explain_write_failure

        upload = self.cleaned_data.get("file")
        if not upload or "file" not in self.changed_data:
            return upload
        self.probe = None
        with tempfile.TemporaryDirectory(
            prefix="toasoan-upload-", dir=settings.FILE_UPLOAD_TEMP_DIR
        ) as folder:
            path = Path(getattr(upload, "temporary_file_path", lambda: "")() or "")
            try:
                if not path.is_file():
                    path = Path(folder) / "upload"
                    with path.open("wb") as copy:
                        for chunk in upload.chunks():
                            copy.write(chunk)
                self.probe = check_upload(path, upload.name)
            except VideoRejected as error:
                raise forms.ValidationError(str(error)) from error
            except OSError as error:  # the copy to probe: a full temporary disk
                message = str(explain_write_failure(error))
                raise forms.ValidationError(message) from error
        upload.seek(0)
        return upload

    def clean_captions(self):
        captions = self.cleaned_data.get("captions")
        if not captions or "captions" not in self.changed_data:
            return captions
        head = captions.read(64)
        captions.seek(0)
        if not captions.name.lower().endswith(".vtt") or not head.lstrip(
            b"\xef\xbb\xbf"
        ).startswith(b"WEBVTT"):
            raise forms.ValidationError(
                "Phụ đề phải là tệp WebVTT (.vtt, bắt đầu bằng “WEBVTT”) / "
                "captions must be a WebVTT file"
            )
        if captions.size > 2 * 1024**2:
            raise forms.ValidationError("Tệp phụ đề quá lớn (tối đa 2 MB) / too large")
        return captions

    def save(self, commit=True):
        """Writes the uploads whole through save_video, which raises
        VideoNotStored (a full disk) with nothing kept; the admin's views turn
        that into an error on the form (wagtail_hooks.py)."""
        from toasoan.videos.services import save_video

        video = super().save(commit=False)
        if not commit:
            return video
        uploads = {
            field: self.cleaned_data[field]
            for field in ("file", "captions")
            if field in self.changed_data and self.cleaned_data.get(field)
        }
        probe = getattr(self, "probe", None) if "file" in uploads else None
        with transaction.atomic():  # the waiting record stays locked until saved
            if video._state.adding and "file" in uploads:
                video = self._record_waiting_for(video, uploads["file"].name)
            return save_video(video, uploads, probe)

    def _record_waiting_for(self, video, name: str):
        """A new upload whose name an existing record is waiting for (an
        imported article's 72619_OHAI1.mp4) goes to that record, so the
        article shows it; otherwise the new record."""
        from toasoan.videos.services import video_waiting_for

        waiting = video_waiting_for(Path(name).name) or (
            video_waiting_for(video.original_filename)
            if video.original_filename
            else None
        )
        if waiting is None:
            return video
        waiting.title = video.title or waiting.title
        self.instance = waiting  # what the admin shows and logs from here on
        return waiting
