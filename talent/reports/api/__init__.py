"""The reports API: target reports, breakdowns, trajectories, target versions and snapshots under
/api/v1/reports/ (targets.py), and the registry's statistics under /api/v1/statistics/ (statistics.py)."""
