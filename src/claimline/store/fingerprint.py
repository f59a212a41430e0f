"""When a stored document counts as unchanged: same text, and same metadata its events carry."""

from __future__ import annotations

import hashlib
import json

from claimline.model import Article


def fingerprint(article: Article) -> str:
    """A hash of the text and of what the events take from the metadata: the publication date
    (relative dates resolve against it), source and url. A new title alone changes no event.

    The text alone is not enough: ingesting a file again with a manifest that now gives its date
    must replace the undated events.
    """
    metadata = [article.published.isoformat() if article.published else None, article.source, article.url]
    digest = hashlib.sha256(article.text.encode("utf-8"))
    digest.update(b"\0" + json.dumps(metadata, ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()[:16]
