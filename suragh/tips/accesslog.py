"""The web server's access log, without what could identify a tipster.

gunicorn writes a line per request; for the tip line's paths that line must not hold the client's address, its
browser, its query string, its referrer, any request header or any CGI variable (REMOTE_ADDR, a forwarded-for
header, cookies). The method, path, status, size and time stay, so operators still see the tip line working.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from gunicorn.glogging import Logger

# The public tip line and the tips API, however many slashes a client puts in front.
TIP_PATH = re.compile(r"^/+(?:tips|api/+v1/+tips)(?:[/?]|$)")
# Atoms gunicorn fills from the request that could point at the sender.
IDENTIFYING_ATOMS = ("h", "u", "q", "f", "a")
BLANK = "-"


def is_tip_path(path: str | None) -> bool:
    return bool(path) and TIP_PATH.match(path) is not None


class TipPrivateAccessLog(Logger):
    """gunicorn's logger, with the identifying atoms of a tip line request blanked; other paths log as usual."""

    def atoms(self, resp, req, environ, request_time) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        raw_path = environ.get("RAW_URI", "").split("?", 1)[0]
        if not (is_tip_path(environ.get("PATH_INFO")) or is_tip_path(unquote(raw_path))):
            return atoms
        for name in IDENTIFYING_ATOMS:
            atoms[name] = BLANK
        # The request line without its query string: the path names the page, never the sender.
        atoms["r"] = (
            f"{environ.get('REQUEST_METHOD', BLANK)} {raw_path or BLANK} {environ.get('SERVER_PROTOCOL', BLANK)}"
        )
        for name in list(atoms):
            if name.endswith(("}i", "}e")) or name == "{set-cookie}o":
                del atoms[name]  # gunicorn shows a missing header or variable as "-"
        return atoms
