"""Rapport's data and domain rules. Nothing here imports Qt, ui/ or scheduler/."""
