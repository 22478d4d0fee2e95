"""JupyterLab as students use it (`make lab`), read through JUPYTER_CONFIG_PATH=<repo>/lab-config.

Students get nbgrader's Validate button and nothing of the instructor's tools: the
formgrader, the "Create Assignment" sidebar and the exchange-based assignment and course
lists are switched off here (server side) and in labconfig/page_config.json (the
toolbar/menu side).  The course hands out notebooks as a bundle, not through an exchange.
"""

c = get_config()  # noqa: F821  (injected by traitlets)

c.ServerApp.jpserver_extensions = {
    "nbgrader.server_extensions.validate_assignment": True,   # the Validate button
    "nbgrader.server_extensions.formgrader": False,           # instructor tool
    "nbgrader.server_extensions.assignment_list": False,      # needs an exchange
    "nbgrader.server_extensions.course_list": False,          # needs an exchange
}
# No "Jupyter news" pop-up and no update check: offline machines, and nothing to distract.
c.LabApp.news_url = None
c.LabApp.check_for_updates_class = "jupyterlab.NeverCheckForUpdate"
# Course machines and containers often run as root; Jupyter refuses that unless told.
c.ServerApp.allow_root = True
