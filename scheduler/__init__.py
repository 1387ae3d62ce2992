"""Turns due reminders into timed jobs and notifications (see the reminders issue)."""
