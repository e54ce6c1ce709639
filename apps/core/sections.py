"""Index pages for sections whose apps have not landed yet; each app replaces its entry."""

from django.urls import path

from .views import SectionComingView


def coming_soon(namespace: str, title: str, summary: str, *features: str):
    view = SectionComingView.as_view(title=title, summary=summary, features=features)
    return ([path("", view, name="index")], namespace)


backlog = coming_soon(
    "backlog",
    "Backlog",
    "The working group's hypotheses, scored with the group's framework and ranked.",
    "Structured hypotheses: the change, the expected effect on a metric, and why",
    "ICE, RICE, PIE or custom weighted scoring by every member, with the spread between them",
    "The ranked backlog, an impact-vs-effort scatter and the product/foundational balance",
)
meetings = coming_soon(
    "meetings",
    "Meetings",
    "The biweekly working-group meeting: agenda, notes, decisions and action items.",
    "Agendas drafted from the program's state: new hypotheses, fresh results, decisions due",
    "Notes and decisions per agenda item; action items with owners and due dates",
    "Notes shared with attendees and stakeholders; calendar files",
)
roadmap = coming_soon(
    "roadmap",
    "Roadmap",
    "Research plans and their milestones, which are decision points, for stakeholders to read.",
    "Plans by outcome and quarter on a timeline",
    "Continue / pivot / abandon decisions with criteria written before the data",
    "Stakeholder updates for a date range",
)
experiments = coming_soon(
    "experiments",
    "Experiments",
    "Experiment designs, their results pulled by background jobs, and conflict detection.",
    "Variants, metrics, guardrails, sample size and duration",
    "Result snapshots analysed by the statistics engine: forest plots and cumulative effects",
    "Conflicts between concurrent experiments on the same surface and layer",
)
knowledge = coming_soon(
    "knowledge",
    "Knowledge base",
    "Every past experiment and its learnings, searchable before anyone proposes a new one.",
    "Full-text search over hypotheses, results and learnings",
    "Similar past experiments suggested while a hypothesis is typed",
    "Meta-analysis: win rate and cumulative impact",
)
