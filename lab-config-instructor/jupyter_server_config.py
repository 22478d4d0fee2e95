"""JupyterLab for instructors (`make formgrader`), read through
JUPYTER_CONFIG_PATH=<repo>/lab-config-instructor.  Everything of lab-config/ (the Validate
button, no news, no update check) plus the instructor's tools: formgrader, the "Create
Assignment" sidebar and the exchange's assignment and course lists (release, collect).

formgrader works only when the course root is inside the server's notebook root (else
"Sorry, the formgrader encountered an error"); `make formgrader` starts the server in the
course root with the course root as notebook root.  Its nbgrader settings (the feedback
exporter, so that no button sends hidden tests to students) are in nbgrader_config.py here.
"""

c = get_config()  # noqa: F821  (injected by traitlets)

c.ServerApp.jpserver_extensions = {
    "nbgrader.server_extensions.validate_assignment": True,   # the Validate button
    "nbgrader.server_extensions.formgrader": True,            # manual grading, the gradebook, release
    "nbgrader.server_extensions.assignment_list": True,       # the exchange, as students see it
    "nbgrader.server_extensions.course_list": True,           # the instructor's courses
}
# No "Jupyter news" pop-up and no update check.
c.LabApp.news_url = None
c.LabApp.check_for_updates_class = "jupyterlab.NeverCheckForUpdate"
# Course machines and containers often run as root; Jupyter refuses that unless told.
c.ServerApp.allow_root = True
