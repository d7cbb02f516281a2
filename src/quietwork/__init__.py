"""quietwork: guided self-regulation practices for the terminal."""

__version__ = "0.1.0"
