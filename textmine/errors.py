"""The one error type for user errors."""

from __future__ import annotations


class TextmineError(Exception):
    """A problem with the user's input (bad file, unknown format, not a report, ...).

    The CLI prints ``str(error)`` on one line and exits non-zero; it never shows a traceback
    for this type.
    """

    def __init__(self, message: str, path: str | None = None) -> None:
        self.path = path
        self.reason = message
        super().__init__(f"{path}: {message}" if path else message)
