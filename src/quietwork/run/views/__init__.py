"""What a practice run shows: the live terminal view, plain lines, cues, the stop screen."""
