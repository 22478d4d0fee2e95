"""The grading service: submissions in, grades and safe feedback out (discovery, the batch and
its process pool, one sandboxed worker per submission, nbgrader's autograde with the course's
preprocessors, the kernel guard, the output boundary, the reports)."""
