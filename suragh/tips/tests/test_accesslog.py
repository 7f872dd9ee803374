"""The server's access log keeps no address, browser or query string of a request to the tip line, while every
other path is logged as gunicorn always logs it. The logger is gunicorn's own, configured as `suragh serve`
configures it, and handed a request as gunicorn hands it one."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from urllib.parse import unquote

import pytest

from suragh import server
from suragh.tips.accesslog import TipPrivateAccessLog

ADDRESS, FORWARDED, BROWSER = "203.0.113.77", "198.51.100.23", "Mozilla/5.0 (Linux; Android 14; TipsterPhone-XYZ123)"
EVERYTHING = (
    '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(m)s %(U)s q=%(q)s %(H)s %(D)s '
    "xff=%({x-forwarded-for}i)s cookie=%({cookie}i)s env=%({remote_addr}e)s set=%({set-cookie}o)s "
    "type=%({content-type}o)s"
)


@pytest.fixture
def served_config(monkeypatch):
    """The gunicorn configuration `suragh serve` builds, without starting a server."""
    built = []
    monkeypatch.setattr(server.SuraghServer, "run", lambda self: built.append(self.cfg))
    server._serve("127.0.0.1", 8123, None)
    return built[0]


@pytest.fixture
def access_log(served_config, tmp_path):
    """Log one request the way gunicorn's worker does once it has answered; return the line written."""
    path = tmp_path / "access.log"
    served_config.set("accesslog", str(path))
    logger = served_config.logger_class(served_config)

    def log(method: str, uri: str, *, log_format: str | None = None) -> str:
        if log_format:
            served_config.set("access_log_format", log_format)
        path_info, _, query = uri.partition("?")
        environ = {
            "REQUEST_METHOD": method,
            "RAW_URI": uri,
            "PATH_INFO": unquote(path_info),  # as gunicorn decodes it
            "QUERY_STRING": query,
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": ADDRESS,
            "REMOTE_PORT": "51234",
            "HTTP_USER_AGENT": BROWSER,
            "HTTP_REFERER": f"https://suragh.example/tips/?from={FORWARDED}",
            "HTTP_X_FORWARDED_FOR": FORWARDED,
            "HTTP_COOKIE": "csrftoken=Tq3kVb7",
        }
        request = SimpleNamespace(
            headers=[
                ("USER-AGENT", BROWSER),
                ("X-FORWARDED-FOR", FORWARDED),
                ("COOKIE", "csrftoken=Tq3kVb7"),
                ("REFERER", environ["HTTP_REFERER"]),
            ]
        )
        response = SimpleNamespace(
            status="201 Created",
            sent=5120,
            headers=[("Content-Type", "text/html; charset=utf-8"), ("Set-Cookie", "csrftoken=Tq3kVb7; Path=/")],
        )
        before = path.read_text() if path.exists() else ""
        logger.access(response, request, environ, timedelta(seconds=0, microseconds=31250))
        for handler in logger.access_log.handlers:
            handler.flush()
        return path.read_text()[len(before) :].strip()

    yield log
    for handler in list(logger.access_log.handlers):
        handler.close()
        logger.access_log.removeHandler(handler)


def test_suragh_serve_logs_through_the_tip_private_logger(served_config):
    assert served_config.logger_class is TipPrivateAccessLog
    assert served_config.accesslog == "-"


@pytest.mark.parametrize(
    ("method", "uri"),
    [
        ("POST", "/tips/"),
        ("GET", "/tips/?utm_source=whatsapp&phone=03001234567"),
        ("POST", "/tips/status/"),
        ("GET", "/tips/queue/?status=received"),
        ("POST", "/api/v1/tips"),
        ("POST", "/api/v1/tips/status"),
        ("GET", "/api/v1/tips?agency=ANF"),
        ("GET", "//tips/"),
        ("GET", "/%74ips/"),
    ],
)
def test_a_tip_line_request_is_logged_without_address_browser_or_query(access_log, method, uri):
    line = access_log(method, uri, log_format=EVERYTHING)
    for identifying in (ADDRESS, FORWARDED, BROWSER, "TipsterPhone", "Tq3kVb7", "03001234567", "whatsapp", "ANF"):
        assert identifying not in line, (identifying, line)
    path = uri.split("?")[0]
    assert line.startswith("- - - [") and f'"{method} {path} HTTP/1.1" 201 5120 "-" "-"' in line
    assert "q=- " in line and "xff=- cookie=- env=- set=- " in line and "type=text/html; charset=utf-8" in line


def test_the_default_format_keeps_the_status_size_and_time_of_a_tip(access_log):
    line = access_log("POST", "/tips/")
    assert line.startswith("- - - [") and line.endswith('"POST /tips/ HTTP/1.1" 201 5120 "-" "-"')


@pytest.mark.parametrize("uri", ["/cases/?fir=77", "/api/v1/cases", "/tipsy/", "/api/v1/tipster", "/static/tips.css"])
def test_other_paths_are_logged_as_gunicorn_always_logs_them(access_log, uri):
    line = access_log("GET", uri, log_format=EVERYTHING)
    assert line.startswith(f"{ADDRESS} - - [") and f'"GET {uri} HTTP/1.1"' in line and BROWSER in line
    assert f"xff={FORWARDED} " in line and f"env={ADDRESS} " in line
    if "?" in uri:
        assert f"q={uri.split('?')[1]} " in line
