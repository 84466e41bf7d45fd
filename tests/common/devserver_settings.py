"""Settings of the development server that test_devserver.py starts: the project's own (DEBUG on, as `make run`),
on the test session's database."""

import os

from talent.settings import *  # noqa: F403
from talent.settings import DATABASES

DATABASES["default"]["NAME"] = os.environ["DEVSERVER_DATABASE"]
