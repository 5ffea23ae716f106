"""Adaptation to a user's own data: light classifiers trained on their ACLED exports."""
