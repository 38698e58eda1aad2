"""Job files: an upload, its parsed working copy, an error report or export result. They hold ID
numbers and phones, so they are encrypted at rest and deleted after a stated retention.

Every job file lives under MEDIA_ROOT/jobs/<purpose>/ and goes through JobFileStorage, which
encrypts what it writes (crypto.encrypt_bytes, AES-256-GCM under a key derived from
TALENTPOOL_ENCRYPTION_KEY, the purpose as associated data) and decrypts what it opens.

Retention (docs/deploy.md):
- "input", the upload: deleted as soon as its job ends, whatever the outcome (core.jobs);
- "work", a job's working copy (an import's validated rows, waiting for the confirmation) and
  "result", its result (an import's error report, an export): kept for settings.IMPORT_FILE_HOURS
  after the job ended, for the confirmation or the download, then purged;
- files no job row refers to (the row was deleted, or never committed) and files written before
  encryption: purged once older than ORPHAN_GRACE.
``purge_job_files`` applies the rules; it is idempotent and runs from ``manage.py purge_job_files``.
"""

from __future__ import annotations

import contextlib
import datetime
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage
from django.utils import timezone

from .crypto import FILE_PREFIX, decrypt_bytes, encrypt_bytes

ROOT = "jobs"
INPUT, RESULT, WORK = "input", "result", "work"
PURPOSES = (INPUT, RESULT, WORK)
# A file on disk that no committed job row names yet may be one being written right now.
ORPHAN_GRACE = datetime.timedelta(hours=1)


def purpose_of(name: str) -> str:
    parts = name.replace("\\", "/").split("/")
    if len(parts) < 3 or parts[0] != ROOT or parts[1] not in PURPOSES:
        raise ValueError(f"not a job file name: {name!r}")
    return parts[1]


class JobFileStorage(FileSystemStorage):
    """MEDIA_ROOT storage that writes encrypted and opens decrypted (read-only, "rb")."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("file_permissions_mode", 0o600)
        kwargs.setdefault("directory_permissions_mode", 0o700)
        super().__init__(**kwargs)

    def _save(self, name: str, content: File) -> str:
        data = b"".join(c if isinstance(c, bytes) else c.encode() for c in content.chunks())
        sealed = encrypt_bytes(data, purpose=purpose_of(name))
        return super()._save(name, ContentFile(sealed))  # type: ignore[misc]

    def _open(self, name: str, mode: str = "rb") -> File:
        if mode not in ("r", "rb"):
            raise ValueError("job files are read-only once written: save a new file instead")
        with super()._open(name, "rb") as raw:  # type: ignore[misc]
            blob = raw.read()
        return ContentFile(decrypt_bytes(blob, purpose=purpose_of(name)), name=name)

    def read(self, name: str) -> bytes:
        with self.open(name) as handle:
            return handle.read()


storage = JobFileStorage()


def job_storage() -> JobFileStorage:
    """The storage of Job.input_file and Job.result_file (a callable, so migrations name it)."""
    return storage


def retention_hours() -> int:
    return int(settings.IMPORT_FILE_HOURS)


def kept_until(job: Any) -> datetime.datetime | None:
    """When the job's result and working copy are purged (None while it runs)."""
    if job.finished_at is None:
        return None
    return job.finished_at + datetime.timedelta(hours=retention_hours())


# Working copies ------------------------------------------------------------------------------


def work_name(job_id: int) -> str:
    return f"{ROOT}/{WORK}/{job_id}.bin"


def save_work_file(job: Any, content: bytes) -> str:
    name = work_name(job.pk)
    storage.delete(name)
    return storage.save(name, ContentFile(content))


def read_work_file(job: Any) -> bytes | None:
    """The job's working copy, or None when there is none (never written, or purged)."""
    try:
        return storage.read(work_name(job.pk))
    except (OSError, ValueError):
        return None


def delete_work_file(job: Any) -> None:
    storage.delete(work_name(job.pk))


def delete_input_file(job: Any) -> None:
    """Delete the job's upload and forget its name (the job has ended)."""
    from .models import Job

    if job.input_file:
        storage.delete(job.input_file.name)
        Job.objects.filter(pk=job.pk).update(input_file="")
        job.input_file = ""


# Purge ---------------------------------------------------------------------------------------


def _is_encrypted(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(len(FILE_PREFIX)) == FILE_PREFIX


def _work_job_id(name: str) -> int | None:
    stem = name.rsplit("/", 1)[-1].split(".", 1)[0]
    return int(stem) if stem.isdigit() else None


def _chunks(values: list[Any], size: int = 500) -> Iterator[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def purge_job_files(*, now: datetime.datetime | None = None) -> Counter[str]:
    """Delete every job file past its retention (see the module docstring) and forget the names
    of deleted or missing files on their job rows. Idempotent: a second run deletes nothing more.
    Returns how many files were deleted, by reason ("ended", "expired", "orphan", "unencrypted")."""
    from .models import Job, JobStatus

    now = now or timezone.now()
    cutoff = now - datetime.timedelta(hours=retention_hours())
    grace = (now - ORPHAN_GRACE).timestamp()
    finished = (JobStatus.SUCCEEDED, JobStatus.FAILED)
    base = Path(storage.location)
    top = base / ROOT
    on_disk: list[tuple[Path, str, str]] = []
    if top.is_dir():
        for path in sorted(top.rglob("*")):
            if path.is_file() or path.is_symlink():
                name = path.relative_to(base).as_posix()
                try:
                    purpose = purpose_of(name)
                except ValueError:
                    purpose = ""
                on_disk.append((path, name, purpose))

    def within(status: str, finished_at: datetime.datetime | None) -> bool:
        return status not in finished or finished_at is None or finished_at >= cutoff

    # name (or job id, for working copies) → still kept, for the files some job row refers to
    inputs: dict[str, bool] = {}
    results: dict[str, bool] = {}
    work: dict[int, bool] = {}
    for names in _chunks([n for _, n, p in on_disk if p == INPUT]):
        for name, status in Job.objects.filter(input_file__in=names).values_list("input_file", "status"):
            inputs[name] = status not in finished  # an upload goes when its job ends
    for names in _chunks([n for _, n, p in on_disk if p == RESULT]):
        for name, status, at in Job.objects.filter(result_file__in=names).values_list(
            "result_file", "status", "finished_at"
        ):
            results[name] = within(status, at)
    ids = [i for _, n, p in on_disk if p == WORK and (i := _work_job_id(n)) is not None]
    for chunk in _chunks(ids):
        for pk, status, at in Job.objects.filter(pk__in=chunk).values_list("pk", "status", "finished_at"):
            work[pk] = within(status, at)

    deleted: Counter[str] = Counter()
    for path, name, purpose in on_disk:
        try:
            fresh = path.lstat().st_mtime >= grace
            encrypted = path.is_file() and not path.is_symlink() and _is_encrypted(path)
        except OSError:
            continue  # deleted meanwhile
        known: bool | None = None  # whether a job row keeps it; None: no row refers to it
        if purpose == INPUT:
            known = inputs.get(name)
        elif purpose == RESULT:
            known = results.get(name)
        elif purpose == WORK and (job_id := _work_job_id(name)) is not None:
            known = work.get(job_id)
        if known is None:
            reason = "" if fresh else "orphan"
        elif not known:
            reason = "ended" if purpose == INPUT else "expired"
        else:
            reason = ""
        if not reason and not encrypted and not fresh:
            reason = "unencrypted"  # written before job files were encrypted
        if reason:
            path.unlink(missing_ok=True)
            deleted[reason] += 1
    if top.is_dir():
        for directory in sorted((p for p in top.rglob("*") if p.is_dir()), key=lambda p: len(p.parts), reverse=True):
            if directory.parent != top:  # jobs/<purpose>/ itself stays
                with contextlib.suppress(OSError):  # not empty
                    directory.rmdir()

    # Rows forget files that are gone: an ended job's upload, an expired result, any deleted file.
    present = {name for path, name, _ in on_disk if path.exists()}
    Job.objects.filter(status__in=finished).exclude(input_file="").update(input_file="")
    Job.objects.filter(status__in=finished, finished_at__lt=cutoff).exclude(result_file="").update(result_file="")
    for names in _chunks([n for n in inputs if n not in present]):
        Job.objects.filter(input_file__in=names).update(input_file="")
    for names in _chunks([n for n in results if n not in present]):
        Job.objects.filter(result_file__in=names).update(result_file="")
    return deleted
