"""Readers: raw inputs (text files, folders, JSONL batches, stdin) -> `Document`s or rejections."""

from sitrep.ingest.readers import Reject, read_paths, read_text

__all__ = ["Reject", "read_paths", "read_text"]
