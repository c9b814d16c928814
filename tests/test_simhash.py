"""The near-duplicate index that recognises a syndicated copy of a stored story."""
from __future__ import annotations

from crawlers.simhash import NearDuplicateIndex, simhash

STORY = " ".join(f"Alibaba told staff on day {n} to stop using Claude Code after researchers found hidden code."
                 for n in range(12))


def test_a_copy_with_its_own_intro_line_is_found_and_another_story_is_not():
    index = NearDuplicateIndex(known=[(7, simhash(STORY))])
    assert index.find(simhash("From our partners at ByteLedger. " + STORY)) == 7
    other = " ".join(f"A regulator in country {n} fined a chatbot maker for how it handled children's data."
                     for n in range(12))
    assert index.find(simhash(other)) is None


def test_the_closest_fingerprint_wins_and_the_first_stored_on_a_tie():
    index = NearDuplicateIndex(max_distance=3, known=[(1, 0b1111), (2, 0b0111), (3, 0b0111)])
    assert index.find(0b0011) == 2
    assert index.find(0b1111_0000_0000) is None  # 8 bits away from every one


def test_added_and_removed_originals_are_found_or_not():
    index = NearDuplicateIndex(max_distance=0)
    assert index.find(5) is None and len(index) == 0
    for article_id in range(1, 200):  # past the first growth of the arrays
        index.add(article_id, article_id * 1_000_003)
    assert index.find(150 * 1_000_003) == 150 and len(index) == 199
    index.remove(150)
    assert index.find(150 * 1_000_003) is None and index.find(151 * 1_000_003) == 151
    index.add(500, 2**64 - 1)  # the top bit set: fingerprints are unsigned
    assert index.find(2**64 - 1) == 500
