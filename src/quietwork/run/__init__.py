"""The practice run: ports, timeline, runner, check-ins, session, terminal wiring, views.

Imports nothing: `quietwork list` and `--help` must not pay for the run.
"""
