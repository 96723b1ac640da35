"""Non-learned reference scores per setting, computed from the data the runs see.

A zero-shot score means little without the score of a tagger that learned nothing
cross-lingual. Each reference is scored on the same target test sample as the runs, with the
same metric (:mod:`phonexl.scoring`):

- POS `source majority`: the most frequent tag of the source training sentences on every
  target token; what a model that transferred nothing but the tag prior would score.
- POS `target majority (oracle)`: the most frequent tag of the target test set itself, on every
  token; it peeks at the target labels, so it is an oracle, not a baseline.
- NER `all O`: no entity predicted; F1 is 0 by definition.
- NER `source entity strings`: every token sequence that is an entity in the source training
  sentences, tagged with its most frequent type wherever it occurs verbatim in the target
  (longest match first). Across scripts only shared Latin names and digits can match.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from seqeval.metrics.sequence_labeling import get_entities

from phonexl import data as ds
from phonexl import scoring


def _counts(task: str, labels: Sequence[str], test: Sequence[ds.Sentence],
            predict) -> list[tuple[int, ...]]:
    return [scoring.sentence_counts(task, [labels[t] for t in s.labels], predict(s))
            for s in test]


def majority(train: Sequence[ds.Sentence], labels: Sequence[str]) -> str:
    tags = Counter(labels[t] for s in train for t in s.labels)
    return tags.most_common(1)[0][0] if tags else labels[0]


def entity_gazetteer(train: Sequence[ds.Sentence],
                     labels: Sequence[str]) -> dict[tuple[str, ...], str]:
    """Entity token sequences of the source training sentences -> their most frequent type."""
    types: dict[tuple[str, ...], Counter] = defaultdict(Counter)
    for sentence in train:
        for kind, start, end in get_entities([labels[t] for t in sentence.labels]):
            types[sentence.tokens[start : end + 1]][kind] += 1
    return {tokens: counts.most_common(1)[0][0] for tokens, counts in types.items()}


def tag_with_gazetteer(tokens: Sequence[str], gazetteer: dict[tuple[str, ...], str],
                       longest: int) -> list[str]:
    """IOB2 tags from verbatim matches, longest first, left to right, never overlapping."""
    tags = ["O"] * len(tokens)
    i = 0
    while i < len(tokens):
        for size in range(min(longest, len(tokens) - i), 0, -1):
            kind = gazetteer.get(tuple(tokens[i : i + size]))
            if kind:
                tags[i : i + size] = [f"B-{kind}"] + [f"I-{kind}"] * (size - 1)
                i += size
                break
        else:
            i += 1
    return tags


def references(task: str, train: Sequence[ds.Sentence], test: Sequence[ds.Sentence],
               labels: Sequence[str]) -> dict[str, dict[str, object]]:
    """Name -> {score, per-sentence counts (packed), what it is} for one setting."""
    if task == "pos":
        source_tag = majority(train, labels)
        target_tag = majority(test, labels)
        made = {
            "source majority": (f"every token {source_tag} (the source training majority)",
                                lambda s: [source_tag] * len(s.labels)),
            "target majority (oracle)": (f"every token {target_tag} (the target test majority)",
                                         lambda s: [target_tag] * len(s.labels)),
        }
    else:
        gazetteer = entity_gazetteer(train, labels)
        longest = max((len(k) for k in gazetteer), default=0)
        made = {
            "all O": ("no entity predicted", lambda s: ["O"] * len(s.labels)),
            "source entity strings": (
                f"verbatim matches of the {len(gazetteer)} source training entity strings",
                lambda s: tag_with_gazetteer(s.tokens, gazetteer, longest)),
        }
    result = {}
    for name, (what, predict) in made.items():
        counts = _counts(task, labels, test, predict)
        result[name] = {"score": round(scoring.corpus_score(task, counts), 2), "what": what,
                        "per_sentence": scoring.pack(counts)}
    return result


def setting_references(data: str, task: str, pair: str, max_train: int, max_test: int,
                       holdout: float) -> dict[str, object]:
    """The references of one setting on the sentences a run of that configuration sees."""
    src, tgt = pair.split("-")
    source = ds.source_data(data, task, src, holdout)
    train = ds.fixed_sample(source.train, max_train)
    test = ds.fixed_sample(ds.target_test(data, task, tgt)[0], max_test)
    return {"task": task, "pair": pair, "test_fingerprint": ds.fingerprint(test),
            "test_sentences": len(test), "train_sentences": len(train),
            "references": references(task, train, test, ds.label_names(data, task, src))}
