"""tollwatch: casualty figures from news reports, each traceable to its words and source."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("tollwatch")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
