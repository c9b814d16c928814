"""The weekly digest email, sent to a real SMTP server (aiosmtpd) on 127.0.0.1.

Week 2026-W28 runs Monday 6 to Sunday 12 July 2026. The fixture store holds one new
incident with a hostile title and a `javascript:` source, one older incident that escalates
this week with a cut-off taking effect next week, and nothing at all in 2026-W10.
"""
from __future__ import annotations

import email
import email.policy
import socket
import time

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from incidents.app.cli import main
from incidents.model import Analysis, Article, Entity, Event, Incident

WEEK = "2026-W28"
QUIET_WEEK = "2026-W10"
HOSTILE = '<script>alert("x")</script> Acme bans <b>Widget</b>\x1b[31m now'
NEW_ID = "acme-bans-widget-2026-07"
ESCALATED_ID = "globex-initech-dispute-2026-06"
SENDER = "Digest <digest@example.com>"


# --- fixtures: the store, the SMTP server, the environment ---

def fill_store(store) -> None:
    """Two incidents around 2026-W28, built the way `incidents link` stores them."""
    articles = {
        "n1": ("https://wire.example/acme-widget", "Example Wire", HOSTILE, "2026-07-08",
               [("Acme", "ORG"), ("Widget", "PRODUCT")], [("ban", "Acme", "Widget", "2026-07-10")]),
        "n2": ("javascript:alert(document.cookie)", "<i>Evil</i> Outlet", "Acme bans Widget", "2026-07-09",
               [("Acme", "ORG")], [("ban", "Acme", "Widget", "2026-07-10")]),
        "e1": ("https://relay.example/globex-accuses", "Relay", "Globex accuses Initech", "2026-06-22",
               [("Globex", "ORG"), ("Initech", "ORG")], [("allegation", "Globex", "Initech", "2026-06-21")]),
        "e2": ("https://relay.example/globex-cuts", "Relay", "Globex cuts Initech off from 15 July", "2026-07-07",
               [("Globex", "ORG"), ("Initech", "ORG")], [("access_cutoff", "Globex", "Initech", "2026-07-15")]),
    }
    ids, analyses = {}, []
    for key, (url, outlet, title, published, ents, evs) in articles.items():
        ids[key] = store.add_article(Article(url=url, outlet=outlet, title=title, text=title,
                                             published=published, ext_id=key)).id
        analyses.append((ids[key], Analysis(
            relevant=True, entities=[Entity(n, t, [n]) for n, t in ents],
            events=[Event(type=t, actor=a, target=b, date=d, evidence=title) for t, a, b, d in evs])))
    store.save_analyses(analyses, "test")
    store.save_incident(Incident(NEW_ID, HOSTILE, "2026-07-08", "ban", ["Acme"], ["Widget"],
                                 first_seen="2026-07-08", last_seen="2026-07-09"),
                        [(ids["n1"], True, 1.0), (ids["n2"], True, 1.0)])
    store.save_incident(Incident(ESCALATED_ID, "Globex and Initech fall out", "2026-06-21", "allegation",
                                 ["Globex"], ["Initech"], first_seen="2026-06-22", last_seen="2026-07-07"),
                        [(ids["e1"], True, 1.0), (ids["e2"], True, 1.0)])


@pytest.fixture
def digest_db(store, db_url):
    fill_store(store)
    return db_url


class Collector:
    """An SMTP handler keeping every message; `answers` can script replies to DATA."""

    def __init__(self, answers=()):
        self.envelopes = []
        self.answers = list(answers)

    async def handle_DATA(self, server, session, envelope):
        if self.answers:
            return self.answers.pop(0)
        self.envelopes.append(envelope)
        return "250 Message accepted"

    def messages(self):
        return [email.message_from_bytes(e.original_content, policy=email.policy.default) for e in self.envelopes]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(handler, **smtp_options) -> Controller:
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(), **smtp_options)
    controller.start()
    return controller


@pytest.fixture
def smtp_env(monkeypatch, tmp_path):
    """Point the digest at 127.0.0.1:port (plain SMTP, no config file); returns a function of the port."""
    monkeypatch.chdir(tmp_path)  # no ./incidents.toml of the developer's
    for name in ("INCIDENTS_CONFIG", "INCIDENTS_SMTP_USER", "INCIDENTS_SMTP_PASSWORD", "INCIDENTS_SMTP_SSL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("INCIDENTS_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("INCIDENTS_SMTP_STARTTLS", "false")
    monkeypatch.setenv("INCIDENTS_DIGEST_FROM", SENDER)
    monkeypatch.setenv("INCIDENTS_DIGEST_TO", "boss@example.com")
    monkeypatch.setenv("INCIDENTS_DASHBOARD_URL", "https://dash.example")
    monkeypatch.setattr("dashboard.digest.send.RETRY_DELAYS", (0.05, 0.05))

    def use(port: int) -> None:
        monkeypatch.setenv("INCIDENTS_SMTP_PORT", str(port))
    return use


@pytest.fixture
def smtp_server(smtp_env):
    handler = Collector()
    controller = start_server(handler)
    smtp_env(controller.port)
    yield handler
    controller.stop()


def digest(db_url, *args) -> int:
    return main(["digest", "--db", db_url, *args])


def sent_to(db_url, week=WEEK):
    from incidents.store import Store
    with Store(db_url) as store:
        return set(store.digest_recipients_sent(week))


def one_line_error(capsys) -> str:
    err = capsys.readouterr().err.strip()
    assert err.startswith("incidents: error: ") and "\n" not in err and "Traceback" not in err
    return err


# --- what arrives ---

def test_digest_arrives_with_text_html_and_inline_chart(digest_db, smtp_server, capsys):
    assert digest(digest_db, "--week", WEEK) == 0
    assert "sent to boss@example.com" in capsys.readouterr().out
    [message] = smtp_server.messages()
    assert message["To"] == "boss@example.com"
    # the subject names the top story (the most widely reported), and how many more there are
    assert message["Subject"] == '<script>alert("x")</script> Acme bans <b>Widget</b>[31m now, and 1 more: week 2026-W28'
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    for body in (text, html):
        assert "Acme bans" in body and "Globex and Initech fall out" in body
        assert f"https://dash.example/incident?id={NEW_ID}" in body
        assert "https://wire.example/acme-widget" in body  # a source link
        assert "15 Jul 2026" in body  # the cut-off coming next week
        assert f"https://dash.example/?week={WEEK}" in body  # the week's Briefing
    assert text.index("Acme bans") < text.index("Globex and Initech")  # new before escalated
    [image] = [p for p in message.walk() if p.get_content_type() == "image/png"]
    assert image.get_content().startswith(b"\x89PNG")
    assert f'src="cid:{image["Content-ID"][1:-1]}"' in html


def test_web_text_arrives_escaped(digest_db, smtp_server):
    assert digest(digest_db, "--week", WEEK) == 0
    [message] = smtp_server.messages()
    html = message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    assert "<script" not in html.lower() and "<b>Widget" not in html and "<i>Evil" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Acme bans &lt;b&gt;Widget&lt;/b&gt;" in html
    assert "&lt;i&gt;Evil&lt;/i&gt; Outlet" in html  # the outlet's name shown as text, without a link
    assert "javascript:" not in html and "javascript:" not in text
    assert "\x1b" not in html and "\x1b" not in text  # no terminal escape in either part
    assert 'src="http' not in html  # no outside assets


def test_followers_get_their_companies_first(digest_db, smtp_env, tmp_path, capsys, monkeypatch):
    handler = Collector()
    controller = start_server(handler)
    try:
        smtp_env(controller.port)
        monkeypatch.delenv("INCIDENTS_DIGEST_TO")
        config = tmp_path / "incidents.toml"
        config.write_text('[digest]\nfollow = ["Nobody Inc"]\n\n'
                          '[[digest.recipients]]\nemail = "ciso@example.com"\nname = "Dana"\nfollow = ["initech"]\n\n'
                          '[[digest.recipients]]\nemail = "cto@example.com"\n')
        assert digest(digest_db, "--week", WEEK, "--config", str(config)) == 0
    finally:
        controller.stop()
    by_recipient = {m["To"].addresses[0].addr_spec: m for m in handler.messages()}
    assert set(by_recipient) == {"ciso@example.com", "cto@example.com"}
    dana = by_recipient["ciso@example.com"].get_body(("plain",)).get_content()
    assert "Hello Dana," in dana
    section = dana[dana.index("WHAT CHANGED FOR THE COMPANIES YOU FOLLOW"):dana.index("THIS WEEK'S INCIDENTS")]
    assert "initech" in section and "#2 escalated: Globex and Initech fall out" in section
    assert "15 Jul 2026: access cut-off, Globex -> Initech" in section
    assert "Acme" not in section
    other = by_recipient["cto@example.com"].get_body(("plain",)).get_content()
    assert "Nobody Inc" in other and "Nothing new this week." in other


def test_quiet_week_sends_a_short_note(digest_db, smtp_server):
    assert digest(digest_db, "--week", QUIET_WEEK) == 0
    [message] = smtp_server.messages()
    assert message["Subject"] == "Incident digest 2026-W10: a quiet week"
    text = message.get_body(("plain",)).get_content()
    assert "A quiet week" in text and "THIS WEEK'S INCIDENTS" not in text
    assert not [p for p in message.walk() if p.get_content_maintype() == "image"]


def test_default_week_is_the_last_complete_one(digest_db, smtp_server):
    from dashboard.briefing import last_complete_week

    assert digest(digest_db) == 0
    [message] = smtp_server.messages()
    assert message["X-Incidents-Week"] == str(last_complete_week())
    assert sent_to(digest_db, str(last_complete_week())) == {"boss@example.com"}


def test_quiet_week_with_skip_empty_sends_nothing(digest_db, smtp_server, capsys):
    assert digest(digest_db, "--week", QUIET_WEEK, "--skip-empty") == 0
    assert smtp_server.messages() == []
    assert "quiet week" in capsys.readouterr().out
    assert sent_to(digest_db, QUIET_WEEK) == set()


def test_out_writes_a_parseable_eml_with_the_inline_chart(digest_db, smtp_env, tmp_path, capsys):
    out = tmp_path / "digest.eml"
    assert digest(digest_db, "--week", WEEK, "--out", str(out)) == 0
    message = email.message_from_bytes(out.read_bytes(), policy=email.policy.default)
    assert message["To"] == "boss@example.com"
    related = message.get_body(("related",))
    assert related.get_content_type() == "multipart/related"
    [image] = [p for p in related.iter_parts() if p.get_content_type() == "image/png"]
    assert f'cid:{image["Content-ID"][1:-1]}' in message.get_body(("html",)).get_content()
    assert sent_to(digest_db) == set()  # writing a file is not sending


# --- idempotency ---

def test_second_send_of_a_week_needs_force(digest_db, smtp_server, capsys):
    assert digest(digest_db, "--week", WEEK) == 0
    assert sent_to(digest_db) == {"boss@example.com"}
    capsys.readouterr()
    assert digest(digest_db, "--week", WEEK) == 2
    assert "already sent to boss@example.com" in one_line_error(capsys)
    assert len(smtp_server.messages()) == 1
    assert digest(digest_db, "--week", WEEK, "--force") == 0
    assert len(smtp_server.messages()) == 2


def test_new_recipient_gets_a_week_the_others_already_have(digest_db, smtp_server, capsys):
    assert digest(digest_db, "--week", WEEK) == 0
    assert digest(digest_db, "--week", WEEK, "--to", "boss@example.com,new@example.com") == 0
    assert [m["To"] for m in smtp_server.messages()] == ["boss@example.com", "new@example.com"]
    assert "already sent to boss@example.com; skipped" in capsys.readouterr().err


# --- SMTP failures and login ---

@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")  # loopback only
@pytest.mark.parametrize("password", ["s3cret", "pässwörd€"])  # beyond ASCII: UTF-8 AUTH PLAIN
def test_login_with_password_from_the_environment(digest_db, smtp_env, monkeypatch, password):
    logins = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
            b"digest", password.encode("utf-8"))
        logins.append(ok)
        return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535 itself

    handler = Collector()
    controller = start_server(handler, authenticator=authenticator, auth_required=True, auth_require_tls=False)
    try:
        smtp_env(controller.port)
        monkeypatch.setenv("INCIDENTS_SMTP_USER", "digest")
        monkeypatch.setenv("INCIDENTS_SMTP_PASSWORD", password)
        assert digest(digest_db, "--week", WEEK) == 0
    finally:
        controller.stop()
    assert logins == [True] and len(handler.messages()) == 1
    assert sent_to(digest_db) == {"boss@example.com"}


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")  # loopback only
@pytest.mark.parametrize("password", ["wrong", "falsch-ß"])
def test_wrong_password_is_one_line_and_nothing_is_marked_sent(digest_db, smtp_env, monkeypatch, capsys, password):
    handler = Collector()
    controller = start_server(handler, authenticator=lambda *a: AuthResult(success=False, handled=False),
                              auth_required=True, auth_require_tls=False)
    try:
        smtp_env(controller.port)
        monkeypatch.setenv("INCIDENTS_SMTP_USER", "digest")
        monkeypatch.setenv("INCIDENTS_SMTP_PASSWORD", password)
        assert digest(digest_db, "--week", WEEK) == 2
    finally:
        controller.stop()
    assert "login as 'digest' refused (535" in one_line_error(capsys)
    assert handler.messages() == [] and sent_to(digest_db) == set()


def test_connection_refused_is_one_line_and_nothing_is_marked_sent(digest_db, smtp_env, capsys):
    smtp_env(free_port())  # nothing listens there
    started = time.monotonic()
    assert digest(digest_db, "--week", WEEK) == 2
    assert time.monotonic() - started < 5  # refused is not worth retrying
    assert "connection refused" in one_line_error(capsys)
    assert sent_to(digest_db) == set()


def test_permanent_rejection_is_one_line_and_nothing_is_marked_sent(digest_db, smtp_env, capsys):
    handler = Collector(answers=["554 5.7.1 Message rejected as spam"])
    controller = start_server(handler)
    try:
        smtp_env(controller.port)
        assert digest(digest_db, "--week", WEEK) == 2
    finally:
        controller.stop()
    err = one_line_error(capsys)
    assert "554 5.7.1 Message rejected as spam" in err and "boss@example.com" in err
    assert handler.answers == []  # asked once, not retried
    assert sent_to(digest_db) == set()


def test_temporary_failure_is_retried(digest_db, smtp_env):
    handler = Collector(answers=["451 4.3.0 Try again later"])
    controller = start_server(handler)
    try:
        smtp_env(controller.port)
        assert digest(digest_db, "--week", WEEK) == 0
    finally:
        controller.stop()
    assert len(handler.messages()) == 1
    assert sent_to(digest_db) == {"boss@example.com"}


def test_lasting_temporary_failure_gives_up_and_marks_nothing(digest_db, smtp_env, capsys):
    handler = Collector(answers=["451 4.3.0 Try again later"] * 3)
    controller = start_server(handler)
    try:
        smtp_env(controller.port)
        assert digest(digest_db, "--week", WEEK) == 2
    finally:
        controller.stop()
    assert "temporary failure (451 4.3.0 Try again later); gave up after 3 attempts" in one_line_error(capsys)
    assert sent_to(digest_db) == set()


# --- user mistakes ---

@pytest.mark.parametrize("week", ["2026-47", "2026-W54", "last week"])
def test_bad_week_is_one_line(digest_db, smtp_server, capsys, week):
    assert digest(digest_db, "--week", week) == 2
    assert repr(week) in one_line_error(capsys)


def test_no_recipients_is_one_line(digest_db, smtp_server, monkeypatch, capsys):
    monkeypatch.delenv("INCIDENTS_DIGEST_TO")
    assert digest(digest_db, "--week", WEEK) == 2
    assert "no digest recipients" in one_line_error(capsys)


def test_password_in_config_file_is_refused(digest_db, smtp_server, tmp_path, capsys):
    config = tmp_path / "incidents.toml"
    config.write_text('smtp_password = "hunter2"\n')
    assert digest(digest_db, "--week", WEEK, "--config", str(config)) == 2
    assert "INCIDENTS_SMTP_PASSWORD" in one_line_error(capsys)


def test_bad_recipient_entry_names_file_and_entry(digest_db, smtp_server, tmp_path, capsys):
    config = tmp_path / "incidents.toml"
    config.write_text('[[digest.recipients]]\nemail = "not an address"\n')
    assert digest(digest_db, "--week", WEEK, "--config", str(config)) == 2
    err = one_line_error(capsys)
    assert "incidents.toml" in err and "entry 1" in err and "not an address" in err


# --- TLS: STARTTLS and TLS from the start, with a certificate made for 127.0.0.1 ---

@pytest.fixture(scope="session")
def loopback_certificate(tmp_path_factory):
    """(certificate file, key file) of a self-signed certificate for IP 127.0.0.1."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .sign(key, hashes.SHA256()))
    folder = tmp_path_factory.mktemp("tls")
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


def server_tls_context(loopback_certificate):
    import ssl
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*loopback_certificate)
    return context


def test_starttls_then_login(digest_db, smtp_env, loopback_certificate, monkeypatch):
    logins = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        logins.append(auth_data.login)
        return AuthResult(success=True)

    handler = Collector()
    # The server refuses mail before STARTTLS and login without TLS: both must happen, in order.
    controller = start_server(handler, tls_context=server_tls_context(loopback_certificate),
                              require_starttls=True, authenticator=authenticator, auth_required=True)
    try:
        smtp_env(controller.port)
        monkeypatch.setenv("INCIDENTS_SMTP_STARTTLS", "true")
        monkeypatch.setenv("SSL_CERT_FILE", str(loopback_certificate[0]))  # trust our certificate
        monkeypatch.setenv("INCIDENTS_SMTP_USER", "digest")
        monkeypatch.setenv("INCIDENTS_SMTP_PASSWORD", "s3cret")
        assert digest(digest_db, "--week", WEEK) == 0
    finally:
        controller.stop()
    assert logins == [b"digest"] and len(handler.messages()) == 1


def test_tls_from_the_start(digest_db, smtp_env, loopback_certificate, monkeypatch):
    handler = Collector()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(),
                            ssl_context=server_tls_context(loopback_certificate))
    controller.start()
    try:
        smtp_env(controller.port)
        monkeypatch.setenv("INCIDENTS_SMTP_SSL", "true")  # STARTTLS stays at its default (on): SSL wins
        monkeypatch.delenv("INCIDENTS_SMTP_STARTTLS")
        monkeypatch.setenv("SSL_CERT_FILE", str(loopback_certificate[0]))
        assert digest(digest_db, "--week", WEEK) == 0
    finally:
        controller.stop()
    assert len(handler.messages()) == 1


def test_untrusted_certificate_is_one_line_and_nothing_is_marked_sent(digest_db, smtp_env, loopback_certificate,
                                                                     monkeypatch, capsys):
    handler = Collector()
    controller = start_server(handler, tls_context=server_tls_context(loopback_certificate), require_starttls=True)
    try:
        smtp_env(controller.port)
        monkeypatch.setenv("INCIDENTS_SMTP_STARTTLS", "true")
        monkeypatch.delenv("SSL_CERT_FILE", raising=False)
        assert digest(digest_db, "--week", WEEK) == 2
    finally:
        controller.stop()
    assert "TLS failed" in one_line_error(capsys) and handler.messages() == []
    assert sent_to(digest_db) == set()


def test_server_without_starttls_is_refused_by_default(digest_db, smtp_server, monkeypatch, capsys):
    monkeypatch.delenv("INCIDENTS_SMTP_STARTTLS")  # the default: STARTTLS required
    assert digest(digest_db, "--week", WEEK) == 2
    assert "does not offer STARTTLS" in one_line_error(capsys)
    assert smtp_server.messages() == []
