"""Realistic, deterministic demo data (`manage.py seed_demo`): see `talent.demo.seeding`."""
