"""The video form in the admin: an uploaded file is probed before it is kept,
and a refusal says why, in Vietnamese and English."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm

from toasoan.videos.probing import VideoRejected


class VideoForm(WagtailAdminModelForm):
    def clean_file(self):
        from toasoan.videos.services import check_upload

        upload = self.cleaned_data.get("file")
        if not upload or "file" not in self.changed_data:
            return upload
        self.probe = None
        with tempfile.TemporaryDirectory(prefix="toasoan-upload-") as folder:
            path = Path(getattr(upload, "temporary_file_path", lambda: "")() or "")
            if not path.is_file():
                path = Path(folder) / "upload"
                with path.open("wb") as copy:
                    for chunk in upload.chunks():
                        copy.write(chunk)
            try:
                self.probe = check_upload(path, upload.name)
            except VideoRejected as error:
                raise forms.ValidationError(str(error)) from error
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
        from toasoan.videos.services import queue_processing, safe_filename

        video = super().save(commit=False)
        new_file = "file" in self.changed_data and getattr(self, "probe", None)
        if new_file:
            video.file.name = safe_filename(video.file.name)
        if commit:
            video.save()
            if new_file:
                queue_processing(video, self.probe)
        return video
