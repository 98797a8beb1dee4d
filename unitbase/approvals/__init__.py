"""Approval requests and decisions, called by other apps through a registry."""
