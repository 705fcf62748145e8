"""Renderers: form definition (+ record) -> DOCX, XLSX, PDF."""
