"""Dagster assets (the modules here) over the layers below them: catalog → domain → engine → publishing."""
