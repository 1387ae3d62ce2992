"""A client and everything kept about them: details, records, wishes, photos,
templates, undo, finding them."""
