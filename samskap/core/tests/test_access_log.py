"""The access log of ``samskap serve`` never holds a personal-link token."""

import datetime
import secrets

from gunicorn.config import Config

from samskap.core.access_log import TokenMaskingLogger, mask


def test_tokens_in_every_kind_of_link_are_masked() -> None:
    token = secrets.token_urlsafe(32)
    for path in (
        f"/helsesjekk/svar/{token}/",
        f"/svar/{token}/",
        f"/svar/{token}/trekk/",
        f"/invitasjon/{token}/",
        "/nytt-passord/MQ/cz9v2k-8a1c3e4f5b6d7e8f9a0b1c2d3e4f5a6b/",
        f"/somewhere/?token={token}&page=2",
    ):
        masked = mask(path)
        assert token not in masked and "[token]" in masked, masked
        assert "8a1c3e4f5b6d7e8f9a0b1c2d3e4f5a6b" not in masked
    # Ordinary routes stay readable.
    for path in ("/initiativ/dinner-friends-in-fjordvik/helsesjekk/2/", "/rapporter/?page=2"):
        assert mask(path) == path


def test_the_gunicorn_access_log_masks_the_request_line_and_referrer(tmp_path) -> None:
    token = secrets.token_urlsafe(32)
    log = tmp_path / "access.log"
    config = Config()
    config.set("accesslog", str(log))
    logger = TokenMaskingLogger(config)

    class Response:
        status = "200 OK"
        status_code = 200
        response_length = 12
        sent = 12
        headers = [("Content-Type", "text/html")]

    class Request:
        method = "GET"
        path = f"/helsesjekk/svar/{token}/"
        query = ""
        uri = path
        version = (1, 1)
        headers = [("REFERER", f"https://samskap.example.no/svar/{token}/")]

    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": Request.path,
        "PATH_INFO": Request.path,
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_REFERER": f"https://samskap.example.no/svar/{token}/",
    }
    logger.access(Response(), Request(), environ, datetime.timedelta(seconds=0.01))
    for handler in logger.access_log.handlers:
        handler.close()
    written = log.read_text()
    assert "/helsesjekk/svar/[token]/" in written
    assert token not in written


def test_django_request_log_lines_mask_the_token(world, caplog) -> None:
    """The lines "Not Found: /svar/<token>/" and the CSRF refusal name the path: the token is
    masked where the record is made, so no handler (this test's included) ever sees it."""
    from django.test import Client

    token = secrets.token_urlsafe(32)
    with caplog.at_level("WARNING"):
        assert Client().get(f"/svar/{token}/").status_code == 404
        assert Client().get(f"/helsesjekk/svar/{token}/trekk/?token={token}").status_code == 404
        refused = Client(enforce_csrf_checks=True).post(f"/svar/{token}/trekk/", {"x": "1"})
        assert refused.status_code == 403
    messages = [record.getMessage() for record in caplog.records]
    assert any(m.startswith("Not Found: /svar/[token]/") for m in messages), messages
    assert any(m.startswith("Forbidden (CSRF") and "/svar/[token]/" in m for m in messages)
    assert not [m for m in messages if token in m]
    assert token not in caplog.text


def test_gunicorn_error_log_masks_the_token(tmp_path) -> None:
    token = secrets.token_urlsafe(32)
    log = tmp_path / "error.log"
    config = Config()
    config.set("errorlog", str(log))
    logger = TokenMaskingLogger(config)
    logger.error("Error handling request /svar/%s/trekk/", token)
    for handler in logger.error_log.handlers:
        handler.close()
    written = log.read_text()
    assert "Error handling request /svar/[token]/trekk/" in written
    assert token not in written
