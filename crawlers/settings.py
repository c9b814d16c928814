"""Scrapy settings of the crawl: polite defaults, one comment each.

`crawlers.run` loads this module, then sets INCIDENTS_DB and USER_AGENT from the tracker's
settings (incidents.config) and applies the `[scrapy]` table of the config file, if any,
as overrides (e.g. `DOWNLOAD_TIMEOUT = 10`).
"""
from incidents.config import default_of

BOT_NAME = "incidents"
SPIDER_MODULES = ["crawlers.spiders"]  # where Scrapy looks for spiders
NEWSPIDER_MODULE = "crawlers.spiders"

# The asyncio Twisted reactor and Scrapy's production HTTP/1.1 downloader; False runs on
# plain asyncio (experimental aiohttp downloader) and lets a process crawl more than once.
TWISTED_REACTOR_ENABLED = True
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"

# Scrapy 2.19's RemoteControl extension opens a local endpoint that runs posted Python code.
REMOTE_CONTROL_ENABLED = False
# The telnet console is another way into a running crawler; nobody needs it here.
TELNETCONSOLE_ENABLED = False

# A clear user agent naming the project, so site owners know who is knocking (set from `user_agent`).
USER_AGENT = default_of("user_agent")
# Ask robots.txt first and keep out of what it forbids.
ROBOTSTXT_OBEY = True

# AutoThrottle adapts the delay to each server's response time; start gently.
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
# Requests in flight per server AutoThrottle aims for.
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
# Requests in flight over all servers.
CONCURRENT_REQUESTS = 16
# At most this many requests in flight to one site, whatever AutoThrottle allows.
CONCURRENT_REQUESTS_PER_DOMAIN = 4

# Retry transient failures (server errors, throttling, timeouts) a few times...
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 408, 429]
# ...waiting RETRY_BACKOFF_BASE * 2**attempt seconds (at most RETRY_BACKOFF_MAX) in between.
RETRY_BACKOFF_BASE = 0.5
RETRY_BACKOFF_MAX = 30.0
# Our retry middleware replaces Scrapy's at the same place in the chain; the scope check
# comes first (before robots.txt is asked for), and redirect loops are named just before
# Scrapy's RedirectMiddleware (600) handles the 3xx.
DOWNLOADER_MIDDLEWARES = {
    "crawlers.middlewares.ScopeMiddleware": 50,
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawlers.middlewares.RobotsTxtMiddleware": 100,  # Scrapy's, for every waiting request
    "crawlers.middlewares.DeadHostMiddleware": 110,  # after robots.txt (100), before the retries (550)
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawlers.middlewares.BackoffRetryMiddleware": 550,
    "crawlers.middlewares.RedirectLoopMiddleware": 610,
}
# Only http(s): a hostile sitemap naming file:///etc/passwd or an s3/ftp/data URL gets nothing.
DOWNLOAD_HANDLERS = {"file": None, "s3": None, "ftp": None, "data": None}
# A redirect chain longer than this is given up on (and named in the summary).
REDIRECT_MAX_TIMES = 5
# The summary names every failure; Scrapy's own give-up line would repeat it.
RETRY_GIVE_UP_LOG_LEVEL = "INFO"

# Give up on a response that takes longer than this many seconds.
DOWNLOAD_TIMEOUT = 30
# A news page is a few hundred KB; anything over 10 MB is cancelled and counted as failed.
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
# No separate size warning: the limit above is the one that counts.
DOWNLOAD_WARNSIZE = 0

# No HTTP cache: freshness comes from conditional requests (ETag / Last-Modified) instead.
HTTPCACHE_ENABLED = False
# Cookies only carry consent banners and tracking for a crawler that never logs in.
COOKIES_ENABLED = False

# Crawlers whose `crawl_frontier` names the same Redis and whose keys start with the same
# prefix share one queue, one seen-URL filter and one request rate per site (crawlers/frontier.py).
FRONTIER_KEY = "incidents:frontier"

# The steps every article page goes through, in order.
ITEM_PIPELINES = {
    "crawlers.pipelines.ExtractPipeline": 100,
    "crawlers.pipelines.CanonicalUrlPipeline": 200,
    "crawlers.pipelines.DedupPipeline": 300,
    "crawlers.pipelines.StorePipeline": 400,
}
# Two texts whose simhash fingerprints differ in at most this many of 64 bits are one story.
NEAR_DUPLICATE_MAX_DISTANCE = 10
# Follow "next page" links of a section page this many pages deep at most.
SECTION_MAX_PAGES = 20

# A progress line on stderr every PROGRESS_INTERVAL seconds (0 turns it off).
EXTENSIONS = {"crawlers.progress.ProgressLine": 500}
PROGRESS_INTERVAL = 5.0

# Only warnings and errors in the log: the progress line and the summary tell the rest.
LOG_LEVEL = "WARNING"
# Dropped items are expected (duplicates, non-articles) and counted in the summary.
DEFAULT_DROPITEM_LOG_LEVEL = "INFO"
