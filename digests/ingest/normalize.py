"""Canonical URLs, HTML to clean text and content fingerprints: pure functions of their input."""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from selectolax.lexbor import LexborHTMLParser

# Parameters that only say how a reader arrived; the article is the same without them.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "mc_cid",
        "mc_eid",
        "igshid",
        "yclid",
        "_ga",
        "_gl",
        "ref_src",
        "cmpid",
        "ocid",
        "smid",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "itm_")
DEFAULT_PORTS = {"http": 80, "https": 443}
# Elements whose text is never article text.
DROPPED_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg")
BLOCK_TAGS = re.compile(
    r"</?(?:p|div|br|li|ul|ol|h[1-6]|blockquote|tr|table|section|article|header|footer|figure|"
    r"figcaption|pre|hr)\b[^>]*>",
    re.IGNORECASE,
)
SPACES = re.compile(r"[^\S\n]+")
NEWLINES = re.compile(r"\s*\n\s*")
# Also the private-use characters search uses as snippet highlight markers.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ue000\ue001\ufffe\uffff]")


def canonical_url(url: str) -> str:
    """The URL without tracking parameters or fragment, host lower-cased, default port dropped."""
    url = url.strip()
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        return url
    host = (parts.hostname or "").rstrip(".")
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port in (None, DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if key.lower() not in TRACKING_PARAMS and not key.lower().startswith(TRACKING_PREFIXES)
    ]
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(query, doseq=True), ""))


def clean_text(text: str, *, unescape: bool = True) -> str:
    """Plain text tidied: entities decoded, control characters dropped, blank space collapsed."""
    if unescape:
        text = html.unescape(text)
    text = unicodedata.normalize("NFC", CONTROL.sub("", text)).replace("\r", "\n")
    text = SPACES.sub(" ", text.replace("\u00a0", " "))
    return NEWLINES.sub("\n", text).strip()


def html_to_text(markup: str) -> str:
    """Readable text of an HTML fragment: scripts and styles dropped, paragraphs kept as lines."""
    if "<" not in markup:
        return clean_text(markup)
    # Block elements become line breaks before parsing so paragraphs do not run together.
    markup = BLOCK_TAGS.sub("\n", markup)
    tree = LexborHTMLParser(markup)
    tree.strip_tags(list(DROPPED_TAGS))
    root = tree.body or tree.root
    text = root.text(deep=True, separator="") if root is not None else ""
    # The parser already decoded entities; decoding twice would turn "&amp;lt;" into "<".
    return clean_text(text, unescape=False)


def single_line(text: str) -> str:
    """Text on one line (titles): every run of blank space becomes one space."""
    return " ".join(text.split())


def content_hash(title: str, text: str) -> str:
    """A fingerprint of what an article says, blind to case, spacing and punctuation."""
    words = re.findall(r"\w+", f"{title}\n{text}".casefold())
    return hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()
