"""Equality as JSON means it, and the differences between two events: the engine of assert_events_equal."""
