"""Call sheets with tracked distribution, and daily production reports."""
