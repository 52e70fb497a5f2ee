"""A deterministic, realistic data set for `make bench` (bench/run.py calls `seed_bench()`).

Claims are `bench-NNNNN`; three large claims `bench-large-1..3` carry 250 evidence links and full
mechanisms (3 mechanisms x 6 steps with citations); `bench-small-1` carries 6. Everything is
inserted with bulk_create in batches, then scored with claims.services.claims_rescore.
"""

import math
import random
import time
from collections.abc import Callable
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from claims.models import (
    Analysis,
    Claim,
    ClaimType,
    Evidence,
    IdealStudy,
    Mechanism,
    MechanismStep,
)
from claims.services import claims_rescore
from studies.models import Stance, Study

from .vocabulary import (
    CONCERNS,
    DESIGN_WEIGHTS,
    FAMILY,
    INTERVENTIONS,
    JOURNALS,
    OUTCOMES,
    POPULATIONS,
    TOPICS,
    VERBS,
    WORDS,
)

SLUG_PREFIX = "bench-"
LARGE_SLUGS = ("bench-large-1", "bench-large-2", "bench-large-3")
SMALL_SLUG = "bench-small-1"
LARGE_LINKS = 250
SMALL_LINKS = 6
BATCH = 5000
# The share of a claim's links that support it: mostly supported, contradicted, or mixed.
CLAIM_LEANS = (0.95, 0.95, 0.9, 0.85, 0.15, 0.1, 0.6, 0.5)
REFUSE_NON_BENCH = (
    "This database holds claims that bench seeding did not make; use a database of its own "
    "(DATABASE_URL) or pass force=True."
)
REFUSE_SEEDED = "This database already holds bench data; start from an empty database."


class SeedRefused(Exception):
    """The sizes are too small, or the database is not an empty one of the bench's own."""


def seed_bench(
    *,
    claims: int = 10_000,
    studies: int = 50_000,
    links: int = 200_000,
    seed: int = 1,
    force: bool = False,
    log: Callable[[str], None] | None = None,
) -> str:
    """Seed the data set into the default database, score it, and say what was done.

    `force` seeds beside claims that are not bench ones; `log` gets progress lines.
    """
    if claims < 4 or studies < LARGE_LINKS or links < 3 * LARGE_LINKS + SMALL_LINKS:
        raise SeedRefused(
            f"Need at least 4 claims, {LARGE_LINKS} studies and "
            f"{3 * LARGE_LINKS + SMALL_LINKS} links (the large and small claims)."
        )
    if Claim.objects.filter(slug__startswith=SLUG_PREFIX).exists():
        raise SeedRefused(REFUSE_SEEDED)
    if not force and Claim.objects.exclude(slug__startswith=SLUG_PREFIX).exists():
        raise SeedRefused(REFUSE_NON_BENCH)
    started = time.perf_counter()
    generator = Generator(random.Random(seed), claims, studies, links)
    with transaction.atomic():
        counts = generator.insert(log)
    inserted = time.perf_counter()
    scored, _ = claims_rescore()
    done = time.perf_counter()
    return (
        f"Seeded {counts['claims']} claims, {counts['studies']} studies, "
        f"{counts['links']} evidence links, {counts['steps']} mechanism steps "
        f"in {inserted - started:.1f} s; rescored {scored} claims in {done - inserted:.1f} s; "
        f"total {done - started:.1f} s."
    )


class Generator:
    """The data set drawn from one seeded random generator; `insert()` writes it."""

    def __init__(self, rng: random.Random, n_claims: int, n_studies: int, n_links: int):
        self.rng = rng
        self.n_claims, self.n_studies, self.n_links = n_claims, n_studies, n_links
        self.now = timezone.now().replace(microsecond=0)
        self.designs = list(DESIGN_WEIGHTS)
        self.design_weights = list(DESIGN_WEIGHTS.values())

    def words(self, low: int, high: int) -> str:
        return " ".join(self.rng.choices(WORDS, k=self.rng.randint(low, high)))

    def sentences(self, count: int) -> str:
        return " ".join(self.words(12, 24).capitalize() + "." for _ in range(count))

    def insert(self, log: Callable[[str], None] | None) -> dict:
        study_ids = self.insert_studies(log)
        claim_ids = self.insert_claims(log)
        links = self.insert_evidence(claim_ids, study_ids, log)
        steps = self.insert_analyses(claim_ids, links, log)
        return {
            "claims": len(claim_ids),
            "studies": len(study_ids),
            "links": sum(len(v) for v in links.values()),
            "steps": steps,
        }

    def insert_studies(self, log) -> list[int]:
        rng, ids = self.rng, []
        for start in range(0, self.n_studies, BATCH):
            batch = []
            for i in range(start, min(start + BATCH, self.n_studies)):
                authors = "; ".join(
                    f"{rng.choice(FAMILY)}, {chr(65 + rng.randrange(26))}."
                    for _ in range(rng.randint(1, 8))
                )
                design = rng.choices(self.designs, self.design_weights)[0]
                size = None if rng.random() < 0.1 else max(1, int(math.exp(rng.gauss(3.6, 1.1))))
                batch.append(
                    Study(
                        doi="" if rng.random() < 0.05 else f"10.5555/bench.{i}",
                        title=f"{rng.choice(INTERVENTIONS).capitalize()} and "
                        f"{rng.choice(OUTCOMES)} in {rng.choice(POPULATIONS)}: "
                        f"{self.words(4, 12)}",
                        authors=authors,
                        journal=rng.choice(JOURNALS),
                        year=rng.randint(1990, 2025),
                        design=design,
                        sample_size=size,
                        population=rng.choice(POPULATIONS),
                        duration_weeks=rng.choice((None, 4, 6, 8, 10, 12, 16, 24, 52)),
                        abstract=self.sentences(rng.randint(6, 12)),
                    )
                )
            ids.extend(s.pk for s in Study.objects.bulk_create(batch))
            if log:
                log(f"  studies {len(ids)}")
        return ids

    def claim(self, slug: str, i: int) -> Claim:
        rng = self.rng
        intervention, outcome = rng.choice(INTERVENTIONS), rng.choice(OUTCOMES)
        population, verb = rng.choice(POPULATIONS), rng.choice(VERBS)
        return Claim(
            slug=slug,
            statement=f"In {population}, {intervention} {verb} {outcome} compared with "
            f"{self.words(3, 8)} over {rng.choice((4, 8, 12, 24))} weeks.",
            plain_statement=f"{intervention.capitalize()} {verb} {outcome}.",
            summary="\n\n".join(self.sentences(rng.randint(2, 4)) for _ in range(2)),
            explanation=self.sentences(rng.randint(2, 5)),
            claim_type=rng.choice(ClaimType.values),
            topic=rng.choice(TOPICS),
            population=population,
            status=Claim.Status.DRAFT if rng.random() < 0.03 else Claim.Status.PUBLISHED,
            featured=i < 8,
            created_at=self.now - timedelta(minutes=i),
        )

    def insert_claims(self, log) -> list[int]:
        slugs = [*LARGE_SLUGS, SMALL_SLUG] + [
            f"{SLUG_PREFIX}{i:05d}" for i in range(1, self.n_claims - len(LARGE_SLUGS))
        ]
        objs = [self.claim(slug, i) for i, slug in enumerate(slugs)]
        for obj in objs[:4]:
            obj.status = Claim.Status.PUBLISHED
        created = Claim.objects.bulk_create(objs, batch_size=2000)
        if log:
            log(f"  claims {len(created)}")
        return [c.pk for c in created]

    def insert_evidence(self, claim_ids, study_ids, log) -> dict[int, list[int]]:
        """Exactly n_links links: the large and small claims get theirs, the rest at random."""
        rng = self.rng
        counts = [LARGE_LINKS] * 3 + [SMALL_LINKS] + [0] * (len(claim_ids) - 4)
        rest = len(claim_ids) - 4
        for _ in range(self.n_links - sum(counts)):
            counts[4 + rng.randrange(rest)] += 1
        links: dict[int, list[int]] = {}
        batch: list[Evidence] = []
        created = 0
        for claim_id, count in zip(claim_ids, counts, strict=True):
            chosen = rng.sample(study_ids, min(count, len(study_ids)))
            links[claim_id] = chosen
            # Most claims lean one way, as real ones do; a coin per link would make every
            # claim with many links "Mixed evidence".
            support_share = rng.choice(CLAIM_LEANS)
            for study_id in chosen:
                batch.append(self.evidence(claim_id, study_id, support_share))
            if len(batch) >= BATCH:
                Evidence.objects.bulk_create(batch)
                created += len(batch)
                batch = []
                if log:
                    log(f"  links {created}")
        Evidence.objects.bulk_create(batch)
        return links

    def evidence(self, claim_id: int, study_id: int, support_share: float) -> Evidence:
        rng = self.rng
        given = rng.random() < 0.3
        return Evidence(
            claim_id=claim_id,
            study_id=study_id,
            stance=Stance.SUPPORTS if rng.random() < support_share else Stance.CONTRADICTS,
            certainty=rng.choice(("high", "moderate", "low", "very_low")) if given else "",
            risk_of_bias=rng.choice(CONCERNS),
            imprecision=rng.choice(CONCERNS),
            indirectness=rng.choice(CONCERNS),
            large_effect=1 if rng.random() < 0.05 else 0,
            strength=Evidence.Strength.PARTIAL if rng.random() < 0.2 else Evidence.Strength.CLEAR,
            finding=self.words(8, 25).capitalize() + ".",
            status=Evidence.Status.PENDING if rng.random() < 0.02 else Evidence.Status.APPROVED,
            created_at=self.now,
        )

    def insert_analyses(self, claim_ids, links, log) -> int:
        rng = self.rng
        # What analysis_publish records (bulk_create skips Analysis.save): the cited title.
        worded = Claim.objects.filter(pk__in=claim_ids).values_list(
            "pk", "headline", "plain_statement"
        )
        titles = {pk: " ".join((headline or plain).split()) for pk, headline, plain in worded}
        analyses = Analysis.objects.bulk_create(
            [
                Analysis(
                    claim_id=claim_id,
                    version=1,
                    summary=self.sentences(2),
                    published_at=self.now,
                    cited_title=titles.get(claim_id, ""),
                )
                for claim_id in claim_ids
            ],
            batch_size=BATCH,
        )
        # Full mechanisms for the large and small claims; one short chain for a fifth of the rest.
        plans = []
        for index, analysis in enumerate(analyses):
            if index < 4:
                plans.append((analysis, 3, 6))
            elif rng.random() < 0.2:
                plans.append((analysis, 1, rng.randint(3, 5)))
        mechanisms = Mechanism.objects.bulk_create(
            [
                Mechanism(
                    analysis=analysis,
                    kind=Mechanism.Kind.MOST_PROBABLE if m == 0 else Mechanism.Kind.ALTERNATIVE,
                    rank=m + 1,
                    simple_summary=self.sentences(2),
                    scientific_summary=self.sentences(3),
                )
                for analysis, n_mechanisms, _ in plans
                for m in range(n_mechanisms)
            ],
            batch_size=BATCH,
        )
        steps, cited = [], []
        position = 0
        for analysis, n_mechanisms, n_steps in plans:
            studies = links[analysis.claim_id]
            for _ in range(n_mechanisms):
                mechanism = mechanisms[position]
                position += 1
                for order in range(1, n_steps + 1):
                    steps.append(
                        MechanismStep(mechanism=mechanism, order=order, text=self.words(10, 30))
                    )
                    k = min(len(studies), rng.choice((0, 1, 1, 2, 3)))
                    cited.append(rng.sample(studies, k))
        steps = MechanismStep.objects.bulk_create(steps, batch_size=BATCH)
        Through = MechanismStep.citations.through
        Through.objects.bulk_create(
            [
                Through(mechanismstep_id=step.pk, study_id=study_id)
                for step, study_ids in zip(steps, cited, strict=True)
                for study_id in study_ids
            ],
            batch_size=BATCH,
        )
        designs = self.designs[:6]
        IdealStudy.objects.bulk_create(
            [
                IdealStudy(
                    claim_id=claim_id,
                    rank=rank,
                    design=rng.choice(designs),
                    description=self.sentences(2),
                    why=self.sentences(1),
                )
                for index, claim_id in enumerate(claim_ids)
                for rank in range(1, (3 if index < 4 else rng.randint(0, 3)) + 1)
            ],
            batch_size=BATCH,
        )
        if log:
            log(f"  mechanism steps {len(steps)}")
        return len(steps)
