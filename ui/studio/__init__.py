"""The Studio: the figures of models/insight/studio.py, drawn in small widgets."""
