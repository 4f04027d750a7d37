"""`samskap backup` and `samskap restore`: the round trip gives back every row and every signed
agreement's hash (SQLite always; PostgreSQL when the tests run on it and pg_dump exists)."""

import shutil
from pathlib import Path

import pytest
from django.db import connection

from samskap.agreements.models import AgreementVersion, VersionStatus
from samskap.core.backup import BackupError, backup, restore, table_counts
from samskap.core.demo import load_demo
from samskap.registry.models import Story


def signed_hashes() -> dict[int, tuple[str, str]]:
    return {
        v.pk: (v.content_hash, v.compute_hash())
        for v in AgreementVersion.objects.filter(status=VersionStatus.SIGNED)
    }


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_and_restore_give_back_every_row_and_signed_hash(tmp_path: Path) -> None:
    if connection.vendor == "postgresql" and not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed")
    load_demo()
    counts = table_counts()
    hashes = signed_hashes()
    assert hashes, "the demo has signed agreements"
    assert all(stored == computed for stored, computed in hashes.values())
    file = backup(tmp_path / "samskap.backup")
    assert file.stat().st_size > 0

    # Damage: rows deleted, a signed text rewritten behind the application's back.
    Story.objects.all().delete()
    AgreementVersion.objects.filter(pk=next(iter(hashes))).update(content="forged")
    assert table_counts() != counts

    restore(file)
    assert table_counts() == counts
    assert signed_hashes() == hashes
    assert all(v.is_intact for v in AgreementVersion.objects.filter(status=VersionStatus.SIGNED))


@pytest.mark.django_db
def test_restore_refuses_what_is_not_a_backup_of_this_engine(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    with pytest.raises(BackupError, match="not a backup"):
        restore(text)
    other = tmp_path / "other.backup"
    if connection.vendor == "sqlite":
        other.write_bytes(b"PGDMP\x01\x0e" + b"\x00" * 32)
        with pytest.raises(BackupError, match="PostgreSQL dump; this installation uses SQLite"):
            restore(other)
    else:
        other.write_bytes(b"SQLite format 3\x00" + b"\x00" * 32)
        with pytest.raises(BackupError, match="SQLite database; this installation uses"):
            restore(other)
    with pytest.raises(BackupError, match="Cannot read"):
        restore(tmp_path / "missing.backup")
