"""How many index rows carry each facet value, per visibility partition (PostgreSQL).

Browsing the knowledge base (no query, no filter) shows counts for every facet over
everything a person may read: at 100,000 items, counting them from the rows reads the whole
table. These rows hold the counts instead, per (working group, stakeholder access, access
unit), the three columns visibility is decided on (`SearchItem.objects.visible_to`), so a
reader's counts are the sum over the partitions they may read.

The database keeps them: statement-level triggers on the index table (migration 0007) add
the inserted and updated rows' values and subtract the deleted and replaced ones, in the
same transaction as the write. SQLite has no such triggers and counts from the rows.
"""

from django.db import models


class FacetCount(models.Model):
    working_group_id = models.BigIntegerField()
    stakeholders = models.CharField(max_length=4)
    access_unit_id = models.BigIntegerField(default=0)  # 0: no unit (a unique key needs a value)
    facet = models.CharField(max_length=20)
    value = models.TextField()
    n = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["working_group_id", "stakeholders", "access_unit_id", "facet", "value"],
                name="one_facet_count_each",
            )
        ]

    def __str__(self) -> str:
        return f"{self.facet}={self.value}: {self.n}"
