"""Dagster definitions, jobs and the build command."""
