"""JSON-LD expansion with PyLD, offline: schema.org's context served from here.

schema.org's published context maps every term into https://schema.org/ (its @vocab) and
types a few as URLs or dates; expanding against `@vocab` alone is what a consumer's
expansion gives for our terms, without the network."""

import json

from pyld import jsonld

SCHEMA_ORG = "https://schema.org/"
SCHEMA_ORG_CONTEXT = {"@context": {"@vocab": SCHEMA_ORG, "id": "@id", "type": "@type"}}


def _offline_loader(url, options=None):
    if url.rstrip("/") in ("https://schema.org", "http://schema.org"):
        return {"contextUrl": None, "documentUrl": url, "document": SCHEMA_ORG_CONTEXT}
    raise jsonld.JsonLdError(f"offline: no document at {url}", "loading document failed")


def expand(document: dict | str) -> list[dict]:
    """The document expanded (full IRIs); raises on anything PyLD cannot read."""
    if isinstance(document, str):
        document = json.loads(document)
    return jsonld.expand(document, {"documentLoader": _offline_loader})


def values(expanded: list[dict], *path: str) -> list:
    """Values along schema.org terms: values(doc, "author", "name") → ["…"]."""
    nodes = expanded
    for term in path:
        nodes = [item for node in nodes for item in node.get(SCHEMA_ORG + term, [])]
    return [node.get("@value", node.get("@id", node)) for node in nodes]
