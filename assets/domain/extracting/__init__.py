"""Extracting from provisions: responsible bodies, quantitative targets, indicators, keywords."""
