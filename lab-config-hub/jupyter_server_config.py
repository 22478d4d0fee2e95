"""JupyterLab for students on the course's JupyterHub, read through
JUPYTER_CONFIG_PATH=<course>/lab-config-hub (or copied into the single-user image's
/etc/jupyter/).  The same as lab-config/ (`make lab`, the bundles) except for ONE setting:
the exchange's assignment list (Fetch, Submit, Fetch Feedback) and course list are on,
because on the Hub assignments arrive through nbgrader's exchange.  The instructor tools
(formgrader, Create Assignment) stay off; instructors get them from their own config.
"""

c = get_config()  # noqa: F821  (injected by traitlets)

c.ServerApp.jpserver_extensions = {
    "nbgrader.server_extensions.validate_assignment": True,   # the Validate button
    "nbgrader.server_extensions.assignment_list": True,       # Fetch, Submit, Fetch Feedback (the exchange)
    "nbgrader.server_extensions.course_list": True,           # the courses a student is in
    "nbgrader.server_extensions.formgrader": False,           # instructor tool
}
# No "Jupyter news" pop-up and no update check.
c.LabApp.news_url = None
c.LabApp.check_for_updates_class = "jupyterlab.NeverCheckForUpdate"
