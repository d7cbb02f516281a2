"""Everything that draws with rich lives in this package; nothing else imports rich."""
