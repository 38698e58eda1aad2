"""Nomination attachments: which files are accepted, and where they are kept.

Files live under MEDIA_ROOT/selection/attachments/ (never served by the web server: the only way
to a file is the attachment view, which checks the nomination's scope), encrypted at rest with
core.crypto under their own purpose, named by a random token, never by what the user called them.
The type is judged by the file's first bytes, not by its name or the browser's word."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.utils.translation import gettext as _

from talentpool.core.crypto import decrypt_bytes, encrypt_bytes

PURPOSE = "selection-attachment"
FOLDER = "selection/attachments"
MAX_BYTES = 10 * 1024 * 1024
MAX_PER_NOMINATION = 10

#: type → (the label users see, the file endings accepted, the signatures its first bytes carry)
KINDS: dict[str, tuple[str, tuple[str, ...], tuple[bytes, ...]]] = {
    "application/pdf": ("PDF", (".pdf",), (b"%PDF-",)),
    "image/jpeg": ("JPEG", (".jpg", ".jpeg"), (b"\xff\xd8\xff",)),
    "image/png": ("PNG", (".png",), (b"\x89PNG\r\n\x1a\n",)),
    # Word and Excel (OOXML) files are ZIP archives.
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("Word", (".docx",), (b"PK\x03\x04",)),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ("Excel", (".xlsx",), (b"PK\x03\x04",)),
}


class AttachmentRefused(ValueError):
    pass


def accepted_labels() -> str:
    return "、".join(dict.fromkeys(label for label, _e, _s in KINDS.values()))


def check_file(name: str, data: bytes) -> str:
    """The content type of an acceptable file; AttachmentRefused (in Chinese) otherwise."""
    if not data:
        raise AttachmentRefused(_("The file %(name)s is empty.") % {"name": name})
    if len(data) > MAX_BYTES:
        raise AttachmentRefused(_("The file %(name)s is larger than %(limit)s MB.")
                                % {"name": name, "limit": MAX_BYTES // (1024 * 1024)})
    lower = name.lower()
    for content_type, (_label, endings, signatures) in KINDS.items():
        if lower.endswith(endings):
            if not data.startswith(signatures):
                raise AttachmentRefused(_("The file %(name)s is not really a %(kind)s file.")
                                        % {"name": name, "kind": _label})
            return content_type
    raise AttachmentRefused(_("The file %(name)s is not an accepted type (accepted: %(kinds)s).")
                            % {"name": name, "kinds": accepted_labels()})


class AttachmentStorage(FileSystemStorage):
    """MEDIA_ROOT storage that writes encrypted and opens decrypted."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("file_permissions_mode", 0o600)
        kwargs.setdefault("directory_permissions_mode", 0o700)
        super().__init__(**kwargs)

    def _save(self, name: str, content: File) -> str:
        data = b"".join(c if isinstance(c, bytes) else c.encode() for c in content.chunks())
        return super()._save(name, ContentFile(encrypt_bytes(data, purpose=PURPOSE)))  # type: ignore[misc]

    def _open(self, name: str, mode: str = "rb") -> File:
        with super()._open(name, "rb") as raw:  # type: ignore[misc]
            blob = raw.read()
        return ContentFile(decrypt_bytes(blob, purpose=PURPOSE), name=name)


storage = AttachmentStorage()


def attachment_storage() -> AttachmentStorage:
    """The storage of Attachment.file (a callable, so migrations name it)."""
    return storage


def stored_name() -> str:
    return f"{FOLDER}/{secrets.token_hex(16)}"
