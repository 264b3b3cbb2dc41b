// Placeholder; delete when adding the first test file.
