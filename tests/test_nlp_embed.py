"""The sentence embedder the link stage and the dashboard search reuse."""
import numpy as np


def test_embeddings_are_unit_vectors_of_384_dimensions(sentence_embedder):
    vectors = sentence_embedder.embed(["Alibaba bans Claude Code", "Samsung bars ChatGPT", "A recipe for soup"])
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]  # two bans are closer than a recipe


def test_no_texts_give_an_empty_matrix(sentence_embedder):
    assert sentence_embedder.embed([]).shape == (0, 384)


def test_one_shared_embedder():
    from nlp.embed import get_embedder

    assert get_embedder() is get_embedder()


def test_one_pass_gives_the_sentence_vector_and_each_word_piece_with_its_place(sentence_embedder):
    text = "Italy fined OpenAI on Friday."
    [(sentence, pieces, offsets)] = sentence_embedder.embed_tokens([text])
    assert np.allclose(sentence, sentence_embedder.embed([text])[0], atol=1e-5)
    assert pieces.shape == (len(offsets), 384)
    assert [text[s:e] for s, e in offsets if e > s][:3] == ["Italy", "fined", "Open"]  # as written, not lower-cased
