"""設定 (admin only): configuration tables, staff accounts and the audit log."""
