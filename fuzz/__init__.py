"""Fuzzing the readers with mutated real files (see fuzz_parse.py)."""
