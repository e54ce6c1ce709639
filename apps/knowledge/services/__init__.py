"""Changes to the knowledge base, one module per part (`learnings`, …).

Every function takes the acting user, asks the role policy, checks the rules and writes in
one transaction; a broken rule raises ValidationError naming the field. Callers import the
part's module: `from apps.knowledge.services import learnings`.
"""
