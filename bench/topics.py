"""Topic tagging measured: precision and recall per topic, keyword rules alone beside rules
plus embedding similarity (where no rule decides), in one run.

Data: tests/topic_set.py, 44 articles written for newsbot (headline and lead, five or more
per topic of the shipped digests/default_config.toml, eight for the general topic), with
words that trip the rules on purpose ("Winter market returns to the old town square"). An
article counts as right for a topic when it is tagged with it; precision per topic is over
the articles tagged with it. The embedding threshold's trade-off is printed too.

Run: python -m bench.topics
"""

from __future__ import annotations

import json

import numpy as np

from digests.enrich.embed import article_text, load_embedder
from digests.enrich.topics import GENERAL, compile_rules, tag_article, topic_profile
from digests.ingest.catalog import load_catalog
from digests.resources import default_config_path
from tests.topic_set import TOPIC_SET


def _scores(tagged: list[set[str]], slugs: list[str]) -> dict[str, object]:
    wanted = [want for want, _, _ in TOPIC_SET]
    per_topic = {}
    for slug in slugs:
        chosen = sum(slug in tags for tags in tagged)
        right = sum(
            slug in tags and want == slug for tags, want in zip(tagged, wanted, strict=True)
        )
        total = sum(want == slug for want in wanted)
        per_topic[slug] = {
            "precision": round(right / chosen, 3) if chosen else None,
            "recall": round(right / total, 3),
        }
    exact = sum(tags == {want} for tags, want in zip(tagged, wanted, strict=True))
    hit = sum(want in tags for tags, want in zip(tagged, wanted, strict=True))
    return {
        "tagged_right": round(hit / len(wanted), 3),
        "exactly_right": round(exact / len(wanted), 3),
        "per_topic": per_topic,
    }


def main() -> dict[str, object]:
    """Run the bench and return its JSON."""
    # A "top stories" topic (top = N) gathers the best items; it tags nothing.
    topics = [t for t in load_catalog(default_config_path()).topics if not t.top]
    described = [t for t in topics if t.slug != GENERAL]
    rules = compile_rules((t.slug, t.keywords, t.categories) for t in topics)
    slugs = [t.slug for t in topics]

    def rules_only(title: str, lead: str, _similarity: object = None) -> set[str]:
        return set(tag_article(rules, title=title, summary=lead, text=lead))

    result: dict[str, object] = {
        "bench": "topics",
        "data": f"tests/topic_set.py: {len(TOPIC_SET)} articles written for newsbot",
        "rules_only": _scores([rules_only(t, lead) for _, t, lead in TOPIC_SET], slugs),
    }
    for kind in ("english", "multilingual"):
        embedder = load_embedder(kind)
        assert embedder is not None
        profiles = embedder.embed(
            [topic_profile(t.name, t.description, t.keywords) for t in described]
        )
        vectors = embedder.embed([article_text(t, "", lead) for _, t, lead in TOPIC_SET])
        similarity = [
            dict(zip((t.slug for t in described), row.tolist(), strict=True))
            for row in vectors @ profiles.T
        ]

        def by_meaning(
            threshold: float, similarity: list[dict[str, float]] = similarity
        ) -> list[set[str]]:
            return [
                set(
                    tag_article(
                        rules,
                        title=title,
                        summary=lead,
                        text=lead,
                        similarity=s,
                        threshold=threshold,
                    )
                )
                for (_, title, lead), s in zip(TOPIC_SET, similarity, strict=True)
            ]

        trade_off = {
            f"{threshold:.2f}": _scores(by_meaning(threshold), slugs)["tagged_right"]
            for threshold in np.arange(0.05, 0.31, 0.05)
        }
        result[f"rules_plus_{kind}_embedding"] = {
            "threshold": embedder.topic_threshold,
            **_scores(by_meaning(embedder.topic_threshold), slugs),
            "tagged_right_by_threshold": trade_off,
        }
    return result


if __name__ == "__main__":
    print(json.dumps(main()))
