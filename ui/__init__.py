"""Rapport's widgets: thin, they show what models/ computes and call it to change data."""
