"""Where courses run: adapters that package this course's grader for a platform (Gradescope,
GitHub Classroom, an LMS gradebook, an nbgrader course on JupyterHub)."""
