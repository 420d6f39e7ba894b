"""What every app shares: markdown rendering, the thematic fields, the error type and the
personal-data registry. The lowest layer: it imports no other app of the project."""
