"""The one exception type for mistakes a user can make (bad file, bad config, dead server)."""


class IncidentsError(Exception):
    """A problem the user can fix; the message names the thing and the place.

    The command line prints it on one line and exits with status 2. Bugs raise
    anything else and keep their traceback.
    """
