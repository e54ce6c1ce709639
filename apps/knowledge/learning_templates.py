"""A learning's starting text per experiment type, prefilled from the design and the results.

Concluding an experiment prompts for its learning. The form opens with what the program
already knows written in: the hypothesis's change and reason, the variants, the primary
metric's lift and interval from the current snapshot, the guardrails' verdicts, and the
decision with its rationale. Each experiment type asks its own questions: an A/B test asks
what moved and why; an A/A check asks whether the platform can be trusted; a holdout asks
what the shipped changes are worth together; a canary whether the rollout is safe; a shadow
run how the two paths compared. The author edits from there.
"""

from dataclasses import dataclass

from django.utils.text import slugify

from apps.experiments import selectors
from apps.experiments.models import Decision, Experiment, ExperimentType


@dataclass(frozen=True)
class LearningTemplate:
    """The questions the form asks under each field, for one experiment type."""

    type: str
    changed: str
    happened: str
    why: str
    next_steps: str


TEMPLATES = {
    t.type: t
    for t in (
        LearningTemplate(
            ExperimentType.AB,
            changed="What did the treatment change, for whom, where?",
            happened="What moved, by how much, with what interval? Which guardrails held?",
            why="Why do we think it happened? What evidence beyond the headline supports it?",
            next_steps="What will we do next: ship wider, iterate, test a follow-up, or stop?",
        ),
        LearningTemplate(
            ExperimentType.AA,
            changed="Which part of the platform did this A/A check cover?",
            happened="Did the split match the design (sample ratio)? Did any metric differ?",
            why="Can experiments on this setup be trusted? If not, what broke?",
            next_steps="When do we re-run the check? What must be fixed first?",
        ),
        LearningTemplate(
            ExperimentType.HOLDOUT,
            changed="Which shipped changes were held back, from what share, for how long?",
            happened="What are the shipped changes worth together, against their single wins?",
            why="Why does the joint effect differ from the sum of the individual tests?",
            next_steps="How should planning discount single-test wins? When is the next holdout?",
        ),
        LearningTemplate(
            ExperimentType.CANARY,
            changed="What was rolled out, through which stages?",
            happened="Did the guardrails hold at each stage?",
            why="What would have made us roll back, and did any of it happen?",
            next_steps="Roll out fully, hold, or roll back?",
        ),
        LearningTemplate(
            ExperimentType.SHADOW,
            changed="Which path ran in the shadow, on what traffic?",
            happened="How did the outputs and the latency of the two paths compare?",
            why="Where did they disagree, and why?",
            next_steps="Is the shadow path ready for a user-facing test?",
        ),
    )
}

_NEXT = {
    Decision.SHIP: "Roll the change out to everyone and watch the guardrails for two weeks.",
    Decision.DONT_SHIP: "Keep the current experience. Note what we would try instead.",
    Decision.ITERATE: "Change the design as the results suggest and test again.",
    Decision.INCONCLUSIVE: "Decide whether a longer or larger test is worth running.",
}


def template_for(type_: str) -> LearningTemplate:
    return TEMPLATES.get(type_, TEMPLATES[ExperimentType.AB])


def _percent(value: float | None) -> str:
    return "?" if value is None else f"{value * 100:+.1f} %"


def result_line(analysis: dict | None) -> str:
    """The primary metric's result in words: "Order conversion +4.1 % (+1.7 % to +6.6 %),
    significant."; blank without results."""
    found = selectors.headline((analysis or {}).get("metrics"))
    if found is None:
        return ""
    text = f"{found['metric']} {_percent(found['lift'])}"
    if found["ci_low"] is not None and found["ci_high"] is not None:
        text += f" ({_percent(found['ci_low'])} to {_percent(found['ci_high'])})"
    return text + (", significant." if found["significant"] else ", not significant.")


def _happened(exp: Experiment, analysis: dict) -> str:
    lines = []
    result = result_line(analysis)
    if result:
        lines.append(result)
    guardrails = selectors.guardrails(analysis)
    if guardrails:
        lines.append("Guardrails: " + "; ".join(
            f"{g['metric']} {g['status']} ({_percent(g['relative_lift'])})" for g in guardrails
        ) + ".")  # fmt: skip
    srm = analysis.get("srm") or {}
    if srm.get("flag"):
        lines.append(f"Sample ratio mismatch (p = {srm.get('p_value') or 0:.3g}): the split "
                     "differed from the design.")  # fmt: skip
    if (analysis.get("aa") or {}).get("red_flag"):
        lines.append("A/A red flag: " + " ".join(analysis["aa"]["reasons"]))
    if exp.run > 1:
        lines.append(f"Restarted {exp.run - 1} time(s) with clean data; only the last run counts.")
    if exp.decision:
        lines.append(f"Decision: {exp.get_decision_display()}.")
    return "\n".join(lines)


def prefill(exp: Experiment) -> dict:
    """The learning form's starting values for a (concluded) experiment."""
    snapshot = selectors.current_snapshot(exp)
    analysis = (snapshot.analysis or {}) if snapshot is not None else {}
    hypothesis = exp.hypothesis
    variants = [v for v in exp.variants.all()]
    variant_text = ", ".join(
        f"{v.name}{' (control)' if v.is_control else ''}{': ' + v.description if v.description else ''}"
        for v in variants
    )
    changed = hypothesis.change.strip()
    if variant_text:
        changed += f"\n\nVariants: {variant_text}."
    why = []
    if hypothesis.rationale:
        why.append(f"We expected it because {hypothesis.rationale.strip()}")
    if exp.rationale:
        why.append(exp.rationale.strip())
    headline = selectors.headline(analysis.get("metrics"))
    title = exp.title
    if headline is not None:
        title = f"{exp.title}: {headline['metric'].lower()} {_percent(headline['lift'])}"
    tags = [t.name for t in hypothesis.tags.all()] + [slugify(s.name) for s in exp.surfaces.all()]
    return {
        "title": title[:200],
        "changed": changed,
        "happened": _happened(exp, analysis),
        "why": "\n\n".join(why),
        "next_steps": _NEXT.get(exp.decision, ""),  # type: ignore[call-overload]
        "tags": list(dict.fromkeys(t.lower() for t in tags if t)),
    }
