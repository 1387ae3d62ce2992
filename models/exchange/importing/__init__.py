"""Bringing clients in from other address books (vCard, CSV) and Rapport's own archives."""
