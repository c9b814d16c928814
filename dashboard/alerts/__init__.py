"""Alerts within minutes of `incidents run`: new facts about followed companies and
products, by email and to chat webhooks, once per follower and fact."""
