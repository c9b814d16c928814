"""Spiders of the crawl (Scrapy's SPIDER_MODULES)."""
