"""Readers (file -> Grid) and the extractor (Grid -> record)."""
