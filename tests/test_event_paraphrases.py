"""Paraphrase families: each event type stated ten everyday ways, each phrasing asserting the
exact set of events (a missing or an extra event fails the phrasing), and traps that must give
no event at all.

The extractor is measured, not perfect: a family passes when at least FLOORS[type] of its ten
phrasings come out exactly right (the count the shipped pipeline reached when these were
written, so any regression fails), and the failures are named in the message. Traps have no
floor: every one must give nothing.
"""
import pytest

FAMILIES = {
    "ban": [
        ("Samsung has banned its employees from using ChatGPT on company devices.", {("Samsung", "ChatGPT")}),
        ("Goldman Sachs told its engineers to stop using DeepSeek.", {("Goldman Sachs", "DeepSeek")}),
        ("Italy barred DeepSeek from Italian phones and app stores.", {("Italy", "DeepSeek")}),
        ("Verizon instructed staff not to install Copilot on work laptops.", {("Verizon", "Copilot")}),
        ("Taiwan prohibited government agencies from using DeepSeek.", {("Taiwan", "DeepSeek")}),
        ("Accenture has blocked ChatGPT on its corporate network.", {("Accenture", "ChatGPT")}),
        ("Citigroup restricted the use of Gemini by its traders.", {("Citigroup", "Gemini")}),
        ("Walmart ordered its staff to uninstall Doubao.", {("Walmart", "Doubao")}),
        ("Apple removed ChatGPT from its App Store in China.", {("Apple", "ChatGPT")}),
        ("The use of Grok was forbidden by Turkey last week.", {("Turkey", "Grok")}),
    ],
    "ban_lifted": [
        ("Italy lifted its ban on ChatGPT on Friday.", {("Italy", "ChatGPT")}),
        ("South Korea allowed DeepSeek back into its app stores.", {("South Korea", "DeepSeek")}),
        ("Samsung reversed its ban on ChatGPT.", {("Samsung", "ChatGPT")}),
        ("Turkey unblocked Grok after a court review.", {("Turkey", "Grok")}),
        ("The Garante ended its block on Replika.", {("Garante", "Replika")}),
        ("Taiwan rescinded the ban on DeepSeek.", {("Taiwan", "DeepSeek")}),
        ("Verizon has reinstated Copilot for its engineers.", {("Verizon", "Copilot")}),
        ("Italy restored access to ChatGPT after OpenAI made changes.", {("Italy", "ChatGPT")}),
        ("Accenture lifted the restriction on ChatGPT.", {("Accenture", "ChatGPT")}),
        ("The ban on Grok was lifted by Turkey.", {("Turkey", "Grok")}),
    ],
    "access_cutoff": [
        ("Anthropic cut off Windsurf's access to Claude.", {("Anthropic", "Windsurf")}),
        ("OpenAI suspended accounts linked to ByteDance.", {("OpenAI", "ByteDance")}),
        ("OpenAI revoked ByteDance's API access.", {("OpenAI", "ByteDance")}),
        ("Anthropic will no longer serve customers in China.", {("Anthropic", "China")}),
        ("Microsoft shut off Cursor's access to its models.", {("Microsoft", "Cursor")}),
        ("Windsurf lost access to Claude after Anthropic pulled it.", {("Anthropic", "Windsurf")}),
        ("OpenAI blocked API traffic from China.", {("OpenAI", "China")}),
        ("Anthropic restricted OpenAI's access to Claude Code.", {("Anthropic", "OpenAI")}),
        ("Google terminated Perplexity's access to its search API.", {("Google", "Perplexity")}),
        ("ByteDance was cut off by OpenAI.", {("OpenAI", "ByteDance")}),
    ],
    "allegation": [
        ("OpenAI accused DeepSeek of distilling its models.", {("OpenAI", "DeepSeek")}),
        ("Anthropic says it has proof that MiniMax copied Claude.", {("Anthropic", "MiniMax")}),
        ("OpenAI claims DeepSeek stole its outputs.", {("OpenAI", "DeepSeek")}),
        ("Microsoft alleged that DeepSeek misused its API.", {("Microsoft", "DeepSeek")}),
        ("Anthropic told regulators that Moonshot AI distilled Claude.", {("Anthropic", "Moonshot AI")}),
        ("DeepSeek was accused by OpenAI of copying its models.", {("OpenAI", "DeepSeek")}),
        ("OpenAI blamed DeepSeek for the scraping.", {("OpenAI", "DeepSeek")}),
        ("Reddit charged that Perplexity scraped its pages.", {("Reddit", "Perplexity")}),
        ("Google believes ByteDance copied Gemini's answers.", {("Google", "ByteDance")}),
        ("The allegations by Anthropic against DeepSeek grew louder.", {("Anthropic", "DeepSeek")}),
    ],
    "lawsuit": [
        ("The New York Times sued OpenAI over copyright.", {("The New York Times", "OpenAI")}),
        ("Reddit filed a lawsuit against Anthropic in California.", {("Reddit", "Anthropic")}),
        ("Getty Images took Stability AI to court.", {("Getty Images", "Stability AI")}),
        ("OpenAI was sued by Elon Musk in March.", {("Elon Musk", "OpenAI")}),
        ("xAI has sued Apple and OpenAI.", {("xAI", "Apple"), ("xAI", "OpenAI")}),
        ("Reddit brought a suit against Perplexity.", {("Reddit", "Perplexity")}),
        ("Perplexity faces a lawsuit from Dow Jones.", {("Dow Jones", "Perplexity")}),
        ("Disney and Universal sued Midjourney.", {("Disney", "Midjourney"), ("Universal", "Midjourney")}),
        ("Ziff Davis is suing OpenAI for infringement.", {("Ziff Davis", "OpenAI")}),
        ("The lawsuit by Amazon against Perplexity was filed in November.", {("Amazon", "Perplexity")}),
    ],
    "investigation": [
        ("The FTC is investigating OpenAI.", {("Federal Trade Commission", "OpenAI")}),
        ("The CNIL opened an investigation into Mistral AI.", {("CNIL", "Mistral AI")}),
        ("Ofcom launched a probe into X over Grok.", {("Ofcom", "X")}),
        ("The Garante has opened an inquiry into DeepSeek.", {("Garante", "DeepSeek")}),
        ("OpenAI is being investigated by the FTC.", {("Federal Trade Commission", "OpenAI")}),
        ("The European Commission is examining Meta's WhatsApp AI policy.", {("European Commission", "Meta")}),
        ("The Data Protection Commission began an inquiry into X.", {("Data Protection Commission", "X")}),
        ("Texas is looking into Character.AI.", {("Texas", "Character.AI")}),
        ("The ICO launched an investigation of Snap's My AI.", {("Information Commissioner's Office", "Snap")}),
        ("The SEC probed Nvidia's disclosures.", {("Securities and Exchange Commission", "Nvidia")}),
    ],
    "security_finding": [
        ("Security researchers found hidden code in Claude Code.", {("security researchers", "Claude Code")}),
        ("Wiz discovered an exposed database at DeepSeek.", {("Wiz", "DeepSeek")}),
        ("Researchers at Tenable found a flaw in Gemini.", {("Tenable", "Gemini")}),
        ("Check Point uncovered a vulnerability in Cursor.", {("Check Point", "Cursor")}),
        ("A backdoor was found in Copilot by security researchers.", {("security researchers", "Copilot")}),
        ("Aim Security disclosed a zero-click flaw in Copilot.", {("Aim Security", "Copilot")}),
        ("NowSecure identified serious weaknesses in DeepSeek's iOS app.", {("NowSecure", "DeepSeek")}),
        ("Brave reported a prompt injection flaw in Comet.", {("Brave", "Comet")}),
        ("Legit Security spotted a bug in GitLab Duo.", {("Legit Security", "GitLab Duo")}),
        ("Tracebit detected malicious behaviour in Gemini CLI.", {("Tracebit", "Gemini CLI")}),
    ],
    "breach": [
        ("Engineers at Samsung leaked source code to ChatGPT.", {("Samsung", "ChatGPT")}),
        ("Samsung staff pasted confidential code into ChatGPT.", {("Samsung", "ChatGPT")}),
        ("DeepSeek exposed chat histories through an open database.", {("DeepSeek", "DeepSeek")}),
        ("A contractor uploaded client data to ChatGPT.", set()),
        ("Microsoft leaked 38 terabytes of data through Azure.", {("Microsoft", "Azure")}),
        ("OpenAI exposed users' chat titles in ChatGPT.", {("OpenAI", "ChatGPT")}),
        ("Amazon employees shared internal documents with ChatGPT.", {("Amazon", "ChatGPT")}),
        ("Paradox.ai exposed millions of applicants' records through McHire.", {("Paradox.ai", "McHire")}),
        ("Customer data was leaked by Microsoft through Copilot.", {("Microsoft", "Copilot")}),
        ("Salesforce data was stolen by ShinyHunters.", {("ShinyHunters", "Salesforce")}),
    ],
    "fine": [
        ("The CNIL fined Google 150 million euros.", {("CNIL", "Google")}),
        ("Italy's Garante fined OpenAI 15 million euros.", {("Garante", "OpenAI")}),
        ("Meta was fined by the Data Protection Commission.", {("Data Protection Commission", "Meta")}),
        ("The FTC imposed a $5 billion penalty on Meta.", {("Federal Trade Commission", "Meta")}),
        ("Clearview AI was penalised by the ICO.", {("Information Commissioner's Office", "Clearview AI")}),
        ("The Garante slapped a fine on Luka.", {("Garante", "Luka")}),
        ("The Dutch Data Protection Authority fined Clearview AI.", {("Dutch Data Protection Authority", "Clearview AI")}),
        ("The European Commission hit Apple with a fine.", {("European Commission", "Apple")}),
        ("OpenAI must pay a fine imposed by the Garante.", {("Garante", "OpenAI")}),
        ("The ICO issued a fine against Clearview AI.", {("Information Commissioner's Office", "Clearview AI")}),
    ],
    "settlement": [
        ("Anthropic will pay $1.5 billion to settle claims from Andrea Bartz.", {("Anthropic", "Andrea Bartz")}),
        ("Anthropic settled with Reddit over scraping.", {("Anthropic", "Reddit")}),
        ("Meta agreed to pay Texas $1.4 billion to settle the suit.", {("Meta", "Texas")}),
        ("Google reached a settlement with Texas.", {("Google", "Texas")}),
        ("Character.AI settled with Megan Garcia.", {("Character.AI", "Megan Garcia")}),
        ("Amazon paid the FTC $25 million to settle charges.", {("Amazon", "Federal Trade Commission")}),
        ("Clearview AI agreed a settlement with the ACLU.", {("Clearview AI", "ACLU")}),
        ("OpenAI settled the lawsuit brought by Ziff Davis.", {("OpenAI", "Ziff Davis")}),
        ("Stability AI reached a deal to settle with Getty Images.", {("Stability AI", "Getty Images")}),
        ("Anthropic's settlement with the music publishers was approved.", {("Anthropic", "music publishers")}),
    ],
}

TRAPS = [
    "Samsung never banned ChatGPT.",
    "Italy may ban DeepSeek next month.",
    "Will Anthropic cut off Windsurf?",
    "Lawmakers proposed a bill that would ban DeepSeek on government devices.",
    "Samsung's policy prohibits staff from sharing secrets with anyone.",
    "OpenAI says DeepSeek released a new model on Monday.",
    "The FTC declined to investigate OpenAI.",
    "Reddit is considering a lawsuit against Anthropic.",
    "ROME - The weather was mild on Tuesday.",
    "Reddit threatened to sue Perplexity if it kept scraping.",
    "Google launched Gemini 2.5 Pro for developers.",
    "Anthropic raised $13 billion from investors.",
    "Germany's data protection commissioner has asked Apple and Google to pull DeepSeek from their app stores.",
    "Senators urged the Commerce Department to ban DeepSeek.",
]

FLOORS = {"ban": 10, "ban_lifted": 5, "access_cutoff": 8, "allegation": 6, "lawsuit": 9, "investigation": 8,
          "security_finding": 6, "breach": 6, "fine": 8, "settlement": 8}


def events_of(doc, etype=None):
    return {(e["type"], e["actor"], e["target"]) for e in doc._.events
            if not e["anaphor"] and e["actor"] and e["target"] and (etype is None or e["type"] == etype)}


@pytest.mark.parametrize("etype", sorted(FAMILIES))
def test_each_event_type_is_read_in_everyday_paraphrases(analyse_text, etype):
    wrong = []
    for sentence, pairs in FAMILIES[etype]:
        got = events_of(analyse_text(sentence, "2026-07-08"))
        want = {(etype, actor, target) for actor, target in pairs}
        if not same_events(got, want, analyse_text):
            wrong.append(f"{sentence!r}: got {sorted(got)}, want {sorted(want)}")
    right = len(FAMILIES[etype]) - len(wrong)
    assert right >= FLOORS[etype], f"{etype}: {right}/10 exact, below {FLOORS[etype]}:\n" + "\n".join(wrong)


def same_events(got, want, analyse_text) -> bool:
    """Exact sets, names compared as the evaluation compares them (case, punctuation)."""
    from nlp.training.labels import norm

    def key(events):
        return {(t, norm(a), norm(b)) for t, a, b in events}
    return key(got) == key(want)


@pytest.mark.parametrize("sentence", TRAPS)
def test_traps_give_no_event(analyse_text, sentence):
    assert events_of(analyse_text(sentence, "2026-07-08")) == set()


def test_a_request_to_ones_own_people_is_an_order_and_one_to_another_party_asserts_nothing(analyse_text):
    own = analyse_text("Sciences Po has asked its teachers to formally ban the use of ChatGPT.", "2026-07-08")
    other = analyse_text("Germany's data protection commissioner has asked Apple and Google to pull DeepSeek "
                         "from their app stores.", "2026-07-08")
    assert events_of(own) == {("ban", "Sciences Po", "ChatGPT")}
    assert not {e for e in events_of(other) if e[1] in ("Apple", "Google")}


def test_blocking_a_partys_crawler_cuts_that_party_off_and_blocking_a_product_bans_it(analyse_text):
    crawler = analyse_text("The New York Times has moved to block OpenAI's web crawler, preventing the company from "
                           "using the publication's content to train its AI models.", "2026-07-08")
    product = analyse_text("NASA has blocked access to DeepSeek on its devices.", "2026-07-08")
    assert events_of(crawler) == {("access_cutoff", "The New York Times", "OpenAI")}
    assert events_of(product) == {("ban", "NASA", "DeepSeek")}
