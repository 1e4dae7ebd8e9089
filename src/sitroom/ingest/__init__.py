"""Ingest: read bytes from files, URLs and stdin, bounded in size, into `RawDocument`s."""

from sitroom.ingest.reader import InputError, RawDocument, read_input, read_path, read_url

__all__ = ["InputError", "RawDocument", "read_input", "read_path", "read_url"]
