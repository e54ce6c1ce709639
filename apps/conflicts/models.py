"""Conflicts between concurrent experiments."""
