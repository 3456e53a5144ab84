"""What every subcommand shares: exit codes, usage errors and the parser that raises them."""

from __future__ import annotations

import argparse
from typing import NoReturn

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


class UsageError(Exception):
    """A problem with the command line or its inputs: exit code 2, one line, no traceback."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")
