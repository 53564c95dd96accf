"""The video form in the admin: an uploaded file is probed before it is kept,
and a refusal says why, in Vietnamese and English; so does a full disk."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django import forms
from django.conf import settings
from wagtail.admin.forms import WagtailAdminModelForm

from toasoan.videos.probing import VideoRejected


class VideoForm(WagtailAdminModelForm):
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
        return save_video(video, uploads, probe)
