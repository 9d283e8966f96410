"""Entry files: type checked by content, size limits, storage, and who may download."""

import io
import os

import pytest

from surveyapp.contests import uploads
from surveyapp.contests.entry_models import EntryFile
from surveyapp.errors import DomainError
from surveyapp.extensions import db

from .conftest import pupil_client
from .entry_helpers import (
    ELF,
    EXE,
    JPEG,
    MP4,
    PDF,
    PNG,
    WEBM,
    WEBP,
    ZIP,
    give_scores,
    make_entry,
    store_file,
    use_tmp_upload_dir,
)


@pytest.fixture
def files_dir(app):
    return use_tmp_upload_dir(app)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (PDF, "application/pdf"),
        (PNG, "image/png"),
        (JPEG, "image/jpeg"),
        (WEBP, "image/webp"),
        (MP4, "video/mp4"),
        (WEBM, "video/webm"),
        (EXE, None),
        (ELF, None),
        (ZIP, None),
        (b"GIF89a" + b"\x00" * 20, None),
        (b"<html><script>alert(1)</script>", None),
        (b"", None),
    ],
)
def test_sniff_by_content(content, expected):
    assert uploads.sniff(content[:64]) == expected


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (EXE, "program"),
        (ELF, "program"),
        (b"#!/bin/sh\nrm -rf /", "program"),
        (ZIP, "archives"),
        (b"", "empty"),
        (b"GIF89a" + b"\x00" * 20, "Only PDF"),
    ],
)
def test_store_refuses_with_a_message_and_leaves_nothing(ctx, files_dir, content, words):
    before = set(os.listdir(files_dir))
    with pytest.raises(DomainError) as error:
        uploads.store(io.BytesIO(content), limit_bytes=10**6, directory=files_dir)
    assert words in str(error.value.message)
    assert set(os.listdir(files_dir)) == before


def test_store_refuses_oversize_and_removes_partial_file(ctx, files_dir):
    before = set(os.listdir(files_dir))
    big = PNG + b"\x00" * (2 * 1024 * 1024)
    with pytest.raises(DomainError, match="larger than 1 MB"):
        uploads.store(io.BytesIO(big), limit_bytes=1024 * 1024, directory=files_dir)
    assert set(os.listdir(files_dir)) == before


def test_store_keeps_random_name_and_hash(ctx, files_dir):
    stored = uploads.store(io.BytesIO(PNG), limit_bytes=10**6, directory=files_dir)
    assert stored.content_type == "image/png" and stored.stored_name.endswith(".png")
    assert len(stored.stored_name) == 36 and stored.size == len(PNG)
    with open(os.path.join(files_dir, stored.stored_name), "rb") as kept:
        assert kept.read() == PNG


def test_limit_is_the_smaller_of_round_and_global_cap(app, ctx):
    app.config["CONTEST_MAX_FILE_MB"] = 8
    try:
        assert uploads.file_limit_bytes(20) == 8 * 1024 * 1024
        assert uploads.file_limit_bytes(2) == 2 * 1024 * 1024
    finally:
        app.config.pop("CONTEST_MAX_FILE_MB")


def test_download_name_takes_the_extension_of_the_content():
    assert uploads.download_name("Báo cáo Mù Cang Chải.exe", "application/pdf") == (
        "Báo cáo Mù Cang Chải.pdf"
    )
    assert uploads.download_name("../../x.png", "image/png") == "x.png"


def _upload(client, round_id, content, name):
    """Post one file as a raw multipart body (the test client would spool big bodies to a
    temporary file it never closes)."""
    body = (
        b'--XX\r\nContent-Disposition: form-data; name="file"; filename="'
        + name.encode()
        + b'"\r\nContent-Type: application/octet-stream\r\n\r\n'
        + content
        + b"\r\n--XX--\r\n"
    )
    return client.post(
        f"/contests/rounds/{round_id}/my-entry/files",
        input_stream=io.BytesIO(body),
        content_type="multipart/form-data; boundary=XX",
        content_length=len(body),
    )


def test_pupil_uploads_a_pdf(app, world, clock, files_dir):
    entry = make_entry(world["product"], world["teams"][0])
    client = pupil_client(app, world["pupils_a"][0])
    response = _upload(client, world["product"].id, PDF, "Sản phẩm Mù Cang Chải.pdf")
    assert response.status_code == 302
    file = db.session.scalar(db.select(EntryFile).where(EntryFile.entry_id == entry.id))
    assert file.content_type == "application/pdf" and file.original_name.startswith("Sản phẩm")
    assert os.path.exists(os.path.join(files_dir, file.stored_name))


@pytest.mark.parametrize(
    ("content", "name", "words"),
    [
        (EXE, "bai-du-thi.pdf", "program"),
        (ELF, "anh.png", "program"),
        (ZIP, "bao-cao.pdf", "archives"),
        (b"plain text", "video.mp4", "Only PDF"),
    ],
)
def test_pupil_upload_refused_by_content(app, world, clock, files_dir, content, name, words):
    entry = make_entry(world["product"], world["teams"][0])
    client = pupil_client(app, world["pupils_a"][0])
    response = _upload(client, world["product"].id, content, name)
    assert response.status_code == 400
    assert words in response.get_data(as_text=True)
    assert entry.files == []


def test_pupil_upload_over_round_limit(app, world, clock, files_dir):
    world["product"].max_file_mb = 1
    make_entry(world["product"], world["teams"][0])
    client = pupil_client(app, world["pupils_a"][0])
    response = _upload(client, world["product"].id, PNG + b"\x00" * (1024 * 1024 + 10), "a.png")
    assert response.status_code == 400
    assert "larger than 1 MB" in response.get_data(as_text=True)


def test_request_over_global_cap_is_413(app, world, clock, files_dir):
    app.config["CONTEST_MAX_FILE_MB"] = 1
    try:
        make_entry(world["product"], world["teams"][0])
        client = pupil_client(app, world["pupils_a"][0])
        big = PNG + b"\x00" * (3 * 1024 * 1024)
        response = _upload(client, world["product"].id, big, "a.png")
        assert response.status_code == 413
    finally:
        app.config.pop("CONTEST_MAX_FILE_MB")


def test_files_per_entry_limit(app, world, clock, files_dir):
    app.config["CONTEST_MAX_FILES_PER_ENTRY"] = 1
    try:
        entry = make_entry(world["product"], world["teams"][0])
        store_file(entry)
        client = pupil_client(app, world["pupils_a"][0])
        response = _upload(client, world["product"].id, PNG, "a.png")
        assert response.status_code == 400 and "at most 1 files" in response.get_data(True)
    finally:
        app.config.pop("CONTEST_MAX_FILES_PER_ENTRY")


def test_upload_after_close_refused(app, world, clock, files_dir):
    make_entry(world["product"], world["teams"][0])
    clock.advance(days=8)
    client = pupil_client(app, world["pupils_a"][0])
    response = _upload(client, world["product"].id, PNG, "a.png")
    assert response.status_code == 400 and "closed" in response.get_data(as_text=True)


def test_pupil_removes_own_file(app, world, clock, files_dir):
    entry = make_entry(world["product"], world["teams"][0])
    file = store_file(entry)
    path = os.path.join(files_dir, file.stored_name)
    other = pupil_client(app, world["pupils_b"][0])
    url = f"/contests/my-entries/{entry.id}/files/{file.id}/delete"
    assert other.post(url).status_code == 404
    assert pupil_client(app, world["pupils_a"][1]).post(url).status_code == 302
    file_id = file.id
    db.session.expire_all()
    assert db.session.get(EntryFile, file_id) is None and not os.path.exists(path)


def _status(client, url):
    with client.get(url) as response:
        return response.status_code


def test_download_headers_and_who_may(app, world, clock, files_dir, f, as_user):
    entry = make_entry(world["product"], world["teams"][0])
    file = store_file(entry, PDF, "Báo cáo.pdf")
    pupil_url = f"/contests/my-entries/{entry.id}/files/{file.id}"
    staff_url = f"/contests/entries/{entry.id}/files/{file.id}"
    with pupil_client(app, world["pupils_a"][0]).get(pupil_url) as response:
        assert response.status_code == 200 and response.data == PDF
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Content-Disposition"].startswith("attachment")
        assert response.mimetype == "application/pdf"
    # another team's pupil, an anonymous visitor
    assert _status(pupil_client(app, world["pupils_b"][0]), pupil_url) == 404
    assert _status(app.test_client(), pupil_url) == 404
    leader_a, leader_b = world["leaders"]
    assert _status(as_user(leader_a), staff_url) == 200
    assert _status(as_user(leader_b), staff_url) == 404
    assert _status(as_user(world["organiser"]), staff_url) == 200
    judge = world["judge"]
    assert _status(as_user(judge), staff_url) == 404  # not assigned
    give_scores(entry, judge, [], [])
    assert _status(as_user(judge), staff_url) == 200
    assert _status(as_user(f.user("coordinator", world["b"])), staff_url) == 404


def test_attachment_header_keeps_vietnamese_names():
    header = uploads.attachment_header('Báo cáo "Mù Cang Chải".pdf')
    assert header.startswith('attachment; filename="Bao cao Mu Cang Chai.pdf"')
    assert "filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20M%C3%B9" in header
    assert uploads.attachment_header("report.pdf") == 'attachment; filename="report.pdf"'
