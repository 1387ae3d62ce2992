"""Turns due reminders into timed jobs and notifications."""
