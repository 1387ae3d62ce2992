"""History that writes itself: mail headers read from the owner's IMAP account become
interactions on the clients they were exchanged with. Only headers are read, never a body."""
