"""HTTP API and dashboard (FastAPI): ``create_app`` builds the app, ``server.run`` serves it."""

from sitrep.web.app import create_app

__all__ = ["create_app"]
