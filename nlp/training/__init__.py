"""Training and measuring the event model on the labelled corpus (data/corpus/)."""
