"""Where courses run: adapters that package this course's grader for a platform (Gradescope)."""
