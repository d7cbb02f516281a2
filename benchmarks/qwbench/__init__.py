"""quietwork's benchmarks: each module measures the installed CLI from the outside.

Run them with `uv run python benchmarks/run.py`; this package is only its helpers.
"""
