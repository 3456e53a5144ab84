"""A reference ThrillPots producer: domain objects in, ThrillPots events out."""
