"""Quick-fixes and refactorings: findings and selections -> text edits."""
