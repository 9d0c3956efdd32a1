"""Moment of Truth: a terminal training game for the Moment-of-Truth customer-service model."""

__version__ = "0.1.0"
