"""The production web server (gunicorn), used by `suragh serve` on the embedded default too."""

from __future__ import annotations

import os

from gunicorn.app.base import BaseApplication


class SuraghServer(BaseApplication):
    def __init__(self, options: dict) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from suragh.wsgi import application

        return application


def run_server(host: str, port: int) -> None:
    SuraghServer(
        {
            "bind": f"{host}:{port}",
            "workers": int(os.environ.get("SURAGH_WORKERS", "2")),
            "worker_class": "gthread",
            "threads": int(os.environ.get("SURAGH_THREADS", "4")),
            "accesslog": "-",
            "timeout": 120,
        }
    ).run()
