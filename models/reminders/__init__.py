"""Reminders: which fall due when, the key of each, and what the owner did."""
