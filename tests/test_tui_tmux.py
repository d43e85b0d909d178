"""The real program under tmux at 80x24: what a person sees on the Prices and Trends screens.

Keys go in with ``send-keys`` and the screen comes back with ``capture-pane``, so this
checks the terminal's own picture (the program's real startup, its real terminal
handling), not Textual's idea of it.
"""

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]
SRC = Path(__file__).resolve().parent.parent / "src"


class Terminal:
    """One tmux session on a private server, 80x24, running a command."""

    def __init__(self, socket: str, command: list[str], env: dict[str, str]) -> None:
        self.socket = socket
        exports = [f"{name}={value}" for name, value in env.items()]
        self.tmux("new-session", "-d", "-s", "fw", "-x", "80", "-y", "24", "env", *exports, *command)

    def tmux(self, *args: str) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.socket, "-f", "/dev/null", *args], capture_output=True, text=True, timeout=30
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "fw")

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.tmux("send-keys", "-t", "fw", *(["-l"] if literal else []), *keys)
        time.sleep(0.3)  # a person's pace: the program sees each key on its own

    def wait_for(self, *texts: str, seconds: float = 60.0) -> str:
        """The screen, once it shows every one of ``texts``."""
        return self.wait_until(lambda shown: all(text in shown for text in texts), repr(texts), seconds)

    def wait_until(self, condition: Callable[[str], bool], what: str, seconds: float = 60.0) -> str:
        """The screen, once ``condition`` holds for it (a generous deadline: the machine may be busy)."""
        deadline = time.monotonic() + seconds
        while True:
            shown = self.screen()
            if condition(shown):
                return shown
            if time.monotonic() > deadline:
                raise AssertionError(f"never saw {what}; the screen shows:\n{shown}")
            time.sleep(0.2)

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True, timeout=30)


@pytest.fixture
def terminal(seeded_db_path, tmp_path):
    env = {
        "FRONTIER_WATCH_HOME": str(tmp_path / "home"),
        "PYTHONPATH": str(SRC),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
    }
    command = [sys.executable, "-m", "frontier_watch", "--db", str(seeded_db_path)]
    session = Terminal(f"fw-test-{os.getpid()}-{tmp_path.name}", command, env)
    try:
        yield session
    finally:
        session.close()


def table_rows_filled(screen: str) -> bool:
    """The Prices header is on screen with ten rows of text under it, and the title has
    caught up (the header redraws its subtitle a frame after the rows come)."""
    if "reading prices" in screen or "Prices: reading" in screen:
        return False
    lines = screen.splitlines()
    headers = [index for index, line in enumerate(lines) if "input $/M" in line and "output $/M" in line]
    if not headers:
        return False
    rows = lines[headers[0] + 1 : headers[0] + 11]
    return len(rows) == 10 and all(row.strip() for row in rows)


def test_a_person_at_80x24_sees_prices_they_can_filter_and_sort_and_the_trends(terminal):
    # Each part of the Overview is drawn when its own read comes back: wait for all of them.
    terminal.wait_for("1 Overview", "Capability-price trend", "cheaper a year", "Recent price changes")

    terminal.keys("2")
    # The table's header is drawn at once and its rows when the read comes back (until then
    # the line under the table says "reading prices…"): wait for the rows themselves.
    prices = terminal.wait_until(table_rows_filled, "the Prices table's first ten rows filled")
    lines = prices.splitlines()
    assert len(lines) <= 24 and all(len(line) <= 80 for line in lines)
    header = next(line for line in lines if "input $/M" in line)
    # One row per model, seller and tier: model, seller, tier, both prices and why, all on screen.
    positions = [header.index(word) for word in ("model", "seller", "tier", "input $/M", "output $/M", "why")]
    assert positions == sorted(positions)
    assert "reading prices" not in prices and "Prices: reading" not in prices
    assert "v Offerings" in prices  # the footer says what the toggle shows

    terminal.keys("v")  # every offering's row, each with its verdict in its model's answer
    offerings = terminal.wait_until(
        lambda screen: table_rows_filled(screen) and "verdict" in screen and "v Models" in screen,
        "the offering rows with their verdicts",
    )
    lines = offerings.splitlines()
    header_at = next(index for index, line in enumerate(lines) if "input $/M" in line)
    header = lines[header_at]
    positions = [
        header.index(word) for word in ("model", "seller", "source", "input $/M", "output $/M", "verdict")
    ]
    assert positions == sorted(positions) and all(len(line) <= 80 for line in lines)
    verdicts = {line[positions[-1] :].split()[0] for line in lines[header_at + 1 : header_at + 11]}
    assert verdicts <= {"reference", "agrees", "stale", "undated", "outlier"} and "reference" in verdicts
    terminal.keys("v")  # and back to the model rows
    terminal.wait_until(
        lambda screen: table_rows_filled(screen) and "why" in screen and "v Offerings" in screen,
        "the model rows again",
    )

    terminal.keys("/")
    terminal.keys("gpt-4o-mini", literal=True)

    def filtered_to_mini(screen: str) -> bool:
        """The filter is applied and the table shows GPT-4o mini rows, and only those."""
        lines = screen.splitlines()
        headers = [index for index, line in enumerate(lines) if "input $/M" in line]
        if "filter 'gpt-4o-mini'" not in screen or not headers:
            return False
        shown = [line for line in lines[headers[0] + 1 :] if "gpt-4o" in line.lower()]
        return len(shown) >= 1 and all("mini" in line.lower() for line in shown)

    terminal.wait_until(filtered_to_mini, "the table filtered to GPT-4o mini rows")

    terminal.keys("Enter")  # back to the table (the focus moves as the key is read)
    terminal.keys("p")  # cheapest first
    sorted_screen = terminal.wait_for("input $/▲")  # the sorted column's heading says so
    assert "output $/M" in sorted_screen

    terminal.keys("5")
    trends = terminal.wait_for("Cheapest gpqa_diamond >= 35.7", "published: Epoch AI", "cheaper a year")
    assert all(len(line) <= 80 for line in trends.splitlines())

    terminal.keys("q")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        result = subprocess.run(
            ["tmux", "-L", terminal.socket, "list-sessions"], capture_output=True, text=True, timeout=30
        )
        if result.returncode != 0:  # the program quit and its session closed
            break
        time.sleep(0.2)
    else:
        raise AssertionError("q did not quit the dashboard")
