"""Accounts on servers the owner uses: where the address book, the calendars and the mail
are, what Rapport does with each (jobs), and the passwords, kept in the system keyring."""
