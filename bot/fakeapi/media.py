"""File objects (PhotoSize, Document, ...) for uploads, URLs and previously issued file ids."""

from __future__ import annotations

import struct
from typing import Any

from .faults import ApiError
from .jsontypes import JSON

__all__ = ["MEDIA_KINDS", "FileRegistry"]

# Bot API method -> the parameter (and Message field) carrying the file.
MEDIA_KINDS = {
    "sendPhoto": "photo",
    "sendDocument": "document",
    "sendVideo": "video",
    "sendAudio": "audio",
    "sendAnimation": "animation",
    "sendVoice": "voice",
    "sendSticker": "sticker",
    "sendVideoNote": "video_note",
}
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _image_size(content: bytes) -> tuple[int, int]:
    """Width and height from a PNG header, else a plausible default."""
    if content[:8] == _PNG_SIGNATURE and len(content) >= 24:
        return struct.unpack(">II", content[16:24])
    return 640, 480


class FileRegistry:
    """Issues file ids and remembers them, so files can be re-sent by id like on Telegram."""

    def __init__(self) -> None:
        self._by_id: dict[str, Any] = {}
        self._content: dict[str, bytes] = {}
        self._counter = 0

    def resolve(self, kind: str, media: Any) -> Any:
        """The Message field value for ``media`` (upload dict, file id or URL) of ``kind``."""
        if isinstance(media, str):
            known = self._by_id.get(media)
            if known is not None:
                return known
            if not media.startswith(("http://", "https://")):
                raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
            meta: JSON = {"filename": media.rsplit("/", 1)[-1] or None}
        elif isinstance(media, dict) and "content" in media:
            meta = media
        else:
            raise ApiError(400, f"Bad Request: there is no {kind} in the request")
        self._counter += 1
        file_id = f"FAKE-{kind}-{self._counter:06d}"
        obj: JSON = {"file_id": file_id, "file_unique_id": f"U{self._counter:06d}"}
        if meta.get("size") is not None:
            obj["file_size"] = meta["size"]
        width, height = _image_size(meta.get("content") or b"")
        if kind == "photo":
            obj.update(width=width, height=height)
            value: Any = [obj]
        else:
            value = obj
            if kind in ("video", "animation"):
                obj.update(width=width, height=height, duration=1)
            elif kind in ("audio", "voice"):
                obj["duration"] = 1
            elif kind == "video_note":
                obj.update(length=240, duration=1)
            elif kind == "sticker":
                obj.update(type="regular", width=512, height=512, is_animated=False, is_video=False)
            if kind in ("document", "audio", "video", "animation") and meta.get("filename"):
                obj["file_name"] = meta["filename"]
            if meta.get("mime_type") and kind != "sticker":
                obj["mime_type"] = meta["mime_type"]
        self._by_id[file_id] = value
        if isinstance(meta.get("content"), bytes):
            self._content[file_id] = meta["content"]
        return value

    def file(self, file_id: Any) -> JSON:
        """getFile: the File object, with a download path when the content is known."""
        if not isinstance(file_id, str) or file_id not in self._by_id:
            raise ApiError(400, "Bad Request: invalid file_id")
        known = self._by_id[file_id]
        obj = dict(known[-1] if isinstance(known, list) else known)
        file: JSON = {"file_id": file_id, "file_unique_id": obj["file_unique_id"]}
        if file_id in self._content:
            file["file_size"] = len(self._content[file_id])
            file["file_path"] = f"files/{file_id}"
        return file

    def download(self, path: str) -> bytes | None:
        """The bytes at a download path getFile gave, or None (Telegram's 404)."""
        return self._content.get(path.removeprefix("files/"))
