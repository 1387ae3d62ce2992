"""A client and everything kept about them: details, entries, wishes, photos,
templates, undo, finding them."""
