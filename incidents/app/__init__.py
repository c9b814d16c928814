"""The composition root (command line, scheduled run, demo): the only place that imports every stage; no stage imports it."""
