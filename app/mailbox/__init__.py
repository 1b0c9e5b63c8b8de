"""The mailbox outside opening hours: an anonymous letter, answered by a counselor, read back with a code."""
