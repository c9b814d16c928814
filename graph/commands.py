"""`incidents graph ...`: analyst queries over the incident graph (filled in by the link stage)."""


def add_graph_commands(parser, common) -> None:
    parser.set_defaults(graph_command=None)


def run_graph_command(store, args) -> int:
    from incidents.errors import IncidentsError
    raise IncidentsError("incidents graph: no graph commands yet")
