"""protokoll: on-premise draft minutes (Niederschrift) from council-session recordings."""

__version__ = "0.1.0"
