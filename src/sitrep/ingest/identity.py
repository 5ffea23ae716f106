"""Canonical URLs: one spelling per article, so a feed link, a shared link and a saved page agree.

The same article is linked as `http://Example.net/a/?utm_source=twitter#comments` and
`https://example.net/a/`; tracking parameters, fragments, default ports and host case are
noise. A page's own `<link rel=canonical>` wins over the address it was fetched from, unless
it points somewhere implausible (another site, or the site's home page).
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "hsa_", "_hs")
_TRACKING = frozenset({
    "fbclid", "gclid", "dclid", "msclkid", "yclid", "igshid", "mkt_tok", "ref", "ref_src", "ref_url",
    "cmpid", "ito", "ocid", "smid", "src", "sr_share", "share", "s_cid", "cid", "_ga", "spm", "at_medium",
    "at_campaign", "outputtype", "amp",
})


def normalize_url(url: str | None) -> str | None:
    """The canonical spelling of an http(s) URL, or None for anything else."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower().rstrip(".")
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not (k.lower() in _TRACKING or k.lower().startswith(_TRACKING_PREFIXES))]
    path = parts.path or "/"
    return urlunsplit((scheme, host, path, urlencode(sorted(query)), ""))


def canonical_url(declared: str | None, *, fetched: str | None = None) -> str | None:
    """The page's declared canonical URL when plausible, else the fetched one, normalized."""
    page = normalize_url(declared)
    origin = normalize_url(fetched)
    if page is None:
        return origin
    if origin is None:
        return page
    page_parts, origin_parts = urlsplit(page), urlsplit(origin)
    same_site = _site(page_parts.hostname) == _site(origin_parts.hostname)
    home = page_parts.path in ("", "/") and origin_parts.path not in ("", "/")
    return page if same_site and not home else origin


def _site(host: str | None) -> str:
    """The last two labels of a host name (www.example.net and example.net are one site)."""
    labels = (host or "").split(".")
    return ".".join(labels[-2:])
