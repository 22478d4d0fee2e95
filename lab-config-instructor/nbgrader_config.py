"""nbgrader settings of the instructor's JupyterLab (`make formgrader`), read by formgrader
(and by any nbgrader command run with JUPYTER_CONFIG_PATH=<repo>/lab-config-instructor)
before the course root's own nbgrader_config.py.

nbgrader's own feedback (`nbgrader generate_feedback`, formgrader's "Generate Feedback"
buttons) renders the autograded notebooks, hidden tests included (nbgrader #917), and would
overwrite the course's pages in feedback/.  Here its exporter is the course's: each page is
rebuilt from the gradebook (hand scores and comments) through the output boundary, the
same page as `python -m autograder feedback` (autograder/platforms/nbgrader_course.py).
`make formgrader` puts the checkout on PYTHONPATH so that nbgrader can import it; where it
cannot, generating feedback stops with an import error before it touches feedback/.
"""

c = get_config()  # noqa: F821  (injected by traitlets)

c.GenerateFeedback.exporter_class = "autograder.platforms.nbgrader_course.FeedbackExporter"
c.GenerateFeedback.preprocessors = []
