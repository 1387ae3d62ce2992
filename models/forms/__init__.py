"""What the user typed into a dialog, checked before anything is saved."""
