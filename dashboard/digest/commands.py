"""`incidents digest`: arguments and the one call the command line makes."""


def add_digest_arguments(parser) -> None:
    parser.add_argument("--week", metavar="YYYY-Www", help="ISO week (default: the last complete week)")
    parser.add_argument("--out", metavar="FILE.eml", help="write the message instead of sending it")


def run_digest_command(store, settings, args) -> int:
    from incidents.errors import IncidentsError
    raise IncidentsError("incidents digest: not built yet")
