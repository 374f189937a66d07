"""Errors raised by tollwatch.

    TollwatchError                 every error the library raises on purpose
    ├── InputError                 a report that cannot be read (names the file and the problem)
    │   ├── EmptyInput             nothing but whitespace, or no entries in a feed/WARC
    │   ├── BinaryInput            bytes that are not text in any supported format
    │   ├── TooLarge               bigger than the configured limit
    │   └── FormatMismatch         the file is not what its name says (an "RSS" file that is HTML)
    ├── StoreError                 the database cannot be opened or is from a newer tollwatch
    │   └── OlderSchema            opened read-only, but made by an older tollwatch
    └── GazetteerError             the gazetteer index cannot be built or opened
"""


class TollwatchError(Exception):
    """Base class of every error tollwatch raises on purpose."""


class InputError(TollwatchError):
    """A report could not be read. The message names the file and what to do."""

    def __init__(self, path: str, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}")


class EmptyInput(InputError):
    pass


class BinaryInput(InputError):
    pass


class TooLarge(InputError):
    pass


class FormatMismatch(InputError):
    pass


class StoreError(TollwatchError):
    pass


class OlderSchema(StoreError):
    """A database opened read-only needs the migrations of a newer tollwatch first."""


class GazetteerError(TollwatchError):
    pass
