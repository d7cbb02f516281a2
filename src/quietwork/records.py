"""`record`: a dataclass that type checkers hold frozen, built without frozen's methods.

A frozen dataclass makes Python 3.11 generate `__setattr__`, `__delattr__` and `__hash__`
for each class, one `exec` each when the module is imported; on the way to a practice's
first cue that was a good part of quietwork's own start-up (docs/performance.md). The
records on that path never change after they are built: mypy checks that (the decorator
is a `dataclass_transform` with `frozen_default`), so the generated guards are left out.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar, dataclass_transform, overload

T = TypeVar("T")


@overload
def record(cls: type[T], /) -> type[T]: ...
@overload
def record(
    *, eq: bool = ..., repr: bool = ..., kw_only: bool = ...
) -> Callable[[type[T]], type[T]]: ...
@dataclass_transform(frozen_default=True)
def record(cls: type[T] | None = None, /, **options: Any) -> Any:
    """`@record` or `@record(eq=False, repr=False, kw_only=True)`, as `@dataclass`."""
    if cls is None:
        return lambda later: dataclasses.dataclass(later, **options)
    return dataclasses.dataclass(cls, **options)
