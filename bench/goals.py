"""What a benchmark reports: each goal with its figure, its baseline from the same run, and the verdict."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Goal:
    name: str  # what was measured
    figure: str  # frontier-watch's figure, with its unit
    baseline: str  # what it is compared with, measured in the same run
    ratio: float | None  # figure / baseline, when the goal is a ratio
    goal: str  # the goal as bench/README.md states it
    met: bool


def print_goals(goals: list[Goal]) -> None:
    """The table of every goal, one line each."""
    print()
    print(f"{'measure':<46}{'frontier-watch':>16}{'baseline':>16}{'ratio':>8}  {'goal':<24}result")
    for goal in goals:
        ratio = f"{goal.ratio:.2f}x" if goal.ratio is not None else ""
        print(
            f"{goal.name:<46}{goal.figure:>16}{goal.baseline:>16}{ratio:>8}  {goal.goal:<24}"
            f"{'met' if goal.met else 'NOT met'}"
        )


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"
