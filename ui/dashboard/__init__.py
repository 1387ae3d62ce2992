"""The Studio dashboard: the figures of models/dashboard.py, drawn in small widgets."""
