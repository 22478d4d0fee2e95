"""rnnkit: the course's helper package.

Data generators, loaders and plot helpers shared by the notebooks.  It holds no
exercise solutions: everything here is given to students.
"""
from .env import QUIET_ENV, quiet_environment, setup

__all__ = ["QUIET_ENV", "quiet_environment", "setup"]
__version__ = "1.0.0"
