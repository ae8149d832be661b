"""Exception and warning types.

Bad input and numerical failure are kept apart: bad input raises `ValidationError` at
once; a run that fails numerically raises `NumericalError`, whose message says what to
change. Both subclass the matching builtin so callers can catch either way.
"""

from __future__ import annotations

from typing import Any

_MISSING = object()


class CodesignError(Exception):
    """Base class of every error codesign raises on purpose."""


class Described(str):
    """A received value described in words (``shape (2, 3)``), shown unquoted."""


def _show(value: Any) -> str:
    """Render a received value briefly for an error message."""
    quoted = isinstance(value, str) and not isinstance(value, Described)
    text = repr(value) if quoted else str(value)
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."


class ValidationError(CodesignError, ValueError):
    """Bad input: one line naming the source, the field, the requirement and the value.

    The rendered message reads ``SOURCE: FIELD: REQUIREMENT (got VALUE); REMEDY``;
    parts that are unknown are left out. `in_context` adds the file and table when
    the error crosses from a model constructor into the spec loader.
    """

    def __init__(
        self,
        field: str,
        requirement: str,
        value: Any = _MISSING,
        *,
        remedy: str | None = None,
        source: str | None = None,
    ):
        self.field = field
        self.requirement = requirement
        self.value = value
        self.remedy = remedy
        self.source = source
        super().__init__(self._render())

    def _render(self) -> str:
        parts = []
        if self.source:
            parts.append(f"{self.source}: ")
        if self.field:
            parts.append(f"`{self.field}`: ")
        parts.append(self.requirement)
        if self.value is not _MISSING:
            parts.append(f" (got {_show(self.value)})")
        if self.remedy:
            parts.append(f"; {self.remedy}")
        return "".join(parts)

    def in_context(self, source: str, table: str | None = None) -> ValidationError:
        """Return a copy whose field is prefixed with `table` and source set."""
        field = f"{table}.{self.field}" if table and self.field else self.field
        return type(self)(
            field, self.requirement, self.value, remedy=self.remedy, source=source
        )


class BackendUnavailable(CodesignError, RuntimeError):
    """A backend (or a kind on a backend) cannot run here; the message says why."""


class NumericalError(CodesignError, RuntimeError):
    """A run failed numerically; the message says what to change."""


class CodesignWarning(UserWarning):
    """Base class of codesign's warnings."""
