"""Staff and portfolio administration."""
