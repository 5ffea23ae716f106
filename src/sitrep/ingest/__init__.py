"""Readers: raw inputs (text, HTML, feeds, URLs, WARC, JSONL/CSV corpora, folders, stdin, gzip)
-> `Document`s or rejections, and the ingest driver that stores them."""

from sitrep.ingest.readers import read_paths
from sitrep.ingest.reject import Reject
from sitrep.ingest.sources import Reader, ReadOptions
from sitrep.ingest.text import read_text

__all__ = ["ReadOptions", "Reader", "Reject", "read_paths", "read_text"]
