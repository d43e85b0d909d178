"""What the CLI and the dashboard both do: fetch, schedule, diagnose, export, import, enter signals."""
