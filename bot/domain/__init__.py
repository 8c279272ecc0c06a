"""Domain rules: pure functions and plain classes. No telegram, no sqlalchemy, no clock."""
