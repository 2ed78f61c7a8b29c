"""Deduplicating: the same document from several sources, the same measure across plans."""
