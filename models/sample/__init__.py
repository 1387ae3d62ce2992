"""The sample clients a newcomer can load to see Rapport at work."""
