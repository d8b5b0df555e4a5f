"""Publishing the store: dereferenceable IRIs with content negotiation, HTML pages and a SPARQL endpoint."""

from .app import ServerConfig, create_app, serve

__all__ = ["ServerConfig", "create_app", "serve"]
