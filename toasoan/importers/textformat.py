"""Reading plain-text articles shaped like the station portal's pages (the seed).

    Title line
    Thứ 6, 26.07.2019 | 17:30:59        (or 26/07/2019)
    264 lượt xem                        (optional; 11,364 or 11.364)
    Body paragraphs…
    Video: 72619_OHAI1.mp4              (optional, anywhere in the body)
    Author line                         (last line of the body block)
    • Từ khóa: a, b                     (optional; keywords may follow on own lines)

Pure text handling, no Django: ``parse_text_article`` takes the file's bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from toasoan.core.vietnamese import (
    DateLineError,
    looks_like_date_line,
    normalize_text,
    parse_date_line,
    parse_view_line,
)
from toasoan.importers.legacy_encodings import guess_legacy_text, repair_mojibake

MAX_TITLE_LENGTH = 300
_KEYWORD_MARKER = re.compile(
    r"^\s*[•·*\-–]?\s*t[ừu]\s*kh[óo][áa]?\s*:?\s*(?P<rest>.*)$", re.IGNORECASE
)
_VIDEO_LINE = re.compile(
    r"^\s*video\s*:\s*(?P<name>[^\s/\\][^/\\]*\.(?:mp4|m4v|mov|webm|ts|mpg|mpeg|flv|avi))\s*$",
    re.IGNORECASE,
)
_AUDIO_LINE = re.compile(
    r"^\s*audio\s*:\s*(?P<name>[^\s/\\][^/\\]*\.(?:mp3|m4a|aac|wav|ogg|wma))\s*$",
    re.IGNORECASE,
)
_SENTENCE_END = ("./.", ".", "…", "!", "?", ":", ";", '"', "”")
# Words glued where an old portal's HTML was stripped: "Thái Bình.Sáng nay",
# "tỉnhThái Bình". A capital after a full stop, or inside a word that began in
# lower case ("iPhone", "TikTok", "YouTube" begin otherwise and are kept).
# The letter before the stop is checked in Python: a pattern that starts with a
# look-behind is tried at every character, ten times slower than one that
# starts with the stop.
_GLUED_SENTENCE = re.compile(r"([.!?;])(?=[^\W\d_])")
_LETTER = re.compile(r"[^\W\d_]")
_GLUED_WORD = re.compile(r"\b([^\W\d_]+)")


def _class_of(codes: list[int]) -> str:
    """A regular expression character class's inside, as ranges."""
    parts, start = [], 0
    for index in range(1, len(codes) + 1):
        if index == len(codes) or codes[index] != codes[index - 1] + 1:
            first, last = chr(codes[start]), chr(codes[index - 1])
            parts.append(re.escape(first) + ("-" + re.escape(last)) * (last > first))
            start = index
    return "".join(parts)


def _glue_candidates() -> re.Pattern:
    """A letter that is not a capital followed by a capital ("hX"): every glued
    word has one, and a clean paragraph has none, so most paragraphs skip the
    word-by-word check. Built for the Basic Multilingual Plane; text beyond it
    takes the word-by-word check."""
    letters = [c for c in range(0x10000) if _LETTER.match(chr(c))]
    upper = [c for c in letters if chr(c).isupper()]
    other = [c for c in letters if not chr(c).isupper()]
    return re.compile(f"[{_class_of(other)}][{_class_of(upper)}]")


_GLUE_CANDIDATE = _glue_candidates()
_BEYOND_BMP = re.compile("[\U00010000-\U0010ffff]")
AUTHOR_SEPARATORS = re.compile(r"\s*(?:,|;|&|\s[-–]\s|\bvà\b)\s*")


class TextArticleError(ValueError):
    """A file that cannot be imported; ``line`` is 1-based, or None for the file."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line


def repair_text(text: str) -> str:
    """What old archives got wrong and readers should not see: "Ð" (U+00D0,
    Icelandic eth) typed for "Đ", and words glued where HTML was stripped."""
    text = text.replace("\u00d0", "Đ").replace("\u00f0", "đ")

    def after_stop(match: re.Match) -> str:
        # "tỉnh.Sáng" is two sentences; "TP.HCM" and "11.364" are not.
        before = text[match.start() - 1] if match.start() else ""
        following = text[match.end() : match.end() + 1]
        glued = bool(_LETTER.match(before)) and before.islower() and following.isupper()
        return match.group(1) + (" " if glued else "")

    text = _GLUED_SENTENCE.sub(after_stop, text)
    if not _GLUE_CANDIDATE.search(text) and not _BEYOND_BMP.search(text):
        return text
    # Only a word that starts lower case and holds a capital can be glued: find
    # those once each, so a clean article costs no Python call per word.
    repaired = {
        word: _unglue(word)
        for word in set(_GLUED_WORD.findall(text))
        if word[0].islower() and not word.islower()
    }
    repaired = {word: fixed for word, fixed in repaired.items() if fixed != word}
    if not repaired:
        return text
    return _GLUED_WORD.sub(lambda m: repaired.get(m.group(1), m.group(1)), text)


def _unglue(word: str) -> str:
    if not word[0].islower():
        return word
    for index in range(2, len(word) - 1):
        if (
            word[index].isupper()
            and word[index + 1].islower()
            and word[:index].islower()
        ):
            return word[:index] + " " + word[index:]
    return word


@dataclass
class TextArticle:
    title: str
    published_at: datetime  # naive, in the portal's local time
    paragraphs: list[str]
    view_count: int = 0
    video_filename: str | None = None
    audio_filename: str | None = None
    authors: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)


def decode_article_bytes(raw: bytes, max_bytes: int) -> str:
    if len(raw) > max_bytes:
        raise TextArticleError(
            f"tệp quá lớn / file too large: {len(raw):,} bytes > {max_bytes:,}"
        )
    if not raw.strip():
        raise TextArticleError("tệp rỗng / empty file", 1)
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise TextArticleError("tệp nhị phân, không phải văn bản / binary file", line)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        # Archives from the 1990s-2000s: TCVN3 (ABC) or VNI bytes.
        legacy = guess_legacy_text(raw)
        if legacy is None:
            line = raw[: exc.start].count(b"\n") + 1
            raise TextArticleError(
                f"không phải UTF-8, TCVN3 hay VNI / not UTF-8, TCVN3 or VNI text "
                f"(byte {exc.start})",
                line,
            ) from exc
        return normalize_text(legacy[0])
    # TCVN3 or VNI once read as Latin-1 and saved as UTF-8 ("Hµ Néi").
    repaired = repair_mojibake(text)
    return normalize_text(repaired[0] if repaired else text)


def _numbered_nonblank(lines: list[str], start: int = 0):
    for index in range(start, len(lines)):
        if lines[index].strip():
            yield index, lines[index].strip()


def _looks_like_author_line(line: str) -> bool:
    return len(line) <= 120 and not line.endswith(_SENTENCE_END)


def split_list(text: str, separators: re.Pattern) -> list[str]:
    return [part.strip() for part in separators.split(text) if part and part.strip()]


def parse_text_article(text: str) -> TextArticle:
    """Parse one article; raise ``TextArticleError`` naming the line at fault."""
    lines = text.split("\n")
    rows = list(_numbered_nonblank(lines))
    if not rows:
        raise TextArticleError("tệp rỗng / empty file", 1)

    title_index, title = rows[0]
    if parse_view_line(title) is not None or looks_like_date_line(title):
        raise TextArticleError("thiếu tiêu đề / no title line", title_index + 1)
    if len(title) > MAX_TITLE_LENGTH:
        raise TextArticleError(
            f"tiêu đề quá dài / title longer than {MAX_TITLE_LENGTH} characters",
            title_index + 1,
        )
    if len(rows) < 2:
        raise TextArticleError("thiếu dòng ngày giờ / no date line", title_index + 2)
    date_index, date_text = rows[1]
    try:
        published_at = parse_date_line(date_text)
    except DateLineError as exc:
        raise TextArticleError(str(exc), date_index + 1) from exc

    body_rows = rows[2:]
    view_count = 0
    if body_rows and (views := parse_view_line(body_rows[0][1])) is not None:
        view_count = views
        body_rows = body_rows[1:]

    keywords: list[str] = []
    for position, (_, line) in enumerate(body_rows):
        marker = _KEYWORD_MARKER.match(line)
        if marker:
            tail = [marker.group("rest")] + [
                row[1] for row in body_rows[position + 1 :]
            ]
            keywords = split_list("\n".join(tail), re.compile(r"\s*[,;\n]\s*"))
            body_rows = body_rows[:position]
            break

    video_filename = audio_filename = None
    paragraphs: list[str] = []
    for _, line in body_rows:
        video = _VIDEO_LINE.match(line)
        audio = _AUDIO_LINE.match(line)
        if video and video_filename is None:
            video_filename = video.group("name").strip()
        elif audio and audio_filename is None:
            audio_filename = audio.group("name").strip()
        else:
            paragraphs.append(repair_text(line))

    authors: list[str] = []
    if len(paragraphs) > 1 and _looks_like_author_line(paragraphs[-1]):
        authors = split_list(paragraphs.pop(), AUTHOR_SEPARATORS)
    if not paragraphs:
        raise TextArticleError(
            "không có nội dung bài / no body paragraphs", date_index + 2
        )
    return TextArticle(
        title=repair_text(title),
        published_at=published_at,
        paragraphs=paragraphs,
        view_count=view_count,
        video_filename=video_filename,
        audio_filename=audio_filename,
        authors=authors,
        keywords=list(dict.fromkeys(keywords)),
    )


def legacy_id_from_filename(stem: str) -> int | None:
    """ "article-47082" → 47082: the old portal's id, when the file name keeps it."""
    match = re.search(r"(\d+)$", stem)
    return int(match.group(1)) if match else None
